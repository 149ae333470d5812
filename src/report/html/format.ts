/** Small formatting helpers for the HTML report; every string from a scenario goes through esc(). */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const esc = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);

/** Milliseconds as people read them (shared with the CLI tables). */
export { formatDuration as fmtMs } from '../durations.js';

/** A whole number with thin-space thousands separators (locale independent). */
export const fmtInt = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');

/** Coordinates rounded to 0.1 px to keep the SVG small. */
export const px = (v: number): string => String(Math.round(v * 10) / 10);

/** About `count` round ticks (1, 2 or 5 x 10^k apart) covering [0, max]. */
export function niceTicks(max: number, count = 8): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let i = 0; i * step <= max * (1 + 1e-9); i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** A tick label: as many decimals as the step needs. */
export function tickLabel(v: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
  return v.toFixed(decimals);
}

/** Bytes in the largest binary unit (KiB to TiB) that leaves at least 1, two decimals (traffic is not a round size). */
export function fmtBytes(bytes: number): string {
  const units = ['TiB', 'GiB', 'MiB', 'KiB'] as const;
  for (let i = 0; i < units.length; i++) {
    const u = 2 ** (40 - 10 * i);
    if (bytes >= u) return `${(bytes / u).toFixed(2)} ${units[i]}`;
  }
  return `${Math.round(bytes)} B`;
}
