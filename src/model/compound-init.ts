/**
 * How much work memmap_init_zone_device does on a pfn range with compound
 * pages (kernel-facts.md §2.4): per compound page, __init_zone_device_page on
 * the head, then memmap_init_compound on the next nr - 1 tails
 * (prep_compound_tail + set_page_count(0) each, prep_compound_head after the
 * first), where nr = compound_nr_pages: 128 when the vmemmap is deduplicated,
 * the whole compound page otherwise. Closed forms over absolute pfns (compound
 * pages are aligned to their size), so the cost of a step is O(1).
 */

/** Pfns p in [0, x) with (p mod n) < nr. */
function countBelow(x: number, n: number, nr: number): number {
  return Math.floor(x / n) * nr + Math.min(x % n, nr);
}

/** Struct pages initialized in [start, end): pfns at offset < nr in their compound page of n pfns. */
export function structPagesIn(start: number, end: number, n: number, nr: number): number {
  if (end <= start) return 0;
  if (nr >= n) return end - start;
  return countBelow(end, n, nr) - countBelow(start, n, nr);
}

/** Compound heads (pfns that are multiples of n) in [start, end). */
export function headsIn(start: number, end: number, n: number): number {
  if (end <= start) return 0;
  return Math.floor((end - 1) / n) - Math.ceil(start / n) + 1;
}

/** Pageblocks whose first pfn lies in [start, end): the ones a step owns. */
export function pageblocksIn(start: number, end: number, pageblock: number): number {
  return headsIn(start, end, pageblock);
}

/**
 * Pageblocks of [start, end) that the pre-2026 loop reached: __init_zone_device_page
 * set the migratetype only at pageblock-aligned pfns it visited, i.e. within
 * the first nr pfns of each compound page (all of them at 4K and 2M; 1 of 512
 * at 1G). The per-page cost fitted on 2018/2022 kernels already pays these.
 */
export function visitedPageblocksIn(start: number, end: number, n: number, nr: number, pageblock: number): number {
  if (end <= start) return 0;
  if (nr >= n || n <= pageblock) return pageblocksIn(start, end, pageblock);
  const perCompound = Math.ceil(nr / pageblock);
  // Pageblock starts in [start, end) at offset < perCompound*pageblock within their compound page.
  const spanOf = (x: number) => countBelow(Math.ceil(x / pageblock), n / pageblock, perCompound);
  return spanOf(end) - spanOf(start);
}
