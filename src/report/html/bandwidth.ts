import { LEFT, PLOT, WIDTH, timeAxis, xOf } from './axis.js';
import { esc, niceTicks, px, tickLabel } from './format.js';
import type { ChannelSeries } from './model.js';

const H = 110;
const TOP = 8;
/** More steps than this are averaged (time-weighted, so bytes are kept) into BUCKETS buckets. */
const MAX_STEPS = 1500;
const BUCKETS = 800;

/** The channel's steps, or their time-weighted means over equal buckets when there are too many. */
function steps(points: readonly [number, number][], endNs: number): { points: [number, number][]; averaged: boolean } {
  if (points.length <= MAX_STEPS || endNs <= 0) return { points: [...points], averaged: false };
  const width = endNs / BUCKETS;
  const sums = new Array<number>(BUCKETS).fill(0);
  for (let i = 0; i < points.length; i++) {
    const [t0, rate] = points[i];
    const t1 = i + 1 < points.length ? points[i + 1][0] : endNs;
    for (let t = t0; t < t1 && rate > 0;) {
      const b = Math.min(BUCKETS - 1, Math.floor(t / width));
      const until = Math.min(t1, (b + 1) * width);
      sums[b] += rate * (until - t);
      if (until <= t) break;
      t = until;
    }
  }
  return { points: sums.map((s, b) => [b * width, s / width]), averaged: true };
}

/** One step plot of a channel's bandwidth (GB/s over the run's time) with its capacity line. */
export function renderBandwidth(c: ChannelSeries, endNs: number): string {
  const { points, averaged } = steps(c.points, endNs);
  const peak = Math.max(c.capacity, ...points.map((p) => p[1]));
  const rough = niceTicks(peak * 1.1 || 1, 4);
  const step = rough.length > 1 ? rough[1] - rough[0] : 1;
  const yMax = step * Math.ceil((peak * 1.1 || 1) / step);
  const yTicks = rough.length < 2 ? rough : [...rough, ...(rough[rough.length - 1] < yMax - step / 2 ? [yMax] : [])];
  const yOf = (gbs: number) => TOP + H - (gbs / yMax) * H;
  let d = `M${LEFT} ${px(yOf(0))}`;
  for (const [t, rate] of points) d += `H${px(xOf(t, endNs))}V${px(yOf(rate))}`;
  d += `H${LEFT + PLOT}`;
  const grid = yTicks
    .map(
      (v) =>
        `<line class="grid" x1="${LEFT}" y1="${px(yOf(v))}" x2="${LEFT + PLOT}" y2="${px(yOf(v))}"/><text class="tick" x="${LEFT - 6}" y="${px(yOf(v) + 4)}" text-anchor="end">${tickLabel(v, step)}</text>`,
    )
    .join('');
  const cap = px(yOf(c.capacity));
  return (
    `<svg class="bw" data-channel="${esc(c.name)}" viewBox="0 0 ${WIDTH} ${TOP + H + 30}" width="${WIDTH}" height="${TOP + H + 30}" role="img" aria-label="${esc(c.name)} bandwidth">` +
    `<rect class="plot" x="${LEFT}" y="${TOP}" width="${PLOT}" height="${H}"/>${grid}${timeAxis(endNs, TOP, TOP + H)}` +
    `<text class="group" x="4" y="${TOP + 13}">${esc(c.name)}</text><text class="row" x="4" y="${TOP + 28}">GB/s${averaged ? ` (means over ${BUCKETS} buckets)` : ''}</text>` +
    `<line class="capacity" x1="${LEFT}" y1="${cap}" x2="${LEFT + PLOT}" y2="${cap}"><title>capacity ${esc(c.capacity.toFixed(2))} GB/s</title></line>` +
    `<text class="cap" x="${LEFT + PLOT - 4}" y="${px(yOf(c.capacity) - 3)}" text-anchor="end">capacity ${c.capacity.toFixed(2)} GB/s</text>` +
    `<path class="rate" d="${d}"/></svg>`
  );
}
