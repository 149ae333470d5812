import { merge, type Observable } from 'rxjs';
import { X86_64, type KernelConstants } from '../model/constants.js';
import type { TraceEvent } from '../model/trace-events.js';
import { compoundOrder } from './invariants/compound-order.js';
import { compoundTails } from './invariants/compound-tails.js';
import { pageblockMigratetype } from './invariants/pageblock-migratetype.js';
import { probeUnwind } from './invariants/probe-unwind.js';
import { vmemmapBytes } from './invariants/vmemmap-bytes.js';
import { vmemmapReuseOrder } from './invariants/vmemmap-reuse-order.js';
import type { Checker, Issue } from './issues.js';

/**
 * The checkers of compound devmaps and vmemmap population (see
 * docs/compound-devmaps.md): I1 compound head/tail order and uninitialized
 * tails, I6 pageblock migratetypes, I7 split compound pages and out-of-order
 * tail reuse, I8 vmemmap bytes, and a failed probe's unwinding.
 */
export function compoundChecks(trace$: Observable<TraceEvent>, constants: KernelConstants = X86_64): Observable<Issue> {
  return merge(...compoundCheckers(constants).map((c) => trace$.pipe(c)));
}

/** The same checkers, in the same order, as operators with their specs. */
export function compoundCheckers(constants: KernelConstants = X86_64): Checker[] {
  return [compoundOrder(), compoundTails(), vmemmapReuseOrder(), pageblockMigratetype(), vmemmapBytes(constants), probeUnwind()];
}
