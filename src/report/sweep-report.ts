/**
 * `sweep --report`: the deferred-init and boot curves against threads, the
 * measured or published points beside the predicted ones, and the band of
 * the calibration's uncertainty, on one self-contained HTML page.
 */
import type { BandedSweepRow } from '../api/sweep-band.js';
import type { PublishedSweep } from '../model/published-sweeps.js';
import { curveLegend, renderCurveChart, type PointSet } from './html/curve-chart.js';
import { esc, fmtMs } from './html/format.js';
import { htmlPage, metaList } from './html/page.js';

export interface MeasuredPoint {
  readonly threads: number;
  readonly ms: number;
  readonly stdevMs?: number;
}

/** What both reports draw: the predicted rows, and the points beside them. */
export interface CurveBody {
  readonly rows: readonly BandedSweepRow[];
  readonly measured: { readonly deferredInit: readonly MeasuredPoint[]; readonly boot: readonly MeasuredPoint[] };
  readonly published: PublishedSweep | null;
  /** Draw the boot chart (default: when the rows have boot times). */
  readonly bootChart?: boolean;
}

export interface SweepReportData extends CurveBody {
  readonly scenario: string;
  readonly description?: string;
  readonly strategy: string;
  readonly profile: string;
  readonly seed: number;
  /** Where the band comes from (a calibration), or null: no band. */
  readonly uncertaintySource: string | null;
}

type Metric = 'deferredInit' | 'boot';

function pointSets(d: CurveBody, metric: Metric): PointSet[] {
  const sets: PointSet[] = [];
  if (d.published) {
    const points = d.published.points.map((p) =>
      metric === 'boot'
        ? { threads: p.threads, ms: p.bootMs, stdevMs: p.bootStdevMs }
        : { threads: p.threads, ms: p.deferredInitMs, stdevMs: p.deferredInitStdevMs },
    );
    sets.push({ kind: 'published', label: 'published (whiskers: its stdev)', points });
  }
  // Measured points last, so they are drawn on top.
  if (d.measured[metric].length) sets.push({ kind: 'measured', label: 'measured', points: d.measured[metric] });
  return sets;
}

function chart(d: CurveBody, metric: Metric, title: string): string {
  const rows = metric === 'boot' ? d.rows.filter((r) => r.bootMs !== null) : d.rows;
  if (!rows.length) return '';
  const curve = {
    threads: rows.map((r) => r.threads),
    ms: rows.map((r) => (metric === 'boot' ? r.bootMs! : r.deferredInitMs)),
    sigmaMs: rows.map((r) => (metric === 'boot' ? r.bootSigmaMs : r.deferredInitSigmaMs)),
  };
  const sets = pointSets(d, metric);
  const banded = curve.sigmaMs.some((s) => s !== null);
  return `<h2 id="${metric}">${esc(title)}</h2>${renderCurveChart(title, curve, sets)}${curveLegend(banded, sets)}`;
}

/** The row of a measured or published point at these threads, with the prediction's error against it. */
function against(d: CurveBody, r: BandedSweepRow): string {
  const m = d.measured.deferredInit.find((p) => p.threads === r.threads);
  const p = d.published?.points.find((x) => x.threads === r.threads);
  const ref = m?.ms ?? p?.deferredInitMs;
  if (ref === undefined) return '<td class="n dim">—</td><td class="n dim">—</td>';
  const err = ref > 0 ? `${(((r.deferredInitMs - ref) / ref) * 100).toFixed(1)}%` : '—';
  return `<td class="n">${esc(fmtMs(ref))}${m ? '' : ' <span class="dim">published</span>'}</td><td class="n">${esc(err)}</td>`;
}

function rowTable(d: CurveBody): string {
  const pm = (s: number | null) => (s === null ? '' : ` ± ${fmtMs(s)}`);
  const body = d.rows
    .map(
      (r) =>
        `<tr><td class="n">${r.threads}</td><td class="n">${r.threadsUsed}</td><td class="n">${esc(fmtMs(r.deferredInitMs) + pm(r.deferredInitSigmaMs))}</td>` +
        `<td class="n">${esc(r.bootMs === null ? '—' : fmtMs(r.bootMs) + pm(r.bootSigmaMs))}</td><td class="n">${r.speedup === null ? '—' : `${r.speedup.toFixed(2)}x`}</td>${against(d, r)}</tr>`,
    )
    .join('');
  return (
    '<h2 id="rows">By thread count</h2><table><tr><th>threads</th><th>used</th><th>deferred init (slowest node)</th><th>boot</th><th>speedup</th><th>measured</th><th>error</th></tr>' +
    `${body}</table>`
  );
}

export function renderSweepReport(d: SweepReportData): string {
  const band = d.uncertaintySource
    ? `one standard uncertainty of ${d.uncertaintySource}`
    : 'none: give --profile a `calibrate --json` document to draw the calibration’s uncertainty';
  const head =
    `<h1>${esc(d.scenario)} <span class="dim">/ sweep</span></h1>` +
    (d.description ? `<p class="desc">${esc(d.description)}</p>` : '') +
    metaList([
      ['strategy', d.strategy],
      ['profile', d.profile],
      ['seed', String(d.seed)],
      ['band', band],
      ...(d.published ? ([['published', d.published.source]] as const) : []),
    ]);
  return htmlPage(`memmap-sim: sweep ${d.scenario}`, head + renderSweepReportBody(d));
}

/** The charts and the row table. */
export function renderSweepReportBody(b: CurveBody): string {
  const boot = b.bootChart ?? b.rows.some((r) => r.bootMs !== null);
  return chart(b, 'deferredInit', 'deferred init') + (boot ? chart(b, 'boot', 'kernel boot') : '') + rowTable(b);
}
