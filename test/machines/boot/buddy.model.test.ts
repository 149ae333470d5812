import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { buddyMachine, type BuddyContext } from '../../../machines/boot/buddy.machine.js';
import { bootEnv } from './boot-env.js';
import { activeIds, eventsOf, pathsToEveryState, replay } from './paths.js';

const MO = 1024;
const B = 64 * MO;

describe('buddy machine: shortest paths to every state', () => {
  const { env, clock, trace } = bootEnv();
  const deferred = [{ startPfn: B, endPfn: B + 2 * MO }];
  const input = { env, node: 0, zone: 'node0/DMA32', deferred };
  const free = (startPfn: number, endPfn: number) => ({
    type: 'PAGES_FREED' as const,
    worker: 'w0',
    ranges: [{ startPfn, endPfn }],
    freeOrder: 'maxorder' as const,
  });
  const view = (c: BuddyContext) => JSON.stringify([c.freed.overlap(0, 2 * B), c.partial.range(0, 2 * B).map(([b]) => b)]);
  const paths = pathsToEveryState(buddyMachine, {
    input,
    events: [free(B, B + MO), free(B + MO, B + MO + 100)],
    serialize: (s: { value: unknown; context: BuddyContext }) => JSON.stringify([s.value, view(s.context)]),
  });

  it.each(paths.map((p) => [activeIds(p.state).join(',') + ' ' + view(p.state.context), p] as const))('%s', (_, path) => {
    trace.length = 0;
    const events = eventsOf(path);
    const actor = replay(buddyMachine, input, clock, events);
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual(path.state.value);
    expect(view(snapshot.context)).toEqual(view(path.state.context));
    // The trace emitted is the steps' trace, in order: a partly freed block traces H2 and its H1 read; a second free of a page, I2.
    const expected = events.map((e, i) => {
      const again = events.slice(0, i).some((p) => JSON.stringify(p) === JSON.stringify(e));
      if (again) return ['buddy.double-free'];
      return (e as ReturnType<typeof free>).ranges[0].endPfn === B + MO + 100 ? ['buddy.partial-free', 'buddy.uninit-read'] : [];
    });
    expect(trace.map((t) => t.type)).toEqual(expected.flat());
  });

  it('emits nothing in a pure transition', () => {
    trace.length = 0;
    const [initial] = initialTransition(buddyMachine, input);
    const [next] = transition(buddyMachine, initial, free(B, B + 100));
    expect(next.value).toBe('freeing');
    expect(trace).toEqual([]);
  });
});
