import { intersect } from './boot-layout.js';
import type { PfnRange } from './scenario.js';

/**
 * The pfns deferred_init_memmap_chunk(start, end) initializes and frees. Its
 * loop runs while spfn < end, and each deferred_init_maxorder call goes on to
 * ALIGN(spfn + 1, MAX_ORDER_NR_PAGES) across every free piece, never clamped
 * to the chunk end: the last call finishes the max-order block that holds
 * the chunk's last free pfn. A chunk ending on a max-order boundary (every
 * section-aligned chunk) is unchanged; one ending inside a block reaches into
 * the next thread's chunk. (mm/mm_init.c, torvalds/linux @00c010e1.)
 */
export function maxorderReach(free: readonly PfnRange[], chunk: PfnRange, maxOrderNrPages: number): PfnRange {
  let last = -1;
  for (const f of free) {
    const piece = intersect(f, chunk);
    if (piece) last = piece.endPfn - 1;
  }
  const blockEnd = Math.ceil((last + 1) / maxOrderNrPages) * maxOrderNrPages;
  return last < 0 ? chunk : { startPfn: chunk.startPfn, endPfn: Math.max(chunk.endPfn, blockEnd) };
}
