import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import type { Sharing } from '../../src/model/profile.js';
import type { SimEnv } from './sim-env.js';
import { waterFill } from './water-fill.js';

/**
 * A memory medium (a node's DRAM, a pmem device) whose write bandwidth is
 * shared by the flows on it at each moment. A flow is a worker's next batch of
 * struct-page stores; when flows start or stop every rate changes, and the
 * next completion is re-planned. Fluid model: no per-page events.
 *
 * Two sharing laws (docs/model.md):
 * - maxmin: memory work overlaps CPU work; the bandwidth is shared max-min
 *   fairly, each flow capped by its CPU rate. Speedup has a hard knee.
 * - stall: a store loop stalls on memory; per byte a flow spends its CPU time
 *   plus its memory time, and the memory time is the slower of one stream's
 *   bandwidth and its 1/n share of the channel. Speedup bends smoothly.
 */
export type { Sharing };
export interface Flow {
  readonly id: string;
  readonly owner: AnyActorRef;
  readonly total: number;
  remaining: number;
  cap: number;
  rate: number;
}

export interface ChannelContext {
  readonly env: SimEnv;
  readonly name: string;
  /** Bytes per ns (= GB/s). */
  readonly capacity: number;
  readonly sharing: Sharing;
  /** One stream's bandwidth (bytes/ns), for `stall`. */
  readonly streamCap: number;
  readonly flows: readonly Flow[];
  readonly lastNs: number;
  readonly bytesMoved: number;
  readonly busyNs: number;
}

export type ChannelEvent =
  | { type: 'FLOW_START'; id: string; owner: AnyActorRef; bytes: number; cap: number }
  | { type: 'FLOW_CAP'; id: string; cap: number }
  /** The planned completion of flow `flow` (the earliest to finish). */
  | { type: 'TICK'; flow: string };

export interface ChannelInput {
  env: SimEnv;
  name: string;
  capacity: number;
  sharing?: Sharing;
  streamCap?: number;
}

/** Rates of flows with CPU caps `caps` on a channel, by its sharing law. */
export function shareRates(capacity: number, caps: readonly number[], sharing: Sharing, streamCap: number): number[] {
  if (sharing === 'maxmin') return waterFill(capacity, caps);
  const memNsPerByte = Math.max(1 / streamCap, caps.length / capacity);
  return caps.map((cap) => 1 / (1 / cap + memNsPerByte));
}

const TICK_ID = 'channel-next-completion';

/**
 * A flow is done when its remainder is rounding noise, or when this is the
 * completion planned for it. The second rule is what keeps the channel live:
 * late in a long run a completion delay can be smaller than one ulp of `now`,
 * so the clock does not move and the remainder never shrinks; the planned
 * tick finishes the flow anyway, so every TICK retires at least one flow.
 */
const finished = (f: Flow, event: ChannelEvent) => f.remaining <= f.total * 1e-12 + 1e-6 || (event.type === 'TICK' && event.flow === f.id);

export const memoryChannelMachine = setup({
  types: {
    context: {} as ChannelContext,
    events: {} as ChannelEvent,
    input: {} as ChannelInput,
  },
  actions: {
    // The flows array and its entries belong to this actor alone, so they are
    // updated in place: a node with a hundred workers replans on every start
    // and stop, and copying them each time dominated big runs.
    replan: enqueueActions(({ context, event, enqueue }) => {
      const now = context.env.clock.now();
      const dt = now - context.lastNs;
      const flows = context.flows as Flow[];
      const wasBusy = flows.length > 0;
      let moved = 0;
      if (dt > 0) {
        for (const f of flows) {
          const step = Math.min(f.remaining, f.rate * dt);
          f.remaining -= step;
          moved += step;
        }
      }
      if (event.type === 'FLOW_START') {
        flows.push({ id: event.id, owner: event.owner, total: event.bytes, remaining: event.bytes, cap: event.cap, rate: 0 });
      } else if (event.type === 'FLOW_CAP') {
        const f = flows.find((x) => x.id === event.id);
        if (f) f.cap = event.cap;
      }
      let kept = 0;
      for (const f of flows) {
        if (finished(f, event)) {
          // The remainder is float noise: count the flow's bytes exactly.
          moved += f.remaining;
          // Exploring, flows that finish together tell their owners in an order the chooser picks.
          enqueue.sendTo(f.owner, { type: 'FLOW_DONE', id: f.id }, context.env.interleave ? { delay: 0 } : undefined);
        } else flows[kept++] = f;
      }
      flows.length = kept;
      const rates = shareRates(
        context.capacity,
        flows.map((f) => f.cap),
        context.sharing,
        context.streamCap,
      );
      let total = 0;
      let next = Infinity;
      let first = '';
      flows.forEach((f, i) => {
        f.rate = rates[i];
        total += f.rate;
        const eta = f.remaining / f.rate;
        if (eta < next) [next, first] = [eta, f.id];
      });
      enqueue.assign({
        lastNs: Math.max(now, context.lastNs),
        bytesMoved: context.bytesMoved + moved,
        busyNs: context.busyNs + (dt > 0 && wasBusy ? dt : 0),
      });
      enqueue.cancel(TICK_ID);
      if (flows.length) enqueue.raise({ type: 'TICK', flow: first }, { delay: next, id: TICK_ID });
      context.env.emit({ type: 'channel.rate', t: now, channel: context.name, bytesPerNs: total, flows: flows.length, capacity: context.capacity });
    }),
  },
}).createMachine({
  id: 'memoryChannel',
  context: ({ input }) => ({
    env: input.env,
    name: input.name,
    capacity: input.capacity,
    sharing: input.sharing ?? 'maxmin',
    streamCap: input.streamCap ?? Infinity,
    flows: [],
    lastNs: input.env.clock.now(),
    bytesMoved: 0,
    busyNs: 0,
  }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        FLOW_START: { actions: 'replan' },
        FLOW_CAP: { actions: 'replan' },
        TICK: { actions: 'replan' },
      },
    },
  },
});
