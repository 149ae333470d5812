import { describe, expect, it } from 'vitest';
import { createActor, createMachine, initialTransition, transition } from 'xstate';
import { zoneMachine } from '../../../machines/boot/zone.machine.js';
import { bootEnv, drain } from './boot-env.js';
import { activeIds, eventsOf, pathsToEveryState, replay } from './paths.js';

describe('zone machine: shortest paths to every state', () => {
  const { env, clock, trace } = bootEnv();
  const replies: string[] = [];
  const mover = createActor(createMachine({ on: { '*': { actions: ({ event }) => replies.push(event.type) } } }), { clock }).start();
  const input = { env, name: 'node0/device' };
  const resize = (startPfn: number, endPfn: number) => ({ type: 'RESIZE' as const, by: 'pmem0', startPfn, endPfn, replyTo: mover });
  const paths = pathsToEveryState(zoneMachine, {
    input,
    events: [resize(1000, 2000), resize(500, 1500)],
    serialize: (s: { value: unknown; context: { startPfn: number; endPfn: number } }) => JSON.stringify([s.value, s.context.startPfn, s.context.endPfn]),
  });

  it.each(paths.map((p) => [activeIds(p.state).join(','), p] as const))('%s', (_, path) => {
    trace.length = 0;
    replies.length = 0;
    const events = eventsOf(path);
    const actor = replay(zoneMachine, input, clock, events);
    drain(clock);
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual(path.state.value);
    expect({ startPfn: snapshot.context.startPfn, endPfn: snapshot.context.endPfn }).toEqual({
      startPfn: path.state.context.startPfn,
      endPfn: path.state.context.endPfn,
    });
    // One zone.resize per move, naming the span after it, and one RESIZED back.
    expect(trace.map((e) => e.type)).toEqual(events.map(() => 'zone.resize'));
    expect(replies).toEqual(events.map(() => 'RESIZED'));
  });

  it('emits nothing in a pure transition', () => {
    trace.length = 0;
    const [initial] = initialTransition(zoneMachine, input);
    const [next] = transition(zoneMachine, initial, resize(1, 2));
    expect(next.value).toBe('spanned');
    expect(trace).toEqual([]);
  });
});
