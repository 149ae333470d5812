import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { replanFlows, shareRates, type ChannelState, type FlowChange } from '../../../machines/shared/memory-channel.js';

const owner = (name: string) => ({ id: name }) as unknown as AnyActorRef;
const A = owner('a');
const B = owner('b');
const GB = 1e9;

/** A channel of 10 bytes/ns, max-min shared, with nothing on it at t = 0. */
const idle: ChannelState = Object.freeze({ name: 'chan/d0', capacity: 10, sharing: 'maxmin', streamCap: Infinity, flows: Object.freeze([]), lastNs: 0 });

const start = (id: string, to: AnyActorRef, bytes: number, cap: number): FlowChange => ({ type: 'FLOW_START', id, owner: to, bytes, cap });

/** Applies changes one after the other, each at its time, and returns every step. */
function run(state: ChannelState, changes: readonly [number, FlowChange][]) {
  const steps = [];
  for (const [now, change] of changes) {
    const step = replanFlows(state, now, change);
    steps.push(step);
    state = { ...state, ...step.state };
  }
  return { state, steps };
}

describe('replanFlows', () => {
  it('a flow on an idle channel runs at its CPU cap, plans its completion and traces the rate', () => {
    const step = replanFlows(idle, 0, start('a#0', A, 6 * GB, 4));
    expect(step.state.flows).toEqual([{ id: 'a#0', owner: A, total: 6 * GB, remaining: 6 * GB, cap: 4, rate: 4 }]);
    expect(step.next).toEqual({ flow: 'a#0', delayNs: 1.5 * GB });
    expect(step.trace).toEqual([{ type: 'channel.rate', t: 0, channel: 'chan/d0', bytesPerNs: 4, flows: 1, capacity: 10 }]);
    expect(step.send).toEqual([]);
  });

  it('a second flow shares the bandwidth max-min fairly; the first has moved its bytes meanwhile', () => {
    const { steps } = run(idle, [
      [0, start('a#0', A, 100, 8)],
      [5, start('b#0', B, 100, 8)],
    ]);
    const [, second] = steps;
    expect(second.state.flows.map((f) => [f.id, f.remaining, f.rate])).toEqual([
      ['a#0', 60, 5],
      ['b#0', 100, 5],
    ]);
    expect(second.next).toEqual({ flow: 'a#0', delayNs: 12 });
    expect(second.trace[0]).toMatchObject({ t: 5, bytesPerNs: 10, flows: 2 });
  });

  it('finishing flows are told FLOW_DONE in flow order, and the rest speed up', () => {
    const { steps } = run(idle, [
      [0, start('a#0', A, 20, 2)],
      [0, start('b#0', B, 20, 2)],
      [0, start('c#0', owner('c'), 500, 8)],
      [10, { type: 'TICK', flow: 'a#0' }],
    ]);
    const last = steps[3];
    expect(last.send.map((m) => [m.to, m.event])).toEqual([
      [A, { type: 'FLOW_DONE', id: 'a#0' }],
      [B, { type: 'FLOW_DONE', id: 'b#0' }],
    ]);
    // c had 6 of the 10 bytes/ns; alone it runs at its cap.
    expect(last.state.flows.map((f) => [f.id, f.remaining, f.rate])).toEqual([['c#0', 440, 8]]);
    expect(last.trace[0]).toMatchObject({ t: 10, bytesPerNs: 8, flows: 1 });
  });

  it('the planned TICK always finishes its flow, even when the clock did not move (liveness)', () => {
    const { state } = run(idle, [[1e18, start('a#0', A, 1e12, 1)]]);
    // 1e18 + 1e12 ns is still 1e18 + 1e12, but late in a long run a delay below one ulp of now leaves now unchanged.
    const step = replanFlows(state, 1e18, { type: 'TICK', flow: 'a#0' });
    expect(step.state.flows).toEqual([]);
    expect(step.send).toEqual([{ to: A, event: { type: 'FLOW_DONE', id: 'a#0' } }]);
    expect(step.next).toBeNull();
    expect(step.trace[0]).toMatchObject({ bytesPerNs: 0, flows: 0 });
  });

  it('a TICK for one flow does not finish another with bytes left', () => {
    const { state } = run(idle, [
      [0, start('a#0', A, 100, 5)],
      [0, start('b#0', B, 100, 5)],
    ]);
    const step = replanFlows(state, 1, { type: 'TICK', flow: 'a#0' });
    expect(step.send.map((m) => m.event.id)).toEqual(['a#0']);
    expect(step.state.flows.map((f) => [f.id, f.remaining])).toEqual([['b#0', 95]]);
  });

  it('FLOW_CAP re-plans with the new cap; a stale cap for a finished flow changes no flow but is traced', () => {
    const { state } = run(idle, [[0, start('a#0', A, 100, 2)]]);
    const capped = replanFlows(state, 10, { type: 'FLOW_CAP', id: 'a#0', cap: 4 });
    expect(capped.state.flows.map((f) => [f.remaining, f.cap, f.rate])).toEqual([[80, 4, 4]]);
    expect(capped.next).toEqual({ flow: 'a#0', delayNs: 20 });
    const stale = replanFlows(idle, 3, { type: 'FLOW_CAP', id: 'gone#0', cap: 4 });
    expect(stale.state).toEqual({ flows: [], lastNs: 3 });
    expect(stale.trace).toEqual([{ type: 'channel.rate', t: 3, channel: 'chan/d0', bytesPerNs: 0, flows: 0, capacity: 10 }]);
  });

  it('a flow of no bytes finishes as it starts', () => {
    const step = replanFlows(idle, 0, start('a#0', A, 0, 4));
    expect(step.send).toEqual([{ to: A, event: { type: 'FLOW_DONE', id: 'a#0' } }]);
    expect(step.state.flows).toEqual([]);
    expect(step.next).toBeNull();
  });

  it('changes nothing it was given', () => {
    const flows = Object.freeze([Object.freeze({ id: 'a#0', owner: A, total: 100, remaining: 100, cap: 5, rate: 5 })]);
    const state = Object.freeze({ ...idle, flows });
    for (const change of [start('b#0', B, 10, 1), { type: 'FLOW_CAP', id: 'a#0', cap: 1 } as const, { type: 'TICK', flow: 'a#0' } as const]) {
      expect(() => replanFlows(state, 4, change)).not.toThrow();
    }
    expect(flows[0].remaining).toBe(100);
  });
});

describe('shareRates', () => {
  it('maxmin: water-filled; stall: each flow pays its CPU time plus the slower of one stream and its channel share', () => {
    expect(shareRates(10, [2, 8, 8], 'maxmin', Infinity)).toEqual([2, 4, 4]);
    // 4 flows on 8 bytes/ns: memory 0.5 ns/byte; one stream alone at 1 byte/ns would be 1 ns/byte.
    expect(shareRates(8, [2, 2, 2, 2], 'stall', 4)).toEqual([1, 1, 1, 1]);
    expect(shareRates(8, [2], 'stall', 1)).toEqual([2 / 3]);
  });
});
