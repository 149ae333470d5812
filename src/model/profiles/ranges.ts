import type { DEFAULT_PARAMS } from './defaults.js';

/** The physical range of one parameter: values outside it describe no machine. */
export interface ParamRange {
  readonly min: number;
  readonly max: number;
  /** Why these bounds, briefly (docs/profiles.md#ranges shows it). */
  readonly why: string;
}

/**
 * Every parameter's range, inclusive. Bandwidths and smtFactor have a floor
 * above 0, since a rate near 0 turns a step into an endless one; costs may be
 * 0 (an idealization) but not beyond what any machine takes. A new parameter
 * must get a range here: the type demands one per name.
 */
export const PARAM_RANGES = {
  zoneDevicePageInitNs: { min: 0, max: 10_000, why: 'one ZONE_DEVICE struct page init: 9–37 ns measured' },
  pgmapPassPageNs: { min: 0, max: 10_000, why: 'one page of the pgmap loop: tens of ns' },
  pmemWriteGBs: { min: 0.01, max: 1_000, why: 'one pmem device: 1–40 GB/s; 10 MB/s is slower than any persistent memory' },
  percpuRefGetNs: { min: 0, max: 10_000, why: 'a per-CPU increment: a few cycles' },
  dramWriteGBs: { min: 0.1, max: 10_000, why: 'one node of DRAM: tens to hundreds of GB/s' },
  smtFactor: { min: 0.05, max: 1, why: 'a busy SMT sibling keeps between a small part and all of a lone thread' },
  workerStartNs: { min: 0, max: 1e9, why: 'a kworker start: µs; a second is beyond any scheduler' },
  sectionActivateNs: { min: 0, max: 1e8, why: 'sparse_add_section: µs per section' },
  zoneResizeNs: { min: 0, max: 1e8, why: 'a zone span update: µs' },
  hotplugLockWriteNs: { min: 0, max: 1e10, why: 'percpu_down_write: an RCU grace period, ms; 10 s is a stalled machine' },
  lockHandoffNs: { min: 0, max: 1e9, why: 'one scheduler wake-up: µs' },
  vmemmapPageAllocNs: { min: 0, max: 1e6, why: 'one vmemmap page allocation and PTE: hundreds of ns' },
  pageTablePageNs: { min: 0, max: 1e6, why: 'one zeroed page-table page: hundreds of ns' },
  vmemmapPteNs: { min: 0, max: 1e5, why: 'one PTE store: ns' },
  vmemmapPageFreeNs: { min: 0, max: 1e6, why: 'freeing one page: hundreds of ns' },
  compoundTailInitNs: { min: 0, max: 10_000, why: 'a few stores per tail struct page: ns' },
  pageblockMigratetypeNs: { min: 0, max: 1e6, why: 'one pageblock bit update: ns' },
  pageInitNs: { min: 0, max: 10_000, why: 'one struct page of deferred init: ns to tens of ns' },
  streamGBs: { min: 0.1, max: 1_000, why: "one core's streaming stores: 5–30 GB/s" },
  restOfBootMs: { min: 0, max: 3.6e6, why: 'the rest of a kernel boot: seconds; an hour is beyond any machine' },
  l2Bytes: { min: 16_384, max: 2 ** 50, why: 'a per-core L2: 256 KiB to a few MiB; up to 1 PiB for the what-if of a cache holding a whole chunk' },
  bounceNs: { min: 0, max: 1e6, why: 'one cache-line transfer between cores: 100–200 ns' },
  bounceWindowNs: { min: 0, max: 1e10, why: 'how long a written line stays in another core: about a ms' },
} as const satisfies Record<keyof typeof DEFAULT_PARAMS, ParamRange>;

/** The rule a value outside `range` breaks, as an InputError says it. */
export function rangeRule(range: ParamRange, unit: string): string {
  return `must be a number in [${range.min}, ${range.max}] ${unit} (${range.why})`;
}
