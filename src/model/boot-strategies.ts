import type { StrategyStatus } from './strategies.js';

/**
 * How deferred struct page init runs at boot (kernel-facts.md §2.2, §2.3).
 * The names are part of the CLI contract.
 */
export interface BootStrategy {
  readonly name: string;
  readonly status: StrategyStatus;
  readonly summary: string;
  /** false: everything initialized early on the boot CPU (no CONFIG_DEFERRED_STRUCT_PAGE_INIT). */
  readonly deferred: boolean;
  /** one: the pgdatinit thread alone; padata: padata_do_multithreaded with max_threads = node CPUs (or --threads). */
  readonly threads: 'one' | 'padata';
  /** padata align and min_chunk: PAGES_PER_SECTION, or one page (known bad). */
  readonly align: 'section' | 'page';
  /** padata min_chunk: a unit or a page count; absent = the same as align (the kernel's min_chunk = align). */
  readonly minChunk?: 'section' | 'max-order' | 'page' | number;
  /** padata max_threads at most this; absent = node CPUs (or --threads). */
  readonly maxThreads?: number;
  /**
   * maxorder: deferred_init_maxorder (init a max-order block, then free it);
   * chunk: init the whole chunk, then free it (before 2019);
   * per-page: free each page right after initializing it (known bad).
   */
  readonly freeOrder: 'maxorder' | 'chunk' | 'per-page';
  /** deferred_grow_zone stops on a section boundary, or exactly at the pages asked for (known bad). */
  readonly growStop: 'section' | 'exact';
  /** Written by the user (scenario `strategy` object or --strategy-file), not built in. */
  readonly userDefined?: true;
}

const base = { deferred: true, threads: 'padata', align: 'section', freeOrder: 'maxorder', growStop: 'section' } as const;

const list: BootStrategy[] = [
  {
    ...base,
    name: 'no-defer',
    status: 'historical',
    summary: 'Without CONFIG_DEFERRED_STRUCT_PAGE_INIT: every struct page initialized early, single-threaded on the boot CPU, node after node.',
    deferred: false,
    threads: 'one',
  },
  {
    ...base,
    name: 'deferred-serial',
    status: 'historical',
    summary: 'Before 5.8: one pgdatinit thread per node, all nodes in parallel, MAX_ORDER blocks initialized then freed (0e56acae4b4d).',
    threads: 'one',
  },
  {
    ...base,
    name: 'maxorder-off',
    status: 'historical',
    summary: 'Before 2019 (0e56acae4b4d): initialize a whole chunk, then free it, so the free pass re-reads a memmap that has left L2. Threaded like padata.',
    freeOrder: 'chunk',
  },
  {
    ...base,
    name: 'padata',
    status: 'mainline',
    summary:
      'Mainline since 5.8: padata_do_multithreaded per free range, align = min_chunk = PAGES_PER_SECTION, max_threads = node CPUs; deferred_init_maxorder.',
  },
  {
    ...base,
    name: 'bug-unaligned-chunks',
    status: 'known-bad',
    summary:
      'Known bad (H1, H13; I3, I2, I1): align = min_chunk = 1 page, which Duyck ruled out in review of the padata series (5 May 2020; 5.8 merged PAGES_PER_SECTION). Chunk ends fall inside max-order blocks, and deferred_init_maxorder runs each step to the end of the block, not to the chunk end: both threads sharing a block initialize and free its tail (double init, double free), and the frees of the first read buddies not yet initialized. Latent where every chunk, job size / (4 x node CPUs), is a multiple of MAX_ORDER_NR_PAGES, as on one CPU or a 1 GiB or 4 GiB node with up to 8 CPUs: the kernel is safe there too.',
    align: 'page',
  },
  {
    ...base,
    name: 'bug-free-before-init',
    status: 'known-bad',
    summary:
      'Known bad (H1; I1): each page freed right after it is initialized, so the buddy merge reads the next, uninitialized page; deferred_init_maxorder has two passes for this (0e56acae4b4d, Duyck, 2019). Latent only on nodes with no deferred pages.',
    freeOrder: 'per-page',
  },
  {
    ...base,
    name: 'bug-grow-mid-block',
    status: 'known-bad',
    summary:
      'Known bad (H2; I2, I1): deferred_grow_zone stops at exactly the pages requested, in the middle of a max-order block; mainline stops only on a section boundary (Jordan, seed 004: "missed the case where deferred_grow_zone could stop mid-max-order-block"). Latent without a boot.growZone request (seed003-skylake-768g has none, so nothing grows there) and when the request ends on a max-order boundary.',
    growStop: 'exact',
  },
];

export const BOOT_STRATEGIES: ReadonlyMap<string, BootStrategy> = new Map(list.map((s) => [s.name, s]));

export const DEFAULT_BOOT_STRATEGY = 'padata';

/** padata align and min_chunk of a strategy, in pages. */
export function padataGranules(s: BootStrategy, pagesPerSection: number, maxOrderNrPages: number): { align: number; minChunk: number } {
  const pages = (u: 'section' | 'max-order' | 'page') => (u === 'section' ? pagesPerSection : u === 'max-order' ? maxOrderNrPages : 1);
  const align = pages(s.align);
  const minChunk = s.minChunk === undefined ? align : typeof s.minChunk === 'number' ? s.minChunk : pages(s.minChunk);
  return { align, minChunk };
}
