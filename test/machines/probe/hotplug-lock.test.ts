import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { FREE, deliver, grantFromQueue, lockStatePath, release, request, type LockSetting, type LockState } from '../../../machines/probe/hotplug-lock.js';

const ref = (name: string) => ({ id: name }) as unknown as AnyActorRef;
const rwsem = (now: number, costs: number[] = []): LockSetting => ({
  name: 'mem_hotplug_lock',
  spinlock: false,
  now,
  writeNs: 1000,
  handoffNs: 10,
  cost: (ns) => (costs.push(ns), ns),
});

/** request then grantFromQueue, as the machine does on ACQUIRE. */
function acquire(state: LockState, holder: string, mode: 'read' | 'write', at: LockSetting) {
  const asked = request(state, { holder, mode, ref: ref(holder) }, at);
  const served = grantFromQueue(asked.state, at, false);
  return { state: served.state, trace: [...asked.trace, ...served.trace], send: served.send };
}

function releaseAndServe(state: LockState, holder: string, at: LockSetting) {
  const dropped = release(state, holder, at);
  const served = grantFromQueue(dropped.state, at, true);
  return { state: served.state, trace: [...dropped.trace, ...served.trace], send: served.send };
}

describe('mem_hotplug_lock steps (rwsem)', () => {
  it('a write request of a free lock is granted after the grace period only, without a wake-up', () => {
    const costs: number[] = [];
    const r = acquire(FREE, 'pmem0', 'write', rwsem(5, costs));
    expect(r.trace).toEqual([{ type: 'lock.request', t: 5, lock: 'mem_hotplug_lock', holder: 'pmem0', mode: 'write' }]);
    expect(costs).toEqual([1000]);
    expect(r.state).toMatchObject({ writer: 'pmem0', readers: [], queue: [], grantedAt: { pmem0: 1005 } });
    expect(r.send).toEqual([
      { to: 'self', event: { type: 'DELIVER', holder: 'pmem0', mode: 'write', ref: ref('pmem0'), since: 5 }, delay: 1000, id: 'grant:pmem0' },
    ]);
    expect(lockStatePath(r.state)).toBe('writeHeld.uncontended');
  });

  it('readers share it; a waiting writer blocks later readers (writer-fair) and gets it, woken, when the last reader leaves', () => {
    let s = acquire(FREE, 'a', 'read', rwsem(0)).state;
    s = acquire(s, 'b', 'read', rwsem(0)).state;
    expect(s.readers).toEqual(['a', 'b']);
    expect(lockStatePath(s)).toBe('readHeld.uncontended');
    s = acquire(s, 'w', 'write', rwsem(1)).state;
    const late = acquire(s, 'c', 'read', rwsem(2));
    expect(late.send).toEqual([]);
    expect(late.state.queue.map((w) => w.holder)).toEqual(['w', 'c']);
    expect(lockStatePath(late.state)).toBe('readHeld.writerWaiting');
    s = releaseAndServe(late.state, 'a', rwsem(3)).state;
    expect(s.writer).toBeNull();
    const costs: number[] = [];
    // b asked while a held it: its grant paid a wake-up (10 ns), so it holds from t = 10.
    const last = releaseAndServe(s, 'b', rwsem(40, costs));
    expect(last.trace).toEqual([{ type: 'lock.released', t: 40, lock: 'mem_hotplug_lock', holder: 'b', mode: 'read', heldNs: 30 }]);
    expect(costs).toEqual([1010]);
    expect(last.state.writer).toBe('w');
    expect(last.state.queue.map((w) => w.holder)).toEqual(['c']);
    expect(lockStatePath(last.state)).toBe('writeHeld.waiters');
    // When the writer leaves, the queued reader is granted with a wake-up.
    const end = releaseAndServe(last.state, 'w', rwsem(2000));
    expect(end.trace[0]).toMatchObject({ type: 'lock.released', holder: 'w', mode: 'write', heldNs: 2000 - 1050 });
    expect(end.state).toMatchObject({ writer: null, readers: ['c'], queue: [] });
    expect(end.send).toHaveLength(1);
    expect(releaseAndServe(end.state, 'c', rwsem(3000)).state).toEqual(FREE);
  });

  it('deliver traces the wait and tells the waiter', () => {
    const grant = { type: 'DELIVER' as const, holder: 'pmem1', mode: 'write' as const, ref: ref('pmem1'), since: 100 };
    const r = deliver(FREE, grant, rwsem(1100));
    expect(r.trace).toEqual([{ type: 'lock.acquired', t: 1100, lock: 'mem_hotplug_lock', holder: 'pmem1', mode: 'write', waitNs: 1000 }]);
    expect(r.send).toEqual([{ to: ref('pmem1'), event: { type: 'LOCK_GRANTED', lock: 'mem_hotplug_lock', mode: 'write' } }]);
  });
});

describe('pgdat_resize_lock steps (spinlock)', () => {
  it('every request is exclusive, and grants cost nothing (no jitter drawn)', () => {
    const costs: number[] = [];
    const at = { ...rwsem(0, costs), spinlock: true, name: 'node0/pgdat_resize_lock' };
    const first = acquire(FREE, 'a', 'read', at);
    expect(first.trace[0]).toMatchObject({ mode: 'write' });
    const second = acquire(first.state, 'b', 'read', at);
    expect(second.send).toEqual([]);
    expect(lockStatePath(second.state)).toBe('writeHeld.waiters');
    const handed = releaseAndServe(second.state, 'a', at);
    expect(handed.send).toMatchObject([{ to: 'self', delay: 0, event: { holder: 'b', mode: 'write' } }]);
    expect(costs).toEqual([]);
  });
});
