import type { Param } from '../profile.js';

/**
 * The default of every time-model parameter, each a stated assumption
 * (provenance `default`) unless a named profile fits or measures it. Adding a
 * parameter means adding it here; profiles then override it where they can.
 */
export const DEFAULT_PARAMS = {
  zoneDevicePageInitNs: {
    value: 37.25,
    unit: 'ns/page',
    provenance: 'default',
    source: 'CPU time of __init_zone_device_page per struct page on one thread; default taken from the pmem-2018 fit (30 s per 3 TiB)',
  },
  pgmapPassPageNs: {
    value: 24.8,
    unit: 'ns/page',
    provenance: 'default',
    source: 'Per page of the pre-4.20 loop that sets page->pgmap; default taken from the pmem-2018 fit (20 s per 3 TiB)',
  },
  pmemWriteGBs: {
    value: 3.0,
    unit: 'GB/s',
    provenance: 'default',
    source: 'Write bandwidth of one pmem device for struct-page stores; default taken from the pmem-2018 fit',
  },
  percpuRefGetNs: {
    value: 1,
    unit: 'ns/page',
    provenance: 'default',
    source: 'percpu_ref_get is a preempt-disabled per-CPU increment: a few cycles; assumed 1 ns',
  },
  dramWriteGBs: {
    value: 45,
    unit: 'GB/s',
    provenance: 'default',
    source:
      'Per-node DRAM store bandwidth of a 2018 Xeon node; the same order as the 45 GB/s inferred from the Skylake padata table (kernel-facts §3.1). Only used when a memmap lives in DRAM (no altmap)',
  },
  smtFactor: {
    value: 0.6,
    unit: 'fraction',
    provenance: 'default',
    source: 'Each of two busy SMT siblings runs at 0.6 of a lone thread (1.2x per core): typical of store-bound loops',
  },
  workerStartNs: {
    value: 20_000,
    unit: 'ns',
    provenance: 'default',
    source: 'async_schedule / workqueue item start: kworker wake-up and scheduling, tens of microseconds',
  },
  sectionActivateNs: {
    value: 5_000,
    unit: 'ns/section',
    provenance: 'default',
    source: 'sparse_add_section: mem_section_usage allocation, one 2 MiB vmemmap PMD from the altmap, subsection map update; a few microseconds',
  },
  zoneResizeNs: {
    value: 2_000,
    unit: 'ns',
    provenance: 'default',
    source: 'move_pfn_range_to_zone span update (resize_zone_range, resize_pgdat_range), a few microseconds',
  },
  hotplugLockWriteNs: {
    value: 1_000_000,
    unit: 'ns',
    provenance: 'default',
    source: 'percpu_down_write waits for an RCU grace period (rcu_sync_enter): about a millisecond on an idle machine',
  },
  lockHandoffNs: {
    value: 5_000,
    unit: 'ns',
    provenance: 'default',
    source: 'Waking the next waiter of mem_hotplug_lock: a scheduler wake-up, microseconds',
  },
  // Compound devmaps (docs/compound-devmaps.md): vmemmap population and compound init.
  vmemmapPageAllocNs: {
    value: 250,
    unit: 'ns/page',
    provenance: 'default',
    source:
      'vmemmap_alloc_block_buf + set_pte_at for one 4 KiB vmemmap data page of a PTE-mapped memmap (compound devmaps, partial sections): an order-0 buddy allocation from the per-cpu lists (~100-200 ns) and the PTE; not zeroed (memmap init writes every struct page it holds). PMD-mapped base-page sections are in sectionActivateNs',
  },
  pageTablePageNs: {
    value: 600,
    unit: 'ns/page',
    provenance: 'default',
    source: 'A vmemmap PTE-table page: order-0 allocation (~200 ns) plus zeroing 4 KiB (vmemmap_alloc_block_zero) at ~10 GB/s on one core (~400 ns)',
  },
  vmemmapPteNs: {
    value: 5,
    unit: 'ns/PTE',
    provenance: 'default',
    source:
      'One PTE written by vmemmap_populate_compound_pages (512 per section): set_pte_at plus, for a deduplicated mapping, get_page on the shared tail page (an uncontended atomic on a line this CPU owns): a few ns',
  },
  vmemmapPageFreeNs: {
    value: 200,
    unit: 'ns/page',
    provenance: 'default',
    source: 'Freeing one vmemmap or page-table page when a failed probe unwinds (vmemmap_free: PTE clear, free_pages to the per-cpu lists): ~100-200 ns',
  },
  compoundTailInitNs: {
    value: 2.2,
    unit: 'ns/page',
    provenance: 'default',
    source:
      'Extra CPU time per compound tail struct page over a base page: prep_compound_tail (mapping, compound_head, private) and set_page_count(0) are 4 more stores to the line __init_zone_device_page (~17 stores) is writing: 4/17 of the devdax-2022 per-page cost (9.33 ns) = 2.2 ns',
  },
  pageblockMigratetypeNs: {
    value: 5,
    unit: 'ns/pageblock',
    provenance: 'default',
    source:
      'pageblock_migratetype_init_range per pageblock: pfn_to_page, section usemap lookup and a cmpxchg on a usemap word in cache (set_pfnblock_flags_mask): a few ns. Charged only for pageblocks the per-page loop did not visit (1 GiB compound pages), since fitted per-page costs already include the rest',
  },
  pageInitNs: {
    value: 12,
    unit: 'ns/page',
    provenance: 'default',
    source:
      'CPU time per struct page of deferred init on one thread (__init_single_page plus its share of __free_pages_core), without memory stalls; default near the skylake-2020 fit',
  },
  streamGBs: {
    value: 12,
    unit: 'GB/s',
    provenance: 'default',
    source:
      "One core's streaming store bandwidth to local DRAM (Skylake-SP class: 10-15 GB/s, limited by its line fill buffers); used by the stall sharing law",
  },
  restOfBootMs: {
    value: 2304,
    unit: 'ms',
    provenance: 'default',
    source: 'Kernel boot time outside deferred struct page init; default taken from the skylake-2020 fit (boot minus deferred init)',
  },
  l2Bytes: {
    value: 1024 * 1024,
    unit: 'bytes',
    provenance: 'default',
    source: 'Per-core L2 of Skylake-SP (1 MiB, Intel datasheet): a max-order block memmap (64 KiB) fits, a section memmap (2 MiB) does not',
  },
  bounceNs: {
    value: 200,
    unit: 'ns',
    provenance: 'default',
    source: 'A cache-line transfer between cores of one socket for a contended cmpxchg on a usemap word: 100-200 ns',
  },
  bounceWindowNs: {
    value: 1_000_000,
    unit: 'ns',
    provenance: 'default',
    source:
      "Two writes of one usemap word by different workers closer than this bounce the line: it is still in the other core's 1 MiB L2, which a core streaming about 1 GB/s of memmap stores turns over in about a millisecond",
  },
} satisfies Record<string, Param>;
