import { describe, expect, it } from 'vitest';
import type { AnyActorRef, AnyMachineSnapshot, InspectionEvent } from 'xstate';
import { loadScenario } from '../../../src/api/load-scenario.js';
import { simulate } from '../../../src/api/simulate.js';

/** The inspector's view of a run: after each snapshot, every actor's latest state. */
function watch(name: string, strategy: string, seen: (states: ReadonlyMap<string, AnyMachineSnapshot>) => void): void {
  const states = new Map<string, AnyMachineSnapshot>();
  simulate(loadScenario(name).input, {
    name,
    strategy,
    inspect: (e: InspectionEvent) => {
      if (e.type !== '@xstate.snapshot') return;
      states.set((e.actorRef as AnyActorRef).id, e.snapshot as AnyMachineSnapshot);
      seen(states);
    },
  });
}

describe('mem_hotplug_lock in the inspector', () => {
  it('shows a namespace waiting for the write lock while another holds it for write', () => {
    const moments: string[] = [];
    watch('seed000-pmem-4x128g', 'serial', (states) => {
      const lock = states.get('lock/mem_hotplug');
      if (!lock?.matches('writeHeld')) return;
      for (const [id, s] of states) {
        if (!/^pmem\d$/.test(id) || !s.matches('waitingForLock')) continue;
        const step = s.context.steps[s.context.stepIndex];
        if (step.kind === 'lock' && step.mode === 'write' && lock.context.writer !== id) moments.push(`${id} waits, ${lock.context.writer} holds`);
      }
    });
    expect(moments.length).toBeGreaterThan(0);
    expect(moments).toContain('pmem1 waits, pmem0 holds');
  });

  it('the lock rests in free, readHeld and writeHeld, and shows writers waiting (rwsem strategy)', () => {
    const values = new Set<string>();
    watch('seed000-pmem-4x128g', 'rwsem', (states) => {
      const lock = states.get('lock/mem_hotplug');
      if (lock) values.add(JSON.stringify(lock.value));
    });
    expect([...values]).toEqual(expect.arrayContaining(['"free"', '{"writeHeld":"uncontended"}', '{"writeHeld":"waiters"}', '{"readHeld":"uncontended"}']));
  });
});
