import type { ReportInstant, ReportSpan } from './model.js';

/** Merge spans of one row closer than this share of the run. */
export const MERGE_SHARE = 0.001;
/** At most this many rects (and as many instant markers) in the timeline. */
export const MAX_RECTS = 3000;

/** Spans of one row and kind that start within gapNs of the previous one's end, merged. */
function mergeSpans(spans: readonly ReportSpan[], gapNs: number): ReportSpan[] {
  const sorted = [...spans].sort((a, b) => a.row - b.row || a.start - b.start);
  const out: ReportSpan[] = [];
  const last = new Map<string, ReportSpan>();
  for (const s of sorted) {
    const key = `${s.row}|${s.kind}`;
    const prev = last.get(key);
    if (prev && s.start - prev.end <= gapNs) {
      prev.end = Math.max(prev.end, s.end);
      prev.n += s.n;
      continue;
    }
    const copy = { ...s };
    out.push(copy);
    last.set(key, copy);
  }
  return out;
}

/**
 * The timeline's spans, light enough for thousands of trace spans: merged at
 * 0.1% of the run, then at a growing gap until under MAX_RECTS; if still over
 * (rows that alternate kinds), only the longest are kept.
 */
export function lightenSpans(spans: readonly ReportSpan[], endNs: number): { spans: ReportSpan[]; omitted: number } {
  let gap = MERGE_SHARE * endNs;
  let out = mergeSpans(spans, gap);
  while (out.length > MAX_RECTS && gap < endNs) {
    gap *= 4;
    out = mergeSpans(out, gap);
  }
  if (out.length <= MAX_RECTS) return { spans: out, omitted: 0 };
  const kept = [...out].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, MAX_RECTS);
  return { spans: kept, omitted: out.length - kept.length };
}

/** Instants of one row and type closer than 0.1% of the run folded into one marker (counts summed), capped. */
export function lightenInstants(instants: readonly ReportInstant[], endNs: number): { instants: ReportInstant[]; omitted: number } {
  const gap = MERGE_SHARE * endNs;
  const sorted = [...instants].sort((a, b) => a.row - b.row || a.t - b.t);
  const out: ReportInstant[] = [];
  const last = new Map<string, number>();
  for (const i of sorted) {
    const key = `${i.row}|${i.type}`;
    const at = last.get(key);
    if (at !== undefined && i.t - out[at].t <= gap) {
      out[at] = { ...out[at], count: out[at].count + i.count };
      continue;
    }
    last.set(key, out.length);
    out.push(i);
  }
  return { instants: out.slice(0, MAX_RECTS), omitted: Math.max(0, out.length - MAX_RECTS) };
}
