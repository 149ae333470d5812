import { pfnHex } from '../model/pfn-hex.js';
import { initPlace } from '../model/trace-events.js';
import { Observable, type OperatorFunction } from 'rxjs';
import type { RunResult } from '../api/result.js';
import type { TraceEvent } from '../model/trace-events.js';
import { renderBandwidth } from './html/bandwidth.js';
import { esc, fmtMs } from './html/format.js';
import type { ChannelSeries, HtmlReportData, HtmlReportMeta, ReportInstant, ReportRow, ReportSpan, RowRole, SpanKind } from './html/model.js';
import { STYLE } from './html/style.js';
import { issueCount, renderIssues, renderTables } from './html/tables.js';
import { renderTimeline } from './html/timeline.js';

export type { HtmlReportData, HtmlReportMeta } from './html/model.js';

/**
 * Collects what the HTML report draws from the run's trace: worker spans
 * (`pages.init`, grouped by namespace or node; back-to-back steps of a worker
 * folded as they arrive), lock holds, init passes and deferred init, notable
 * instants, and each channel's piecewise-constant bandwidth. Emits once, at
 * completion; render it with renderHtmlReport.
 */
export function htmlReport(meta: HtmlReportMeta = {}): OperatorFunction<TraceEvent, HtmlReportData> {
  return (source) =>
    new Observable((sub) => {
      const rows: ReportRow[] = [];
      const rowIds = new Map<string, number>();
      const spans: ReportSpan[] = [];
      const lastSpan = new Map<number, ReportSpan>();
      const instants: ReportInstant[] = [];
      const channels = new Map<string, ChannelSeries>();
      const probed = new Set<string>();
      const open = new Map<string, { t: number; mode?: 'write' | 'read'; label?: string }>();
      let endNs = 0;

      const row = (group: string, name: string, role: RowRole) => {
        const key = `${group}\u0000${role}\u0000${name}`;
        let i = rowIds.get(key);
        if (i === undefined) rowIds.set(key, (i = rows.push({ group, name, role }) - 1));
        return i;
      };
      const span = (r: number, kind: SpanKind, start: number, end: number, label?: string) => {
        const prev = lastSpan.get(r);
        if (prev && prev.kind === kind && prev.label === label && start <= prev.end && start >= prev.start) {
          prev.end = Math.max(prev.end, end);
          prev.n++;
          return;
        }
        const s: ReportSpan = { row: r, kind, start, end, n: 1, ...(label === undefined ? {} : { label }) };
        spans.push(s);
        lastSpan.set(r, s);
      };
      const instant = (group: string, t: number, type: string, label: string, count = 1) =>
        instants.push({ row: row(group, 'events', 'events'), t, type, label, count });

      return source.subscribe({
        next(e) {
          endNs = Math.max(endNs, e.t);
          switch (e.type) {
            case 'probe.start':
              probed.add(e.namespace);
              row(e.namespace, 'passes', 'phase');
              break;
            case 'pages.init':
              span(row(initPlace(e), e.worker, 'worker'), probed.has(initPlace(e)) ? e.work : 'boot', e.startedAt, e.t);
              break;
            case 'lock.acquired':
              if (e.waitNs > 0) span(row(e.lock, e.holder, 'lock'), 'lock-wait', e.t - e.waitNs, e.t);
              open.set(`lock|${e.lock}|${e.holder}`, { t: e.t, mode: e.mode });
              break;
            case 'lock.released': {
              const from = open.get(`lock|${e.lock}|${e.holder}`);
              if (from) span(row(e.lock, e.holder, 'lock'), from.mode === 'read' ? 'lock-read' : 'lock-write', from.t, e.t);
              break;
            }
            case 'init.start':
              open.set(`init|${e.namespace}|${e.pass}|${e.work}`, {
                t: e.t,
                label: `pass ${e.pass} ${e.work}, ${e.threads} thread(s), ${e.lockMode ? `${e.lockMode} lock` : 'outside the lock'}`,
              });
              break;
            case 'init.end': {
              const from = open.get(`init|${e.namespace}|${e.pass}|${e.work}`);
              if (from) span(row(e.namespace, 'passes', 'phase'), e.work, from.t, e.t, from.label);
              break;
            }
            case 'deferred.start':
              row(`node${e.node}`, 'deferred init', 'phase');
              open.set(`deferred|${e.node}`, {
                t: e.t,
                label: `${e.early ? 'early init' : 'deferred init'}, ${e.pages} pages, ${e.jobs} job(s), up to ${e.maxThreads} threads`,
              });
              break;
            case 'deferred.end': {
              const from = open.get(`deferred|${e.node}`);
              if (from) span(row(`node${e.node}`, 'deferred init', 'phase'), 'boot', from.t, e.t, from.label);
              break;
            }
            case 'channel.rate': {
              let c = channels.get(e.channel);
              if (!c) channels.set(e.channel, (c = { name: e.channel, capacity: e.capacity, points: [] }));
              const last = c.points[c.points.length - 1];
              if (last && last[0] === e.t) last[1] = e.bytesPerNs;
              else if (!last || last[1] !== e.bytesPerNs) c.points.push([e.t, e.bytesPerNs]);
              break;
            }
            case 'namespace.published':
              instant(e.namespace, e.t, e.type, `${e.namespace} published to DAX users (${e.pages} pages)`);
              break;
            case 'dax.access':
              instant(e.namespace, e.t, e.type, `${e.user} touched pfn ${pfnHex(e.pfn)}`);
              break;
            case 'probe.failed':
              instant(e.namespace, e.t, e.type, `probe failed at section ${e.section} (pfn ${pfnHex(e.pfn)}): ${e.reason}`);
              break;
            case 'compound.init':
              if (e.foreignHeadSetup !== undefined)
                instant(e.namespace, e.t, 'compound.foreign-head', `${e.worker} set up the head at pfn ${pfnHex(e.foreignHeadSetup)} outside its chunk`);
              break;
            case 'buddy.uninit-read':
              instant(
                `node${e.node}`,
                e.t,
                e.type,
                `${e.worker} read the uninitialized buddy pfn ${pfnHex(e.buddyPfn)} of pfn ${pfnHex(e.pfn)} (order ${e.order}) in ${e.zone}`,
                e.count,
              );
              break;
            case 'buddy.partial-free':
              instant(
                `node${e.node}`,
                e.t,
                e.type,
                `${e.worker} freed block at pfn ${pfnHex(e.blockPfn)} (${e.blockPages} pages) with ${e.uninitPages} uninitialized`,
              );
              break;
            case 'grow.end':
              instant(`node${e.node}`, e.t, e.type, `deferred_grow_zone stopped at pfn ${pfnHex(e.stopPfn)} (${e.pages} pages)`);
              break;
          }
        },
        error: (err) => sub.error(err),
        complete() {
          sub.next({ meta, rows, spans, instants, channels: [...channels.values()], endNs });
          sub.complete();
        },
      });
    });
}

