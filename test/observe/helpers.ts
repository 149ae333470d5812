import { from, toArray, type OperatorFunction } from 'rxjs';
import type { TraceEvent } from '../../src/model/trace-events.js';

/** Runs an operator over a finished list of events and returns what it emitted (synchronously). */
export function feed<T>(op: OperatorFunction<TraceEvent, T>, events: readonly TraceEvent[]): T[] {
  let out: T[] | undefined;
  from(events)
    .pipe(op, toArray())
    .subscribe((v) => (out = v));
  if (!out) throw new Error('operator did not complete synchronously');
  return out;
}

/** Small builders for hand-made traces. */
export const ev = {
  probe: (t: number, ns: string, startPfn: number, endPfn: number, dataStartPfn = startPfn): TraceEvent => ({
    type: 'probe.start',
    t,
    namespace: ns,
    node: 0,
    startPfn,
    endPfn,
    dataStartPfn,
  }),
  pages: (t: number, ns: string, worker: string, startPfn: number, endPfn: number, pass = 1, work: 'full' | 'pgmap' | 'hosting' = 'full'): TraceEvent => ({
    type: 'pages.init',
    t,
    namespace: ns,
    worker,
    pass,
    work,
    startPfn,
    endPfn,
    startedAt: 0,
  }),
  initStart: (t: number, ns: string, pass: number, work: 'full' | 'pgmap' | 'hosting' = 'full'): TraceEvent => ({
    type: 'init.start',
    t,
    namespace: ns,
    pass,
    work,
    threads: 1,
    lockMode: null,
  }),
  initEnd: (t: number, ns: string, pass: number, pages: number, work: 'full' | 'pgmap' | 'hosting' = 'full'): TraceEvent => ({
    type: 'init.end',
    t,
    namespace: ns,
    pass,
    work,
    pages,
  }),
  published: (t: number, ns: string, pages: number, refs = pages): TraceEvent => ({ type: 'namespace.published', t, namespace: ns, pages, refs }),
  dax: (t: number, ns: string, pfn: number, user = 'dax-user'): TraceEvent => ({ type: 'dax.access', t, namespace: ns, pfn, user }),
  ref: (t: number, ns: string, count: number, how: 'per-page' | 'bulk' = 'bulk'): TraceEvent => ({ type: 'pgmap.ref', t, namespace: ns, count, how }),
  acquired: (t: number, holder: string, mode: 'write' | 'read', lock = 'mem_hotplug_lock'): TraceEvent => ({
    type: 'lock.acquired',
    t,
    lock,
    holder,
    mode,
    waitNs: 0,
  }),
  released: (t: number, holder: string, mode: 'write' | 'read', lock = 'mem_hotplug_lock'): TraceEvent => ({
    type: 'lock.released',
    t,
    lock,
    holder,
    mode,
    heldNs: 0,
  }),
  resize: (t: number, by: string, zone = 'node0/device', startPfn = 0, endPfn = 100): TraceEvent => ({
    type: 'zone.resize',
    t,
    zone,
    by,
    startPfn,
    endPfn,
  }),
};
