import { afterAll, describe, expect, it, vi } from 'vitest';
import { setup } from 'xstate';
import type { SimEnv } from '../../machines/shared/sim-env.js';
import { simulate } from '../../src/api/simulate.js';
import { SimulationError } from '../../src/api/simulation-error.js';
import { cli, tempDir } from '../cli/helpers.js';

/**
 * A test-only DAX user, provided in place of the real one: on the namespace
 * `explode` it throws, on `spin` it polls forever (a livelock), elsewhere it
 * does nothing.
 */
vi.mock('../../machines/shared/system.machine.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../machines/shared/system.machine.js')>();
  const rogue = setup({
    types: {
      context: {} as { env: SimEnv },
      events: {} as { type: 'PUBLISHED'; namespace: string; startPfn: number; endPfn: number },
      input: {} as { env: SimEnv; name: string },
    },
    guards: {
      explode: ({ event }) => event.namespace === 'explode',
      spin: ({ event }) => event.namespace === 'spin',
    },
    actions: {
      throwUp: () => {
        throw new Error('rogue dax user exploded');
      },
    },
  }).createMachine({
    id: 'rogueDaxUser',
    context: ({ input }) => ({ env: input.env }),
    initial: 'watching',
    states: {
      watching: {
        on: {
          PUBLISHED: [
            { guard: 'explode', actions: 'throwUp' },
            { guard: 'spin', target: 'polling' },
          ],
        },
      },
      polling: { after: { 1000: { target: 'polling', reenter: true } } },
    },
  });
  // provide() types a replacement as the machine it replaces; the rogue has its own context and actions.
  const daxUser = rogue as unknown as typeof import('../../machines/probe/dax-user.machine.js').daxUserMachine;
  return { ...real, systemMachine: real.systemMachine.provide({ actors: { daxUser } }) };
});

const machine = (ns: string) => ({
  name: `rogue-${ns}`,
  nodes: [{ id: 0, cores: 4, dram: [{ start: '4G', size: '4G' }] }],
  namespaces: [{ name: ns, node: 0, size: '1G' }],
});

describe('an actor that throws', () => {
  it('stops the run at once: simulate() throws a SimulationError naming the actor, the event and the message, with the partial result', () => {
    let caught: unknown;
    try {
      simulate(machine('explode'));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SimulationError);
    const err = caught as SimulationError;
    expect({ actor: err.actor, event: err.event, message: err.message }).toEqual({ actor: 'dax-user', event: 'PUBLISHED', message: 'rogue dax user exploded' });
    expect(err.result.engine).toMatchObject({ outcome: 'failed', failure: { actor: 'dax-user', event: 'PUBLISHED', message: 'rogue dax user exploded' } });
    expect(err.result.namespaces[0].name).toBe('explode');
  });

  it('leaves nothing to throw later', async () => {
    const stray: unknown[] = [];
    const onError = (e: unknown) => stray.push(e);
    process.on('uncaughtException', onError);
    try {
      expect(() => simulate(machine('explode'))).toThrow(SimulationError);
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(stray).toEqual([]);
  });

  describe('the CLI', () => {
    const dir = tempDir();
    afterAll(() => dir.remove());

    it('exits 1 with one line naming the actor', async () => {
      const r = await cli(['run', dir.file('explode.json', machine('explode')), '--json']);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe('memmap-sim: internal error: dax-user: rogue dax user exploded (handling PUBLISHED)\n');
    });
  });
});

describe('an actor that never stops', () => {
  it('ends the run as stuck within the default budget, naming the actor and event that repeat, as an L1 violation', () => {
    const r = simulate(machine('spin'));
    expect(r.engine.outcome).toBe('stuck');
    expect(r.engine.stuck).toMatchObject({ actor: 'dax-user', event: 'xstate.after.1000.rogueDaxUser.polling' });
    expect(r.engine.stuck!.repeats).toBeGreaterThan(1000);
    const l1 = r.violations.filter((v) => v.invariant === 'L1');
    expect(l1).toHaveLength(1);
    expect(l1[0]).toMatchObject({ kind: 'stuck', place: 'dax-user', actors: ['dax-user'] });
    expect(l1[0].message).toMatch(/dax-user keeps receiving xstate\.after\.1000/);
    // The namespace itself finished before the user started spinning.
    expect(r.namespaces[0].availableAtMs).not.toBeNull();
  });

  it('the CLI prints the run, says it is stuck and lists the L1 violation (exit 0, as for any violation)', async () => {
    const dir = tempDir();
    try {
      const r = await cli(['run', dir.file('spin.json', machine('spin'))]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/run stuck after \d+ events \(over the default budget\): dax-user repeats xstate\.after\.1000/);
      expect(r.out).toMatch(/\[L1 stuck\] the run went over its budget/);
    } finally {
      dir.remove();
    }
  });

  it('explicit limits still give time-limit and event-limit', () => {
    expect(simulate(machine('spin'), { limits: { maxEvents: 500 } }).engine).toEqual({ events: 500, outcome: 'event-limit' });
    expect(simulate(machine('spin'), { limits: { maxTimeNs: 1e6 } }).engine.outcome).toBe('time-limit');
  });
});
