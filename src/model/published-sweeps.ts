/**
 * Published deferred-init tables, by the built-in scenario that models their
 * machine: the points `sweep --report` and `calibrate --report` draw beside
 * the predictions. Times in ms with their published standard deviation.
 */

export interface PublishedPoint {
  readonly threads: number;
  readonly deferredInitMs: number;
  readonly deferredInitStdevMs: number;
  readonly bootMs: number;
  readonly bootStdevMs: number;
}

export interface PublishedSweep {
  /** Who published it, where and when. */
  readonly source: string;
  readonly points: readonly PublishedPoint[];
}

const row = (threads: number, bootMs: number, bootStdevMs: number, deferredInitMs: number, deferredInitStdevMs: number): PublishedPoint => ({
  threads,
  deferredInitMs,
  deferredInitStdevMs,
  bootMs,
  bootStdevMs,
});

/** Jordan, "[PATCH v2 5/7] mm: parallelize deferred_init_memmap()", 20 May 2020: Xeon Platinum 8167M, slowest node (kernel-facts.md §3.1). */
const SKYLAKE_2020: PublishedSweep = {
  source: 'Daniel Jordan, "[PATCH v2 5/7] mm: parallelize deferred_init_memmap()", linux-mm, 20 May 2020 (Xeon Platinum 8167M, 2 nodes x 26 cores x 2 threads)',
  points: [
    row(1, 4021.3, 2.9, 1717.7, 7.8),
    row(6, 2644.7, 35.3, 341.0, 35.5),
    row(13, 2498.0, 34.2, 193.3, 32.3),
    row(19, 2482.0, 25.2, 175.3, 31.7),
    row(26, 2495.0, 8.7, 193.7, 3.5),
    row(39, 2478.0, 21.0, 172.7, 26.7),
    row(52, 2448.0, 2.0, 143.3, 1.5),
  ],
};

const BY_SCENARIO: ReadonlyMap<string, PublishedSweep> = new Map([['seed003-skylake-768g', SKYLAKE_2020]]);

/** The published table of a built-in scenario's machine, or null. */
export const publishedSweep = (scenario: string): PublishedSweep | null => BY_SCENARIO.get(scenario) ?? null;
