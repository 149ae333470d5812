import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { grantFromQueue, placeOnCpu, poolLoad, releaseCpu, requestCpu, type CpuPool, type CpuRequest } from '../../../machines/shared/node.js';

const ref = (id: string) => ({ id }) as unknown as AnyActorRef;
const req = (id: string): CpuRequest => ({ id, ref: ref(id) });

/** Two cores of two SMT threads: cpus 0, 1 are thread 0 of cores 0, 1; cpus 2, 3 thread 1. */
const pool: CpuPool = Object.freeze({ nodeId: 3, cores: 2, smtFactor: 0.6, cpus: Object.freeze([null, null, null, null]), waiting: Object.freeze([]) });

const after = (state: CpuPool, step: { state: Pick<CpuPool, 'cpus' | 'waiting'> }): CpuPool => ({ ...state, ...step.state });
const holders = (p: Pick<CpuPool, 'cpus'>) => p.cpus.map((h) => (h ? `${h.id}@${h.core}.${h.thread}` : '-'));

function fill(ids: readonly string[]): CpuPool {
  let p = pool;
  for (const id of ids) p = after(p, requestCpu(p, req(id)));
  return p;
}

describe('placeOnCpu', () => {
  it('gives the first thread a whole core at full speed, naming its core and thread', () => {
    const step = placeOnCpu(pool, req('w0'))!;
    expect(holders(step.state)).toEqual(['w0@0.0', '-', '-', '-']);
    expect(step.send).toEqual([{ to: ref('w0'), event: { type: 'CPU_GRANTED', cpu: 0, core: 0, node: 3, speed: 1 } }]);
  });

  it('prefers an idle core to the sibling of a busy one', () => {
    const step = placeOnCpu(fill(['w0']), req('w1'))!;
    expect(holders(step.state)).toEqual(['w0@0.0', 'w1@1.0', '-', '-']);
  });

  it('pairs a thread with a busy core only when no core is idle: both siblings slow to smtFactor', () => {
    const step = placeOnCpu(fill(['w0', 'w1']), req('w2'))!;
    expect(holders(step.state)).toEqual(['w0@0.0', 'w1@1.0', 'w2@0.1', '-']);
    expect(step.send).toEqual([
      { to: ref('w2'), event: { type: 'CPU_GRANTED', cpu: 2, core: 0, node: 3, speed: 0.6 } },
      { to: ref('w0'), event: { type: 'SPEED', speed: 0.6 } },
    ]);
  });

  it('has no place when every CPU is held', () => {
    expect(placeOnCpu(fill(['w0', 'w1', 'w2', 'w3']), req('w4'))).toBeNull();
  });
});

describe('grantFromQueue, requestCpu, releaseCpu', () => {
  it('a request beyond the CPUs waits; a release hands its CPU to the oldest waiter', () => {
    const full = fill(['w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
    expect(full.waiting.map((r) => r.id)).toEqual(['w4', 'w5']);
    const step = releaseCpu(full, 'w1');
    expect(holders(step.state)).toEqual(['w0@0.0', 'w4@1.0', 'w2@0.1', 'w3@1.1']);
    expect(step.state.waiting.map((r) => r.id)).toEqual(['w5']);
    // The sibling w3 hears it runs alone, then again that it shares with w4.
    expect(step.send.map((m) => [(m.to as { id: string }).id, m.event])).toEqual([
      ['w3', { type: 'SPEED', speed: 1 }],
      ['w4', { type: 'CPU_GRANTED', cpu: 1, core: 1, node: 3, speed: 0.6 }],
      ['w3', { type: 'SPEED', speed: 0.6 }],
    ]);
  });

  it('a release leaves the sibling at full speed when nobody waits', () => {
    const step = releaseCpu(fill(['w0', 'w1', 'w2']), 'w2');
    expect(holders(step.state)).toEqual(['w0@0.0', 'w1@1.0', '-', '-']);
    expect(step.send).toEqual([{ to: ref('w0'), event: { type: 'SPEED', speed: 1 } }]);
  });

  it('a release from a thread that holds nothing grants nothing new', () => {
    const full = fill(['w0', 'w1', 'w2', 'w3', 'w4']);
    expect(releaseCpu(full, 'w9')).toEqual({ state: { cpus: full.cpus, waiting: full.waiting }, send: [] });
  });

  it('grantFromQueue places waiters oldest first while CPUs are idle', () => {
    const step = grantFromQueue({ ...pool, waiting: [req('a'), req('b'), req('c'), req('d'), req('e')] });
    expect(holders(step.state)).toEqual(['a@0.0', 'b@1.0', 'c@0.1', 'd@1.1']);
    expect(step.state.waiting.map((r) => r.id)).toEqual(['e']);
    expect(step.send.filter((m) => m.event.type === 'CPU_GRANTED').map((m) => (m.to as { id: string }).id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('changes nothing it was given', () => {
    const full = Object.freeze(fill(['w0', 'w1', 'w2', 'w3', 'w4']));
    Object.freeze(full.cpus);
    Object.freeze(full.waiting);
    expect(() => releaseCpu(full, 'w0')).not.toThrow();
    expect(() => requestCpu(full, req('w5'))).not.toThrow();
    expect(holders(full)).toEqual(['w0@0.0', 'w1@1.0', 'w2@0.1', 'w3@1.1']);
  });
});

describe('poolLoad', () => {
  it('says what the next request gets: a whole core, an SMT sibling, or a place in the queue', () => {
    expect(poolLoad(pool)).toBe('hasIdleCores');
    expect(poolLoad(fill(['w0']))).toBe('hasIdleCores');
    expect(poolLoad(fill(['w0', 'w1']))).toBe('siblingsOnly');
    expect(poolLoad(fill(['w0', 'w1', 'w2']))).toBe('siblingsOnly');
    expect(poolLoad(fill(['w0', 'w1', 'w2', 'w3']))).toBe('allCpusBusy');
    // No SMT: one thread per core.
    expect(poolLoad({ ...pool, cores: 4, cpus: [null, req('x') as never, null, null] })).toBe('hasIdleCores');
  });
});
