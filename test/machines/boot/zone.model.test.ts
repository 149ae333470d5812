import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { zoneMachine, type ZoneContext } from '../../../machines/boot/zone.machine.js';
import { runModel, stateKey } from '../model-helpers.js';

const model = runModel({
  machine: zoneMachine,
  input: ({ env }) => ({ env, name: 'node0/device' }),
  events: ({ stub }) => [
    { type: 'RESIZE', by: 'pmem0', startPfn: 1000, endPfn: 2000, replyTo: stub('pmem0') },
    { type: 'RESIZE', by: 'pmem0', startPfn: 500, endPfn: 1500, replyTo: stub('pmem0') },
  ],
  serializeState: (s: { value: unknown; context: ZoneContext }) => JSON.stringify([s.value, s.context.startPfn, s.context.endPfn]),
});

describe('zone machine (model-based: shortest path to every state)', () => {
  it('reaches every state, and the real actor ends where the model does, with the same span', () => {
    expect(model.unreached).toEqual([]);
    for (const run of model.paths) expect(stateKey(run.snapshot), run.description).toBe(stateKey(run.expected));
  });

  it('traces one zone.resize per move, naming the span after it, and replies RESIZED after the resize cost', () => {
    for (const run of model.paths) {
      run.runTimers();
      expect(
        run.trace.map((e) => e.type),
        run.description,
      ).toEqual(run.events.map(() => 'zone.resize'));
      expect(
        run.sent.map((s) => `${s.to}:${s.event.type}`),
        run.description,
      ).toEqual(run.events.map(() => 'pmem0:RESIZED'));
      const { startPfn, endPfn } = run.snapshot.context;
      if (run.events.length > 0) expect(run.trace.at(-1), run.description).toMatchObject({ startPfn, endPfn });
      for (const s of run.sent) expect(s.atNs).toBe(run.env.scenario.costs.zoneResizeNs);
    }
    const both = model.paths.find((p) => p.events.length === 2);
    expect(both?.snapshot.context).toMatchObject({ startPfn: 500, endPfn: 2000 });
  });

  it('emits nothing in a pure transition', () => {
    const trace: unknown[] = [];
    const run = model.paths[0];
    const env = { ...run.env, emit: (e: unknown) => trace.push(e) };
    const [initial] = initialTransition(zoneMachine, { env, name: 'node0/device' });
    const [next] = transition(zoneMachine, initial, { type: 'RESIZE', by: 'pmem0', startPfn: 1, endPfn: 2, replyTo: run.actor });
    expect(next.value).toBe('spanned');
    expect(trace).toEqual([]);
  });
});