function header(data: HtmlReportData, r: RunResult): string {
  const items: [string, string][] = [
    ['scenario', r.scenario],
    ['strategy', r.strategyUserDefined ? `${r.strategy} (user-defined)` : r.strategy],
    ['threads', String(r.threads)],
    ['seed', String(r.seed)],
    ['profile', r.profile],
    ['total', fmtMs(r.totalMs)],
  ];
  if (r.bootMs !== null) items.push(['kernel boot', fmtMs(r.bootMs)]);
  // The same figures as the badges of the Violations and Findings sections.
  items.push(['violations', issueCount(r.violations)], ['findings', issueCount(r.findings)]);
  items.push(['engine', `${r.engine.events} events, ${r.engine.outcome}`]);
  const desc = typeof data.meta.description === 'string' && data.meta.description ? `<p class="desc">${esc(data.meta.description)}</p>` : '';
  const kernel = r.nodes.length ? `<pre class="kernel">${r.nodes.map((n) => esc(n.kernelLine)).join('\n')}</pre>` : '';
  return (
    `<h1>${esc(r.scenario)} <span class="dim">/ ${esc(r.strategy)}</span></h1>${desc}` +
    `<dl class="meta">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>${kernel}`
  );
}

/** One self-contained HTML page (inline CSS and SVG, no script, nothing fetched) for a run and its collected trace. */
export function renderHtmlReport(data: HtmlReportData, result: RunResult): string {
  const endNs = Math.max(data.endNs, result.totalMs * 1e6, 1);
  const busy = data.channels.filter((c) => c.points.some((p) => p[1] > 0));
  const idle = data.channels.filter((c) => !busy.includes(c));
  const bandwidth = busy.length
    ? busy.map((c) => renderBandwidth(c, endNs)).join('\n') +
      (idle.length ? `<p class="note">No traffic on ${esc(idle.map((c) => c.name).join(', '))}.</p>` : '')
    : '<p class="none">no channel traffic</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(`memmap-sim: ${result.scenario} / ${result.strategy}`)}</title><style>${STYLE}</style></head>
<body>
${header(data, result)}
<h2 id="timeline">Timeline</h2>
${renderTimeline(data, result, endNs)}
<h2 id="bandwidth">Channel bandwidth</h2>
${bandwidth}
${renderTables(result)}
${renderIssues('Violations', result.violations, 'violation')}
${renderIssues('Findings', result.findings, 'finding')}
<p class="note">memmap-sim report; all times are simulated.</p>
</body></html>
`;
}
