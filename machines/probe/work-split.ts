import type { PfnRange } from '../../src/model/scenario.js';

/**
 * Seed 000's split: size / N pages each, the last thread also takes the
 * remainder. Fewer threads when there are fewer pages than threads. With
 * compound pages (`align` pfns) the boundaries round down to a compound page,
 * so no compound page is shared between threads (H14); align 1 is seed 000.
 */
export function splitEqual(range: PfnRange, threads: number, align = 1): PfnRange[] {
  const size = range.endPfn - range.startPfn;
  if (size <= 0) return [];
  const n = Math.max(1, Math.min(threads, size));
  const step = Math.floor(size / n);
  const out: PfnRange[] = [];
  let startPfn = range.startPfn;
  for (let k = 0; k < n; k++) {
    const cut = k === n - 1 ? range.endPfn : Math.floor((range.startPfn + (k + 1) * step) / align) * align;
    const endPfn = Math.min(range.endPfn, Math.max(startPfn, cut));
    if (endPfn > startPfn) out.push({ startPfn, endPfn });
    startPfn = endPfn;
  }
  return out;
}

/**
 * Section-aligned split: whole sections, as evenly as they go, in contiguous
 * blocks; boundaries fall on absolute section boundaries so no two threads
 * share a section (and its usemap words). `unit` (pfns, a multiple of a
 * section) is the block actually dealt out: a 1 GiB compound page spans 8
 * sections, so chunks must be whole compound pages (H14).
 */
export function splitBySection(range: PfnRange, threads: number, pagesPerSection: number, unit = pagesPerSection): PfnRange[] {
  if (range.endPfn <= range.startPfn) return [];
  const block = Math.max(unit, pagesPerSection);
  const first = Math.floor(range.startPfn / block);
  const last = Math.floor((range.endPfn - 1) / block);
  const blocks = last - first + 1;
  const n = Math.max(1, Math.min(threads, blocks));
  const base = Math.floor(blocks / n);
  const extra = blocks % n;
  const out: PfnRange[] = [];
  let s = first;
  for (let k = 0; k < n; k++) {
    const count = base + (k < extra ? 1 : 0);
    out.push({
      startPfn: Math.max(range.startPfn, s * block),
      endPfn: Math.min(range.endPfn, (s + count) * block),
    });
    s += count;
  }
  return out;
}

/** Cuts each range at the given pfns (sorted), so no piece straddles one. */
export function cutAtPfns<T extends { startPfn: number; endPfn: number }>(pieces: readonly T[], cuts: readonly number[]): T[] {
  if (!cuts.length) return [...pieces];
  const out: T[] = [];
  for (const p of pieces) {
    let at = p.startPfn;
    for (const c of cuts) {
      if (c > at && c < p.endPfn) {
        out.push({ ...p, startPfn: at, endPfn: c });
        at = c;
      }
    }
    out.push({ ...p, startPfn: at, endPfn: p.endPfn });
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
