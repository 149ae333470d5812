import { niceTicks, px, tickLabel } from './format.js';

/** Plot geometry shared by the timeline and the bandwidth plots, in SVG user units. */
export const WIDTH = 1200;
export const LEFT = 190;
export const RIGHT = 24;
export const PLOT = WIDTH - LEFT - RIGHT;

/** x of a time (ns) on a run of endNs. */
export const xOf = (t: number, endNs: number): number => LEFT + (endNs > 0 ? (Math.min(Math.max(t, 0), endNs) / endNs) * PLOT : 0);

/** Vertical grid lines from top to bottom and ms labels under the bottom. */
export function timeAxis(endNs: number, top: number, bottom: number): string {
  const ticks = niceTicks(endNs / 1e6);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const parts = ticks.map((ms) => {
    const x = px(xOf(ms * 1e6, endNs));
    return `<line class="grid" x1="${x}" y1="${top}" x2="${x}" y2="${bottom}"/><text class="tick" x="${x}" y="${bottom + 12}" text-anchor="middle">${tickLabel(ms, step)}</text>`;
  });
  parts.push(`<text class="tick" x="${LEFT + PLOT}" y="${bottom + 24}" text-anchor="end">ms</text>`);
  return parts.join('');
}
