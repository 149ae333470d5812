import type { HardwareProfile } from '../profile.js';

/**
 * The machine of seed 003's table: Xeon Platinum 8167M @ 2.00GHz (Skylake,
 * bare metal), 2 nodes x 26 cores x 2 threads, 384 GiB per node (Daniel
 * Jordan, "[PATCH v2 5/7] mm: parallelize deferred_init_memmap()", 20 May
 * 2020). Fitted on the 1-thread and 52-thread rows only, by
 * `memmap-sim calibrate seed003-skylake-768g --measure 1:1717.7 --measure 52:143.3`;
 * the other rows are predictions (docs/fidelity.md).
 */
export const skylake2020: HardwareProfile = {
  name: 'skylake-2020',
  description:
    'Seed 003 Skylake server (2 x 26 cores x 2 threads, 384 GiB per node): deferred-init cost and DRAM bandwidth fitted to the 1- and 52-thread rows.',
  dramSharing: 'stall',
  params: {
    pageInitNs: {
      value: 12.0071,
      unit: 'ns/page',
      provenance: 'fitted',
      source: 'calibrate on seed003-skylake-768g: 1 thread = 1717.7 ms (slowest node), Jordan, padata v2 5/7, 20 May 2020',
    },
    dramWriteGBs: {
      value: 60.7651,
      unit: 'GB/s',
      provenance: 'fitted',
      source: 'calibrate on seed003-skylake-768g: 52 threads = 143.3 ms (slowest node), Jordan, padata v2 5/7, 20 May 2020',
    },
    restOfBootMs: {
      value: (4021.3 - 1717.7 + (2448.0 - 143.3)) / 2,
      unit: 'ms',
      provenance: 'fitted',
      source: 'Boot minus deferred init on the 1- and 52-thread rows: (2303.6 + 2304.7) / 2 = 2304.15 ms (Jordan, padata v2 5/7)',
    },
  },
};
