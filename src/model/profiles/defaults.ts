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
      source:
        'sparse_add_section: mem_section_usage allocation, one 2 MiB vmemmap PMD from the altmap, subsection map update; a few microseconds',
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
} satisfies Record<string, Param>;
