/**
 * A time-against-threads chart: the predicted curve with its uncertainty
 * band, and measured or published points (with their stdev as whiskers)
 * beside it. Threads go on a log2 axis when they span 8x or more, so the
 * small counts where the speedup is decided are not crowded together.
 */
import { esc, fmtMs, niceTicks, px, tickLabel } from './format.js';

export interface PredictedCurve {
  readonly threads: readonly number[];
  readonly ms: readonly number[];
  /** One standard uncertainty per point, or null where there is none. */
  readonly sigmaMs: readonly (number | null)[];
}

export interface PointSet {
  readonly kind: 'measured' | 'published';
  readonly label: string;
  readonly points: readonly { readonly threads: number; readonly ms: number; readonly stdevMs?: number }[];
}

const W = 900;
const H = 320;
const L = 70;
const R = 20;
const T = 12;
const B = 40;

/** x of a thread count: log2 when the counts span 8x or more, else linear. */
function xScale(lo: number, hi: number): { x: (t: number) => number; log: boolean } {
  const log = hi / lo >= 8;
  const f = log ? Math.log2 : (v: number) => v;
  const [a, b] = [f(lo), f(hi)];
  return { x: (t) => L + (b > a ? ((f(t) - a) / (b - a)) * (W - L - R) : (W - L - R) / 2), log };
}

/** The thread counts labelled under the axis: the curve's own when few, else powers of two. */
function xTicks(threads: readonly number[], lo: number, hi: number): number[] {
  const own = [...new Set(threads)].sort((a, b) => a - b);
  if (own.length <= 12) return own;
  const out: number[] = [];
  for (let t = 1; t <= hi && out.length < 20; t *= 2) if (t >= lo) out.push(t);
  return out;
}

function bandPath(c: PredictedCurve, x: (t: number) => number, y: (ms: number) => number): string {
  const idx = c.threads.map((_, i) => i).filter((i) => c.sigmaMs[i] !== null);
  if (idx.length < 2) return '';
  const up = idx.map((i) => `${px(x(c.threads[i]))} ${px(y(c.ms[i] + c.sigmaMs[i]!))}`);
  const down = idx.reverse().map((i) => `${px(x(c.threads[i]))} ${px(y(Math.max(0, c.ms[i] - c.sigmaMs[i]!)))}`);
  return `<path class="band" d="M${up.join('L')}L${down.join('L')}Z"><title>predicted ± one standard uncertainty</title></path>`;
}

function pointMarks(set: PointSet, x: (t: number) => number, y: (ms: number) => number): string {
  return set.points
    .map((p) => {
      const [cx, cy] = [px(x(p.threads)), px(y(p.ms))];
      const whisker = p.stdevMs
        ? `<line class="whisker" x1="${cx}" y1="${px(y(p.ms + p.stdevMs))}" x2="${cx}" y2="${px(y(Math.max(0, p.ms - p.stdevMs)))}"/>`
        : '';
      const title = `<title>${esc(`${set.label}: ${p.threads} threads, ${fmtMs(p.ms)}${p.stdevMs ? ` (stdev ${fmtMs(p.stdevMs)})` : ''}`)}</title>`;
      const mark =
        set.kind === 'published'
          ? `<rect class="published" x="${px(x(p.threads) - 4)}" y="${px(y(p.ms) - 4)}" width="8" height="8" transform="rotate(45 ${cx} ${cy})">${title}</rect>`
          : `<circle class="measured" cx="${cx}" cy="${cy}" r="4.5">${title}</circle>`;
      return whisker + mark;
    })
    .join('');
}

/** The 1-2-5 steps from below lo to above hi: the ticks of a log axis. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)) && out.length < 40; k++)
    for (const m of [1, 2, 5]) out.push(Number((m * 10 ** k).toPrecision(6)));
  const below = out.filter((v) => v <= lo).at(-1) ?? out[0];
  const above = out.find((v) => v >= hi) ?? out.at(-1)!;
  return out.filter((v) => v >= below && v <= above);
}

/** y of a time: log10 when the times span 8x or more (the plateau is then readable), else linear from 0. */
function yScale(values: readonly number[]): { y: (ms: number) => number; ticks: number[]; label: (v: number) => string; log: boolean } {
  const positive = values.filter((v) => v > 0);
  const [lo, hi] = positive.length ? [Math.min(...positive), Math.max(...positive)] : [1e-6, 1e-6];
  if (hi / lo >= 8) {
    const ticks = logTicks(lo, hi);
    const [a, b] = [Math.log10(ticks[0]), Math.log10(ticks.at(-1)!)];
    return { y: (ms) => T + H - ((Math.log10(Math.max(ms, ticks[0])) - a) / (b - a)) * H, ticks, label: (v) => String(v), log: true };
  }
  const ticks = niceTicks(hi * 1.05, 6);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const yMax = Math.max(ticks.at(-1)!, hi * 1.05);
  return { y: (ms) => T + H - (ms / yMax) * H, ticks, label: (v) => tickLabel(v, step), log: false };
}

