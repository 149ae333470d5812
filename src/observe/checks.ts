import { merge, type Observable } from 'rxjs';
import type { KernelConstants } from '../model/constants.js';
import type { TraceEvent } from '../model/trace-events.js';
import { compoundCheckers } from './compound-checks.js';
import { buddyFreeOnce } from './invariants/buddy-free-once.js';
import { buddyReadsInitialized } from './invariants/buddy-reads-initialized.js';
import { deferredComplete } from './invariants/deferred-complete.js';
import { daxAfterInit } from './invariants/dax-after-init.js';
import { initOnce } from './invariants/init-once.js';
import { lockDeadlock } from './invariants/lock-deadlock.js';
import { pgmapRefcount } from './invariants/pgmap-refcount.js';
import { zoneSpanLocked } from './invariants/zone-span-locked.js';
import type { Checker, Issue } from './issues.js';

/** Every invariant checker, merged into one stream of occurrences. */
export function allChecks(trace$: Observable<TraceEvent>, constants?: KernelConstants): Observable<Issue> {
  return merge(...allCheckers(constants).map((c) => trace$.pipe(c)));
}

/** Every invariant checker, in the order their occurrences are reported, as operators with their specs. */
export function allCheckers(constants?: KernelConstants): Checker[] {
  return [
    initOnce(),
    zoneSpanLocked(),
    lockDeadlock(),
    daxAfterInit(),
    pgmapRefcount(),
    buddyReadsInitialized(),
    buddyFreeOnce(),
    deferredComplete(),
    ...compoundCheckers(constants),
  ];
}
