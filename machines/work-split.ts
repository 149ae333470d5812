import type { PfnRange } from '../src/model/scenario.js';

/**
 * Seed 000's split: size / N pages each, the last thread also takes the
 * remainder. Fewer threads when there are fewer pages than threads.
 */
export function splitEqual(range: PfnRange, threads: number): PfnRange[] {
  const size = range.endPfn - range.startPfn;
  if (size <= 0) return [];
  const n = Math.max(1, Math.min(threads, size));
  const step = Math.floor(size / n);
  const out: PfnRange[] = [];
  for (let k = 0; k < n; k++) {
    const startPfn = range.startPfn + k * step;
    out.push({ startPfn, endPfn: k === n - 1 ? range.endPfn : startPfn + step });
  }
  return out;
}

/**
 * Section-aligned split: whole sections, as evenly as they go, in contiguous
 * blocks; boundaries fall on absolute section boundaries so no two threads
 * share a section (and its usemap words).
 */
export function splitBySection(range: PfnRange, threads: number, pagesPerSection: number): PfnRange[] {
  if (range.endPfn <= range.startPfn) return [];
  const first = Math.floor(range.startPfn / pagesPerSection);
  const last = Math.floor((range.endPfn - 1) / pagesPerSection);
  const sections = last - first + 1;
  const n = Math.max(1, Math.min(threads, sections));
  const base = Math.floor(sections / n);
  const extra = sections % n;
  const out: PfnRange[] = [];
  let s = first;
  for (let k = 0; k < n; k++) {
    const count = base + (k < extra ? 1 : 0);
    out.push({
      startPfn: Math.max(range.startPfn, s * pagesPerSection),
      endPfn: Math.min(range.endPfn, (s + count) * pagesPerSection),
    });
    s += count;
  }
  return out;
}

/** Cuts a range at the given boundaries (sorted section-run starts). */
export function cutAt<T extends PfnRange>(range: PfnRange, pieces: readonly T[]): { piece: T; startPfn: number; endPfn: number }[] {
  const out: { piece: T; startPfn: number; endPfn: number }[] = [];
  for (const p of pieces) {
    const lo = Math.max(range.startPfn, p.startPfn);
    const hi = Math.min(range.endPfn, p.endPfn);
    if (lo < hi) out.push({ piece: p, startPfn: lo, endPfn: hi });
  }
  return out;
}
