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

/** pfn ^ (1 << order), in arithmetic: JavaScript's `^` works on 32 bits, and pfns go past 2^31 above 8 TiB. */
export function buddyOf(pfn: number, order: number): number {
  const size = 2 ** order;
  return Math.floor(pfn / size) % 2 === 0 ? pfn + size : pfn - size;
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
    const buddy = buddyOf(pfn, order);
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

/**
 * Pages [lo, hi) of one max-order block freed one at a time, in order, as
 * freeOne page by page would (each page initialized just before its free
 * when `perPage`), without a merge loop per page. The run is cut into
 * aligned power-of-two pieces. Inside a piece of order k, freeing page m
 * merges with the pieces freed before it and then reads the next page, which
 * is not free: that read is the only one, and it is of an uninitialized
 * struct page exactly when the next page's flag is 0. The piece's last page
 * completes it into one block of order k, which then merges on as freeOne(p, k).
 * `onUninitReads` hears the first read of a piece and how many it made.
 * `flags[pfn - base]` is 1 for an initialized struct page; per page, the run's
 * flags are set as its pages are. Assumes no page of the run is free yet.
 */
export function freeRun(
  block: FreeBlocks,
  run: { readonly lo: number; readonly hi: number; readonly base: number; readonly perPage: boolean },
  maxOrder: number,
  flags: Uint8Array,
  onUninitReads: (first: UninitRead, count: number) => void,
): void {
  const { lo, hi, base } = run;
  const onUninitRead = (read: UninitRead) => onUninitReads(read, 1);
  const isInitialized = (pfn: number) => flags[pfn - base] === 1;
  for (let p = lo; p < hi;) {
    let k = 0;
    while (k < maxOrder && (p - base) % 2 ** (k + 1) === 0 && p + 2 ** (k + 1) <= hi) k++;
    const size = 2 ** k;
    const from = p - base;
    const firstUninit = flags.subarray(from + 1, from + size).indexOf(0);
    if (firstUninit >= 0) {
      const j = firstUninit + 1;
      // Page j - 1 of the piece merged over its trailing one bits, then read page j.
      const order = trailingOnes(j - 1);
      let count = 1;
      for (let i = from + j + 1; i < from + size; i++) if (flags[i] === 0) count++;
      onUninitReads({ pfn: p + j - 2 ** order, buddyPfn: p + j, order }, count);
    }
    if (run.perPage) flags.fill(1, from, from + size);
    freeOne(block, p, k, maxOrder, isInitialized, onUninitRead);
    p += size;
  }
}

const trailingOnes = (m: number): number => {
  let t = 0;
  while (m % 2 === 1) {
    m = (m - 1) / 2;
    t++;
  }
  return t;
};
