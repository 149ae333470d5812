import type { RunResult } from '../../api/result.js';
import { formatSize } from '../../model/sizes.js';
import type { IssueReport } from '../../observe/issues.js';
import { esc, fmtBytes, fmtInt, fmtMs } from './format.js';

/** An HTML table; cells are escaped here. Cells that look numeric are right-aligned. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const num = (c: string | number) => typeof c === 'number' || /^[-+]?[\d.,\u2009]+( ?(x|%|ms|s|GB\/s|[KMGTP]))?$/.test(c);
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td${num(c) ? ' class="n"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

/** The run's result tables: nodes, namespaces (and their passes), locks, channels. */
export function renderTables(r: RunResult): string {
  const out: string[] = [];
  if (r.nodes.length) {
    out.push('<h2>Nodes</h2>');
    out.push(
      table(
        ['node', 'deferred init', 'done at', 'pages', 'max threads', 'threads', 'jobs', 'chunks', 'shared usemap words', 'bounces', 'grow (IRQs off)'],
        r.nodes.map((n) => [
          n.id,
          fmtMs(n.deferredInitMs),
          fmtMs(n.doneAtMs),
          fmtInt(n.pages),
          n.maxThreads,
          n.threads,
          n.jobs,
          n.chunks,
          n.sharedUsemapWords,
          n.bounces,
          n.grow ? `${fmtInt(n.grow.pages)} pages, ${fmtMs(n.grow.irqsOffMs)}` : '-',
        ]),
      ),
    );
  }
  if (r.namespaces.length) {
    out.push('<h2>Namespaces</h2>');
    out.push(
      table(
        ['namespace', 'node', 'device', 'size', 'probe', 'init', 'available at', 'done at', 'lock wait', 'struct pages', 'geometry', 'vmemmap', 'failed'],
        r.namespaces.map((n) => [
          n.name,
          n.node,
          n.device,
          formatSize(n.sizeBytes),
          fmtMs(n.probeMs),
          fmtMs(n.initMs),
          fmtMs(n.availableAtMs),
          fmtMs(n.doneAtMs),
          fmtMs(n.lockWaitMs),
          fmtInt(n.structPagesInitialized),
          n.geometry,
          formatSize(n.vmemmapBytes.total),
          n.failed ? `${n.failed.reason} at ${fmtMs(n.failed.atMs)}` : '-',
        ]),
      ),
    );
    out.push('<h3>Init passes</h3>');
    out.push(
      table(
        ['namespace', 'pass', 'work', 'pages', 'threads', 'start', 'time', 'lock'],
        r.namespaces.flatMap((n) =>
          n.passes.map((p) => [n.name, p.pass, p.work, fmtInt(p.pages), p.threads, fmtMs(p.startMs), fmtMs(p.ms), p.lockMode ?? 'outside']),
        ),
      ),
    );
  }
  if (r.locks.length) {
    out.push('<h2>Locks</h2>');
    out.push(
      table(
        ['lock', 'acquisitions', 'hold', 'write hold', 'read hold', 'wait', 'max wait'],
        r.locks.map((l) => [l.name, l.acquisitions, fmtMs(l.holdMs), fmtMs(l.writeHoldMs), fmtMs(l.readHoldMs), fmtMs(l.waitMs), fmtMs(l.maxWaitMs)]),
      ),
    );
  }
  if (r.channels.length) {
    out.push('<h2>Channels</h2>');
    out.push(
      table(
        ['channel', 'capacity', 'bytes', 'busy', 'mean use', 'peak use'],
        r.channels.map((c) => [c.name, `${c.capacityGBs.toFixed(2)} GB/s`, fmtBytes(c.bytes), fmtMs(c.busyMs), pct(c.meanUtilisation), pct(c.peakUtilisation)]),
      ),
    );
  }
  return out.join('\n');
}

function pfns(p: readonly [number, number] | undefined): string {
  return p ? `[${p[0]}, ${p[1]})` : '-';
}

/** Reports listed, and the occurrences they stand for when more: `2 (925 occurrences)`. */
export function issueCount(list: readonly IssueReport[]): string {
  const occurrences = list.reduce((a, v) => a + v.count, 0);
  return occurrences === list.length ? String(list.length) : `${list.length} (${fmtInt(occurrences)} occurrences)`;
}

/** Violations or findings: one row per report with its count, time, pfns (hex) and actors; the kept examples folded below. */
export function renderIssues(title: string, list: readonly IssueReport[], cls: string): string {
  if (!list.length) return `<h2>${title}</h2><p class="none">none</p>`;
  const rows = list
    .map((i) => {
      const examples = i.examples
        .map(
          (e) =>
            `<li>${esc(fmtMs(e.atNs / 1e6))}: ${esc(e.message)} <span class="dim">pfns ${esc(pfns(e.pfns))}${e.actors?.length ? `, actors ${esc(e.actors.join(', '))}` : ''}</span></li>`,
        )
        .join('');
      return (
        `<tr><td>${esc(i.invariant)}</td><td>${esc(i.kind)}</td><td>${esc(i.place)}</td><td class="n">${esc(fmtInt(i.count))}</td><td class="n">${esc(fmtMs(i.atNs / 1e6))}</td>` +
        `<td class="nw">${esc(pfns(i.pfns))}</td><td>${esc(i.actors?.join(', ') ?? '-')}</td><td>${esc(i.message)}<details><summary>${i.examples.length} example(s)</summary><ul>${examples}</ul></details></td></tr>`
      );
    })
    .join('');
  return `<h2>${title} <span class="badge ${cls}">${esc(issueCount(list))}</span></h2><table class="issues ${cls}"><thead><tr><th>invariant</th><th>kind</th><th>place</th><th>count</th><th>first at</th><th>pfns</th><th>actors</th><th>message</th></tr></thead><tbody>${rows}</tbody></table>`;
}
