import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { buddyMachine, type BuddyContext } from '../../../machines/boot/buddy.machine.js';
import { resolveScenario } from '../../../src/model/scenario.js';
import { smallBoot } from '../../boot/helpers.js';
import { runModel } from '../model-helpers.js';

const MO = 1024;
const B = 64 * MO;
const deferred = [{ startPfn: B, endPfn: B + 2 * MO }];
const free = (startPfn: number, endPfn: number) => ({
  type: 'PAGES_FREED' as const,
  worker: 'w0',
  ranges: [{ startPfn, endPfn }],
  freeOrder: 'maxorder' as const,
});
/** The free pages and the partly free blocks: what tells two allocator states apart. */
const view = (c: BuddyContext) => JSON.stringify([c.freed.overlap(0, 2 * B), c.partial.range(0, 2 * B).map(([b]) => b)]);
const key = (s: { value: unknown; context: BuddyContext }) => JSON.stringify([s.value, view(s.context)]);

const model = runModel({
  machine: buddyMachine,
  scenario: resolveScenario(smallBoot()),
  input: ({ env }) => ({ env, node: 0, zone: 'node0/DMA32', deferred }),
  events: () => [free(B, B + MO), free(B + MO, B + MO + 100)],
  serializeState: key,
});

describe('buddy machine (model-based: shortest path to every state)', () => {
  it('reaches every state, and the real actor ends where the model does, with the same free pages', () => {
    expect(model.unreached).toEqual([]);
    for (const run of model.paths) expect(key(run.snapshot), run.description).toBe(key(run.expected));
  });

  it('traces each free\u2019s hazards in order: a partly freed block H2 and its H1 read, a second free of a page I2', () => {
    for (const run of model.paths) {
      const events = run.events as ReturnType<typeof free>[];
      const expected = events.map((e, i) => {
        if (events.slice(0, i).some((p) => JSON.stringify(p) === JSON.stringify(e))) return ['buddy.double-free'];
        return e.ranges[0].endPfn === B + MO + 100 ? ['buddy.partial-free', 'buddy.uninit-read'] : [];
      });
      expect(
        run.trace.map((t) => t.type),
        run.description,
      ).toEqual(expected.flat());
      expect(run.sent, run.description).toEqual([]);
    }
  });

  it('emits nothing in a pure transition', () => {
    const trace: unknown[] = [];
    const env = { ...model.paths[0].env, emit: (e: unknown) => trace.push(e) };
    const [initial] = initialTransition(buddyMachine, { env, node: 0, zone: 'node0/DMA32', deferred });
    const [next] = transition(buddyMachine, initial, free(B, B + 100));
    expect(next.value).toBe('freeing');
    expect(trace).toEqual([]);
  });
});
