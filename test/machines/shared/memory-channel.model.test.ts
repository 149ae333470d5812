import { describe, expect, it } from 'vitest';
import { memoryChannelMachine, type ChannelEvent } from '../../../machines/shared/memory-channel.machine.js';
import { runModel, stateKey } from '../model-helpers.js';

const has = (flows: readonly { id: string }[], id: string) => flows.some((f) => f.id === id);

/** Two threads' flows on a 10 bytes/ns channel; the clock stays at 0, so only planned completions (TICK) end them. */
const model = runModel({
  machine: memoryChannelMachine,
  input: ({ env }) => ({ env, name: 'chan/d0', capacity: 10 }),
  events: ({ stub }): ChannelEvent[] => [
    { type: 'FLOW_START', id: 'a#0', owner: stub('a'), bytes: 100, cap: 8 },
    { type: 'FLOW_START', id: 'b#0', owner: stub('b'), bytes: 100, cap: 8 },
    { type: 'FLOW_START', id: 'c#0', owner: stub('c'), bytes: 0, cap: 8 },
    { type: 'FLOW_CAP', id: 'a#0', cap: 2 },
    { type: 'TICK', flow: 'a#0' },
    { type: 'TICK', flow: 'b#0' },
  ],
  // A flow starts once at a time; a TICK is planned only for a flow on the channel. A cap may be stale.
  filterEvents: ({ context }, e) => (e.type === 'FLOW_START' ? !has(context.flows, e.id) : e.type === 'TICK' ? has(context.flows, e.flow) : true),
});

describe('memory channel machine (model-based: shortest path to idle and busy)', () => {
  it('reaches every state, and the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    expect(new Set(model.paths.map((p) => p.snapshot.value))).toEqual(new Set(['idle', 'busy']));
    // Every mix of the two flows, capped or not, each ended or not.
    expect(model.paths.length).toBeGreaterThan(5);
    for (const run of model.paths) expect(stateKey(run.snapshot), run.description).toBe(stateKey(run.expected));
  });

  it('is busy exactly while a flow is on it', () => {
    for (const run of model.paths) expect(run.snapshot.value, run.description).toBe(run.snapshot.context.flows.length ? 'busy' : 'idle');
  });

  it('traces one channel.rate per change, and the rates never exceed the capacity', () => {
    for (const run of model.paths) {
      expect(
        run.trace.map((e) => e.type),
        run.description,
      ).toEqual(run.events.map(() => 'channel.rate'));
      for (const e of run.trace) if (e.type === 'channel.rate') expect(e.bytesPerNs).toBeLessThanOrEqual(10 + 1e-9);
    }
  });

  it('tells an owner FLOW_DONE when its planned TICK comes, and a flow of no bytes at once', () => {
    for (const run of model.paths) {
      const ended = run.events.flatMap((e) =>
        e.type === 'TICK' ? [`${e.flow.split('#')[0]}:${e.flow}`] : e.type === 'FLOW_START' && e.id === 'c#0' ? ['c:c#0'] : [],
      );
      expect(
        run.sent.map((s) => `${s.to}:${s.event.id}`),
        run.description,
      ).toEqual(ended);
      expect(run.sent.every((s) => s.event.type === 'FLOW_DONE')).toBe(true);
    }
  });
});