/** One SVG chart of `what` (ms) against threads. */
export function renderCurveChart(what: string, curve: PredictedCurve, sets: readonly PointSet[]): string {
  const all = [...curve.threads, ...sets.flatMap((s) => s.points.map((p) => p.threads))];
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const { x, log } = xScale(lo, hi);
  const values = [
    ...curve.ms.flatMap((v, i) => [v + (curve.sigmaMs[i] ?? 0), v - (curve.sigmaMs[i] ?? 0)]),
    ...sets.flatMap((s) => s.points.flatMap((p) => [p.ms + (p.stdevMs ?? 0), p.ms - (p.stdevMs ?? 0)])),
  ];
  const { y, ticks, label, log: yLog } = yScale(values);
  const grid = ticks
    .map(
      (v) =>
        `<line class="grid" x1="${L}" y1="${px(y(v))}" x2="${W - R}" y2="${px(y(v))}"/><text class="tick" x="${L - 6}" y="${px(y(v) + 4)}" text-anchor="end">${label(v)}</text>`,
    )
    .join('');
  const xt = xTicks(curve.threads, lo, hi)
    .map(
      (t) =>
        `<line class="grid" x1="${px(x(t))}" y1="${T}" x2="${px(x(t))}" y2="${T + H}"/><text class="tick" x="${px(x(t))}" y="${T + H + 14}" text-anchor="middle">${t}</text>`,
    )
    .join('');
  const line = curve.threads.map((t, i) => `${i ? 'L' : 'M'}${px(x(t))} ${px(y(curve.ms[i]))}`).join('');
  const dots = curve.threads
    .map(
      (t, i) =>
        `<circle class="pred" cx="${px(x(t))}" cy="${px(y(curve.ms[i]))}" r="2.5"><title>${esc(`predicted: ${t} threads, ${fmtMs(curve.ms[i])}`)}</title></circle>`,
    )
    .join('');
  return (
    `<svg class="curve" data-curve="${esc(what)}" viewBox="0 0 ${W} ${T + H + B}" width="${W}" height="${T + H + B}" role="img" aria-label="${esc(what)} against threads">` +
    `<rect class="plot" x="${L}" y="${T}" width="${W - L - R}" height="${H}"/>${grid}${xt}${bandPath(curve, x, y)}` +
    `<path class="predicted" d="${line}"/>${dots}${sets.map((s) => pointMarks(s, x, y)).join('')}` +
    `<text class="tick" x="${W - R}" y="${T + H + 32}" text-anchor="end">threads per node${log ? ' (log scale)' : ''}</text>` +
    `<text class="tick" x="12" y="${T + H / 2}" transform="rotate(-90 12 ${T + H / 2})" text-anchor="middle">${esc(what)}, ms${yLog ? ' (log scale)' : ''}</text></svg>`
  );
}

/** The legend under a chart: only what it draws. */
export function curveLegend(banded: boolean, sets: readonly PointSet[]): string {
  const items = ['<span><i style="background:#1f77b4"></i>predicted</span>'];
  if (banded) items.push('<span><i style="background:#1f77b440"></i>± one standard uncertainty of the calibration</span>');
  for (const s of sets) {
    const swatch = s.kind === 'published' ? '<i class="diamond" style="background:#d62728"></i>' : '<i style="background:#2ca02c;border-radius:6px"></i>';
    items.push(`<span>${swatch}${esc(s.label)}</span>`);
  }
  return `<div class="legend">${items.join('')}</div>`;
}

/** Chart classes, added to the report's stylesheet. */
export const CURVE_STYLE =
  'svg .predicted{fill:none;stroke:#1f77b4;stroke-width:2}svg .pred{fill:#1f77b4}svg .band{fill:#1f77b4;fill-opacity:.25;stroke:none}' +
  'svg .measured{fill:#2ca02c;stroke:#fff}svg .published{fill:#d62728;stroke:#fff}svg .whisker{stroke:#555;stroke-width:1.2}' +
  '.ok{color:#2e7d32;font-weight:600}.bad{color:#c00000;font-weight:600}';
