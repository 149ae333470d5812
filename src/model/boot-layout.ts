import type { Derived } from './constants.js';
import type { PfnRange } from './scenario.js';

/**
 * Where each node's struct pages get initialized at boot
 * (CONFIG_DEFERRED_STRUCT_PAGE_INIT, kernel-facts.md §2.2): the lower zones and
 * the first section of the highest zone early on the boot CPU (defer_init),
 * the rest by the node's pgdatinit thread, one padata job per free memblock
 * range. Reserved ranges are initialized early (memmap_init_reserved_pages)
 * and skipped by deferred init.
 */
export type ZoneName = 'DMA' | 'DMA32' | 'Normal' | 'Movable';

export interface ZoneSpan extends PfnRange {
  readonly name: ZoneName;
  /** Present pages (memory ranges within the span). */
  readonly present: number;
}

export interface DeferredJob extends PfnRange {
  /** Free (not reserved) pieces inside the job, in order: the pages thread_fn initializes. */
  readonly free: readonly PfnRange[];
}

export interface NodeBootLayout {
  readonly node: number;
  readonly zones: readonly ZoneSpan[];
  /** The highest populated zone: the only one deferred. */
  readonly deferredZone: ZoneName | null;
  /** pgdat->first_deferred_pfn, or null when nothing is deferred. */
  readonly firstDeferredPfn: number | null;
  readonly earlyPages: number;
  readonly deferredPages: number;
  readonly reserved: readonly PfnRange[];
  /** One padata job per free memblock range at or after first_deferred_pfn. */
  readonly jobs: readonly DeferredJob[];
  /** The deferred zone's free (not reserved) ranges from first_deferred_pfn on. */
  readonly free: readonly PfnRange[];
}

/**
 * deferred_init_memmap's loop: a job per free range at or after `from`,
 * covering [spfn, ALIGN(epfn, section)); the next starts at or after that.
 */
export function jobsFrom(free: readonly PfnRange[], from: number, pagesPerSection: number): DeferredJob[] {
  const jobs: DeferredJob[] = [];
  // `free` is sorted and each job starts after the last, so one cursor finds every job's pieces.
  let first = 0;
  for (const f of free) {
    if (f.endPfn <= from) continue;
    const spfn = Math.max(f.startPfn, from);
    const end = Math.ceil(f.endPfn / pagesPerSection) * pagesPerSection;
    while (first < free.length && free[first].endPfn <= spfn) first++;
    const pieces: PfnRange[] = [];
    for (let i = first; i < free.length && free[i].startPfn < end; i++) {
      const piece = intersect(free[i], { startPfn: spfn, endPfn: end });
      if (piece) pieces.push(piece);
    }
    jobs.push({ startPfn: spfn, endPfn: end, free: pieces });
    from = end;
  }
  return jobs;
}

/** x86_64 zone limits: ZONE_DMA below 16 MiB, ZONE_DMA32 below 4 GiB. */
const DMA_LIMIT = 16 * 2 ** 20;
const DMA32_LIMIT = 4 * 2 ** 30;

export function intersect(a: PfnRange, b: PfnRange): PfnRange | null {
  const startPfn = Math.max(a.startPfn, b.startPfn);
  const endPfn = Math.min(a.endPfn, b.endPfn);
  return startPfn < endPfn ? { startPfn, endPfn } : null;
}

/** `ranges` minus `holes`, both sorted lists of disjoint ranges. */
export function subtract(ranges: readonly PfnRange[], holes: readonly PfnRange[]): PfnRange[] {
  const out: PfnRange[] = [];
  // Both sorted: holes ending before a range end before every later range too.
  let first = 0;
  for (const r of ranges) {
    let at = r.startPfn;
    while (first < holes.length && holes[first].endPfn <= r.startPfn) first++;
    for (let i = first; i < holes.length && holes[i].startPfn < r.endPfn; i++) {
      const h = holes[i];
      if (h.endPfn <= at) continue;
      if (h.startPfn > at) out.push({ startPfn: at, endPfn: h.startPfn });
      at = Math.max(at, h.endPfn);
    }
    if (at < r.endPfn) out.push({ startPfn: at, endPfn: r.endPfn });
  }
  return out;
}

const pagesIn = (ranges: readonly PfnRange[]) => ranges.reduce((a, r) => a + r.endPfn - r.startPfn, 0);
const byStart = (a: PfnRange, b: PfnRange) => a.startPfn - b.startPfn;

export interface NodeMemory {
  readonly id: number;
  readonly dram: readonly PfnRange[];
  readonly reserved: readonly PfnRange[];
  /** Pages at the top of the node put in ZONE_MOVABLE (movablecore). */
  readonly movablePages: number;
}

/**
 * The node's memmap (pages x struct page size) is allocated top-down from its
 * own memory by sparse_init_nid, so it is reserved at the top of the node.
 */
/** Sorted ranges with touching or overlapping neighbours merged, as memblock keeps them. */
export function coalesce(ranges: readonly PfnRange[]): PfnRange[] {
  const out: PfnRange[] = [];
  for (const r of [...ranges].sort(byStart)) {
    const last = out.at(-1);
    if (last && r.startPfn <= last.endPfn) out[out.length - 1] = { startPfn: last.startPfn, endPfn: Math.max(last.endPfn, r.endPfn) };
    else out.push(r);
  }
  return out;
}

