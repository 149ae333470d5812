import { freeRun, perPageReadsInFullBlock, type FreeBlocks, type UninitRead } from '../../src/model/buddy.js';
import { subtract } from '../../src/model/boot-layout.js';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import { PfnMap } from '../../src/model/pfn-map.js';
import { PfnSet } from '../../src/model/pfn-set.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { StepResult } from '../shared/step.js';

/**
 * The deferred zone's buddy allocator receiving a step's free pages
 * (__free_pages_core -> __free_one_page), pure. It runs the merge loop on the
 * max-order blocks that are not freed whole and traces every read of a buddy
 * struct page not yet initialized (H1), every block left partly
 * uninitialized with free pages in it (H2) and every page freed twice (I2).
 * Whole aligned blocks freed at MAX_PAGE_ORDER read no buddy, so they cost
 * nothing here: work follows the odd blocks, not the machine size.
 */
export interface BuddyState {
  /** Pfns freed by deferred init so far (each initialized just before). */
  readonly freed: PfnSet;
  /** Max-order blocks with some, not all, pages free: block pfn -> its free buddies. */
  readonly partial: PfnMap<FreeBlocks>;
}

export const EMPTY_BUDDY: BuddyState = { freed: PfnSet.empty(), partial: PfnMap.empty() };

/**
 * A step's free pieces. With maxorder and chunk every piece is initialized
 * before any is freed (deferred_init_maxorder's two passes); per-page frees
 * each page right after initializing it.
 */
export interface FreeRequest {
  readonly worker: string;
  readonly ranges: readonly PfnRange[];
  readonly freeOrder: BootStrategy['freeOrder'];
}

export interface BuddyParams {
  readonly node: number;
  readonly zone: string;
  /** Deferred free ranges: every pfn outside them was initialized early. */
  readonly deferred: readonly PfnRange[];
  readonly maxOrderNrPages: number;
  readonly maxPageOrder: number;
  readonly nowNs: number;
}

/** What one free request builds up: the allocator so far, the buddy reads and the trace. Local to freeRange. */
interface Pass extends BuddyState {
  readonly request: FreeRequest;
  readonly params: BuddyParams;
  readonly trace: TraceEvent[];
  reads: number;
  first: UninitRead | null;
}

type MutablePass = { -readonly [K in keyof Pass]: Pass[K] };

export function freeRange(state: BuddyState, request: FreeRequest, params: BuddyParams): StepResult<BuddyState> {
  // Only the allocator's own fields: `state` may be a whole machine context, slow to copy.
  const pass: MutablePass = { freed: state.freed, partial: state.partial, request, params, trace: [], reads: 0, first: null };
  const ranges = notFreedYet(pass);
  if (request.freeOrder !== 'per-page') for (const r of ranges) pass.freed = pass.freed.add(r.startPfn, r.endPfn);
  for (const r of ranges) freePiece(pass, r);
  if (pass.reads > 0 && pass.first) {
    const { pfn, buddyPfn, order } = pass.first;
    pass.trace.push({ type: 'buddy.uninit-read', ...at(pass), pfn, buddyPfn, order, count: pass.reads });
  }
  return { state: { freed: pass.freed, partial: pass.partial }, trace: pass.trace, send: [] };
}

/** The fields every buddy trace event starts with. */
const at = ({ params, request }: Pass) => ({ t: params.nowNs, zone: params.zone, node: params.node, worker: request.worker });

/**
 * The request's ranges less the pages already free. Every page freed is in
 * `freed`, so a page in it is freed a second time: traced (I2) and left out,
 * so the free lists stay those of the first free.
 */
function notFreedYet(pass: MutablePass): PfnRange[] {
  const twice = pass.request.ranges.flatMap((r) => pass.freed.overlap(r.startPfn, r.endPfn));
  if (twice.length === 0) return [...pass.request.ranges];
  for (const { startPfn, endPfn } of twice) pass.trace.push({ type: 'buddy.double-free', ...at(pass), startPfn, endPfn });
  return subtract(pass.request.ranges, twice);
}

/** One free piece: its partial first and last max-order blocks page by page, the whole blocks between at once. */
function freePiece(pass: MutablePass, { startPfn: s, endPfn: e }: PfnRange): void {
  const mo = pass.params.maxOrderNrPages;
  const perPage = pass.request.freeOrder === 'per-page';
  const firstBlock = Math.floor(s / mo) * mo;
  const lastBlock = Math.floor((e - 1) / mo) * mo;
  for (const b of firstBlock === lastBlock ? [firstBlock] : [firstBlock, lastBlock]) {
    const lo = Math.max(s, b);
    const hi = Math.min(e, b + mo);
    const whole = lo === b && hi === b + mo && !pass.partial.has(b);
    if (!whole) freePartialBlock(pass, b, lo, hi);
    else if (perPage) perPageWholeBlocks(pass, lo, hi);
  }
  // Whole blocks strictly inside the piece: freed at MAX_PAGE_ORDER (or, per page, read the page above each time).
  if (perPage && lastBlock - firstBlock > mo) perPageWholeBlocks(pass, firstBlock + mo, lastBlock);
}

/** Aligned whole blocks initialized and freed page by page: each free but the last reads the uninitialized page above. */
function perPageWholeBlocks(pass: MutablePass, lo: number, hi: number): void {
  const mo = pass.params.maxOrderNrPages;
  pass.freed = pass.freed.add(lo, hi);
  pass.reads += ((hi - lo) / mo) * perPageReadsInFullBlock(mo);
  pass.first ??= { pfn: lo, buddyPfn: lo + 1, order: 0 };
}

/** Pages [lo, hi) of the max-order block at b, freed one at a time through the merge loop. */
function freePartialBlock(pass: MutablePass, b: number, lo: number, hi: number): void {
  const { maxOrderNrPages: mo, maxPageOrder } = pass.params;
  const perPage = pass.request.freeOrder === 'per-page';
  // Copy on write: the block's free lists before this request stay as they were.
  const block: FreeBlocks = { free: new Map(pass.partial.get(b)?.free) };
  // Every buddy read stays inside the block: look its pages up once, not per read.
  const flags = blockInitFlags(pass.params.deferred, pass.freed, b, mo);
  const onReads = (r: UninitRead, count: number) => {
    pass.reads += count;
    pass.first ??= r;
  };
  freeRun(block, { lo, hi, base: b, perPage }, maxPageOrder, flags, onReads);
  if (perPage) pass.freed = pass.freed.add(lo, hi);
  if (block.free.get(b) === maxPageOrder) {
    pass.partial = pass.partial.delete(b);
    return;
  }
  pass.partial = pass.partial.set(b, block);
  // H2: free pages in a block part of which is still uninitialized.
  let uninitPages = 0;
  for (const f of flags) if (f === 0) uninitPages++;
  if (uninitPages > 0) pass.trace.push({ type: 'buddy.partial-free', ...at(pass), blockPfn: b, blockPages: mo, uninitPages });
}

/** Per page of the max-order block at b: 1 if its struct page is initialized (early, or by a step so far). */
function blockInitFlags(deferred: readonly PfnRange[], freed: PfnSet, b: number, mo: number): Uint8Array {
  const flags = new Uint8Array(mo).fill(1);
  let lo = 0;
  let hi = deferred.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (deferred[mid].endPfn <= b) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < deferred.length && deferred[i].startPfn < b + mo; i++) {
    flags.fill(0, Math.max(0, deferred[i].startPfn - b), Math.min(mo, deferred[i].endPfn - b));
  }
  for (const r of freed.overlap(b, b + mo)) flags.fill(1, r.startPfn - b, r.endPfn - b);
  return flags;
}
