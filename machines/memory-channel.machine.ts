import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import type { Sharing } from '../src/model/profile.js';
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
  readonly remaining: number;
  readonly cap: number;
  readonly rate: number;
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
  | { type: 'TICK' };

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

function advance(ctx: ChannelContext, now: number): Pick<ChannelContext, 'flows' | 'lastNs' | 'bytesMoved' | 'busyNs'> {
  const dt = now - ctx.lastNs;
  if (dt <= 0) return ctx;
  let moved = 0;
  const flows = ctx.flows.map((f) => {
    const step = Math.min(f.remaining, f.rate * dt);
    moved += step;
    return { ...f, remaining: f.remaining - step };
  });
  return { flows, lastNs: now, bytesMoved: ctx.bytesMoved + moved, busyNs: ctx.busyNs + (ctx.flows.length ? dt : 0) };
}

const finished = (f: Flow) => f.remaining <= f.total * 1e-12 + 1e-6;

export const memoryChannelMachine = setup({
  types: {
    context: {} as ChannelContext,
    events: {} as ChannelEvent,
    input: {} as ChannelInput,
  },
  actions: {
    replan: enqueueActions(({ context, event, enqueue }) => {
      const now = context.env.clock.now();
      const moved = advance(context, now);
      let flows = [...moved.flows];
      if (event.type === 'FLOW_START') {
        flows.push({ id: event.id, owner: event.owner, total: event.bytes, remaining: event.bytes, cap: event.cap, rate: 0 });
      } else if (event.type === 'FLOW_CAP') {
        flows = flows.map((f) => (f.id === event.id ? { ...f, cap: event.cap } : f));
      }
      const done = flows.filter(finished);
      flows = flows.filter((f) => !finished(f));
      const rates = shareRates(
        context.capacity,
        flows.map((f) => f.cap),
        context.sharing,
        context.streamCap,
      );
      flows = flows.map((f, i) => ({ ...f, rate: rates[i] }));
      enqueue.assign({ ...moved, flows });
      for (const f of done) enqueue.sendTo(f.owner, { type: 'FLOW_DONE', id: f.id });
      enqueue.cancel(TICK_ID);
      if (flows.length) {
        const next = Math.min(...flows.map((f) => f.remaining / f.rate));
        enqueue.raise({ type: 'TICK' }, { delay: next, id: TICK_ID });
      }
      const total = rates.reduce((a, b) => a + b, 0);
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