/**
 * The node's memmap (pages x struct page size) is allocated top-down from its
 * own memory by sparse_init_nid: memblock takes the highest range that holds
 * it whole; if none does, sparse falls back to smaller allocations, taken
 * here from the top down.
 */
export function memmapReservation(node: NodeMemory, d: Derived, structPageBytes: number): PfnRange[] {
  const dram = coalesce(node.dram);
  const present = pagesIn(dram);
  if (present === 0) return [];
  let left = Math.ceil((present * structPageBytes) / d.pageSize);
  const whole = [...dram].reverse().find((r) => r.endPfn - r.startPfn >= left);
  if (whole) return [{ startPfn: whole.endPfn - left, endPfn: whole.endPfn }];
  const out: PfnRange[] = [];
  for (const r of [...dram].reverse()) {
    if (left <= 0) break;
    const take = Math.min(left, r.endPfn - r.startPfn);
    out.unshift({ startPfn: r.endPfn - take, endPfn: r.endPfn });
    left -= take;
  }
  return out;
}

export function nodeBootLayout(node: NodeMemory, d: Derived, pageSize: number, deferred: boolean): NodeBootLayout {
  const dram = coalesce(node.dram);
  const reserved = coalesce(node.reserved);
  const pps = d.pagesPerSection;
  const dmaEnd = DMA_LIMIT / pageSize;
  const dma32End = DMA32_LIMIT / pageSize;
  const top = dram.length ? dram.at(-1)!.endPfn : 0;
  // Movable takes the top movablePages present pages.
  let movableStart = top;
  for (let left = node.movablePages, i = dram.length - 1; left > 0 && i >= 0; i--) {
    const take = Math.min(left, dram[i].endPfn - dram[i].startPfn);
    movableStart = dram[i].endPfn - take;
    left -= take;
  }
  const spans: [ZoneName, number, number][] = [
    ['DMA', 0, Math.min(dmaEnd, movableStart)],
    ['DMA32', dmaEnd, Math.min(dma32End, movableStart)],
    ['Normal', dma32End, movableStart],
    ['Movable', movableStart, Number.MAX_SAFE_INTEGER],
  ];
  const zones: ZoneSpan[] = [];
  for (const [name, lo, hi] of spans) {
    const inside = dram.map((r) => intersect(r, { startPfn: lo, endPfn: hi })).filter((r): r is PfnRange => r !== null);
    if (inside.length) zones.push({ name, startPfn: inside[0].startPfn, endPfn: inside.at(-1)!.endPfn, present: pagesIn(inside) });
  }
  const highest = zones.at(-1);
  const total = pagesIn(dram);
  if (!deferred || !highest) {
    return { node: node.id, zones, deferredZone: null, firstDeferredPfn: null, earlyPages: total, deferredPages: 0, reserved, jobs: [], free: [] };
  }
  // defer_init(): once more than a section of the zone is initialized, stop at the next section boundary.
  let counted = 0;
  let first: number | null = null;
  for (const r of dram) {
    const piece = intersect(r, highest);
    if (!piece) continue;
    // nr_initialised counts pfns including the one being tested: it exceeds
    // PAGES_PER_SECTION from the pfn PAGES_PER_SECTION - counted into this piece.
    const candidate = Math.ceil((piece.startPfn + Math.max(0, pps - counted)) / pps) * pps;
    if (candidate < piece.endPfn) {
      first = candidate;
      break;
    }
    counted += piece.endPfn - piece.startPfn;
  }
  if (first === null) {
    return { node: node.id, zones, deferredZone: null, firstDeferredPfn: null, earlyPages: total, deferredPages: 0, reserved, jobs: [], free: [] };
  }
  const inZoneAfter = dram.map((r) => intersect(r, { startPfn: first!, endPfn: highest.endPfn })).filter((r): r is PfnRange => r !== null);
  const free = subtract(inZoneAfter, reserved);
  const jobs = jobsFrom(free, first, pps);
  const deferredPages = jobs.reduce((a, j) => a + pagesIn(j.free), 0);
  return { node: node.id, zones, deferredZone: highest.name, firstDeferredPfn: first, earlyPages: total - deferredPages, deferredPages, reserved, jobs, free };
}

/**
 * Where deferred_grow_zone stops: after at least ALIGN(pages, section) free
 * pages, and only on a section boundary (so never inside a max-order block).
 * `exact` is the known-bad variant that stops at exactly `pages` pages.
 */
export function growStopPfn(free: readonly PfnRange[], from: number, pages: number, pagesPerSection: number, mode: 'section' | 'exact'): number {
  const needed = mode === 'exact' ? pages : Math.ceil(pages / pagesPerSection) * pagesPerSection;
  let got = 0;
  for (const f of free) {
    if (f.endPfn <= from) continue;
    const lo = Math.max(f.startPfn, from);
    const avail = f.endPfn - lo;
    if (got + avail >= needed) {
      const at = lo + (needed - got);
      return mode === 'exact'
        ? at
        : Math.min(Math.ceil(at / pagesPerSection) * pagesPerSection, Math.ceil(free.at(-1)!.endPfn / pagesPerSection) * pagesPerSection);
    }
    got += avail;
  }
  return Math.ceil((free.at(-1)?.endPfn ?? from) / pagesPerSection) * pagesPerSection;
}
