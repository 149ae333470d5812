/**
 * `calibrate --report`: the fit on one self-contained HTML page: whether it
 * holds (or why not), each fitted parameter with its uncertainty, each
 * row's residual, and the fitted curve with its band beside the measured
 * (and, for a built-in machine, the published) points.
 */
import type { Calibration } from '../api/calibrate.js';
import type { BandedSweepRow } from '../api/sweep-band.js';
import type { PublishedSweep } from '../model/published-sweeps.js';
import { esc, fmtMs } from './html/format.js';
import { htmlPage, metaList } from './html/page.js';
import { renderSweepReportBody } from './sweep-report.js';

export interface CalibrateReportData {
  readonly calibration: Calibration;
  readonly description?: string;
  /** The fitted profile swept over threads, with the fit's band. */
  readonly curve: readonly BandedSweepRow[];
  readonly published: PublishedSweep | null;
}

function status(c: Calibration): string {
  const f = c.fit;
  return f.withinTolerance
    ? `<p class="ok">every row within ${100 * f.tolerance}% of its measurement, in ${f.evaluations} evaluations</p>`
    : `<p class="bad">no fit within ${100 * f.tolerance}% of every measurement: ${esc(f.reason ?? 'a row is off by more than the tolerance')}</p>`;
}

function paramTable(c: Calibration): string {
  const rows = Object.entries(c.profile.params ?? {})
    .filter(([k]) => c.fit.fitted.includes(k as never))
    .map(([k, v]) => {
      const value = typeof v === 'number' ? v : v.value;
      const s = c.fit.uncertainty[k as keyof typeof c.fit.uncertainty];
      const sigma = s === undefined ? '—' : `± ${Number((100 * s).toPrecision(2))}% (± ${Number((value * s).toPrecision(2))})`;
      return `<tr><td>${esc(k)}</td><td class="n">${esc(value)}</td><td class="n">${esc(sigma)}</td></tr>`;
    });
  const kept = c.fit.undetermined.length
    ? `<p class="note">${esc(c.fit.undetermined.join(', '))}: not determined by these rows (kept at the base profile's value).</p>`
    : '';
  const held = c.fit.heldFixed.length
    ? `<p class="note">${esc(c.fit.heldFixed.join(', '))}: also moves these rows and is held at the base profile's value, so the fitted values assume it.</p>`
    : '';
  return `<h2 id="params">Fitted parameters</h2><table><tr><th>parameter</th><th>value</th><th>uncertainty (1 sigma)</th></tr>${rows.join('')}</table>${kept}${held}`;
}

function residualTable(c: Calibration): string {
  const boot = c.fit.rows.some((r) => r.measuredBootMs !== undefined);
  const head = `<tr><th>threads</th><th>measured</th><th>predicted</th><th>residual</th>${boot ? '<th>measured boot</th><th>predicted boot</th>' : ''}</tr>`;
  const body = c.fit.rows
    .map((r) => {
      const cls = Math.abs(r.error) <= c.fit.tolerance ? '' : ' bad';
      const b = boot
        ? `<td class="n">${r.measuredBootMs === undefined ? '—' : esc(fmtMs(r.measuredBootMs))}</td><td class="n">${r.predictedBootMs === undefined ? '—' : esc(fmtMs(r.predictedBootMs))}</td>`
        : '';
      return `<tr><td class="n">${r.threads}</td><td class="n">${esc(fmtMs(r.measuredMs))}</td><td class="n">${esc(fmtMs(r.predictedMs))}</td><td class="n${cls}">${r.error >= 0 ? '+' : ''}${(100 * r.error).toFixed(2)}%</td>${b}</tr>`;
    })
    .join('');
  return `<h2 id="residuals">Rows</h2><table>${head}${body}</table>`;
}

export function renderCalibrateReport(d: CalibrateReportData): string {
  const c = d.calibration;
  const head =
    `<h1>${esc(c.fit.scenario)} <span class="dim">/ calibrate</span></h1>` +
    (d.description ? `<p class="desc">${esc(d.description)}</p>` : '') +
    metaList([
      ['profile', String(c.profile.name ?? c.profile.base ?? '')],
      ['base', String(c.profile.base ?? '')],
      ['fitted', c.fit.fitted.join(', ')],
    ]) +
    status(c);
  const measured = {
    deferredInit: c.fit.rows.map((r) => ({ threads: r.threads, ms: r.measuredMs, ...(r.measuredStdevMs === undefined ? {} : { stdevMs: r.measuredStdevMs }) })),
    boot: c.fit.rows.flatMap((r) => (r.measuredBootMs === undefined ? [] : [{ threads: r.threads, ms: r.measuredBootMs }])),
  };
  const banded = d.curve.some((r) => r.deferredInitSigmaMs !== null);
  const curves = renderSweepReportBody({
    rows: d.curve,
    measured,
    published: d.published,
    bootChart: measured.boot.length > 0,
  });
  const note = banded ? '' : '<p class="note">No band: the fit determined no parameter\'s uncertainty.</p>';
  return htmlPage(`memmap-sim: calibrate ${c.fit.scenario}`, head + paramTable(c) + residualTable(c) + curves + note);
}
