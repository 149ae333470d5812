/**
 * __free_one_page's merge loop over one max-order block, pure. Freeing
 * (pfn, order) reads the buddy struct page pfn ^ (1 << order) (PageBuddy and
 * its order) and merges while that buddy is free at the same order, up to
 * MAX_PAGE_ORDER. A read of a buddy whose struct page is not initialized is
 * hazard H1: the caller decides, through `isInitialized`, and is told.
 */
export interface FreeBlocks {
  /** Free buddy blocks in one max-order block: start pfn -> order. */
  readonly free: Map<number, number>;
}

export interface UninitRead {
  readonly pfn: number;
  readonly buddyPfn: number;
  readonly order: number;
}

export function freeOne(
  block: FreeBlocks,
  pfn: number,
  order: number,
  maxOrder: number,
  isInitialized: (pfn: number) => boolean,
  onUninitRead: (read: UninitRead) => void,
): { pfn: number; order: number } {
  while (order < maxOrder) {
    const buddy = pfn ^ (1 << order);
    if (!isInitialized(buddy)) {
      // Garbage flags read as "not a buddy": the merge stops here.
      onUninitRead({ pfn, buddyPfn: buddy, order });
      break;
    }
    if (block.free.get(buddy) !== order) break;
    block.free.delete(buddy);
    pfn = Math.min(pfn, buddy);
    order++;
  }
  block.free.set(pfn, order);
  return { pfn, order };
}

/**
 * Uninitialized-buddy reads when the pages of an aligned max-order block are
 * initialized and freed one at a time in order (init p, free p): each free
 * reads the uninitialized page above it, except the last, which completes the
 * block. Equal to running freeOne page by page, without the loop.
 */
export function perPageReadsInFullBlock(maxOrderNrPages: number): number {
  return maxOrderNrPages - 1;
}
