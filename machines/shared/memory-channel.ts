import type { AnyActorRef } from 'xstate';
import type { Sharing } from '../../src/model/profile.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { waterFill } from './water-fill.js';

/**
 * The kernel step of a memory channel (a node's DRAM, a pmem device): the
 * flows on it share its write bandwidth, and whenever one starts, changes its
 * CPU cap or completes, every rate changes and the next completion is
 * re-planned. A flow is a thread's next batch of struct-page stores; fluid
 * model, no per-page events.
 *
 * Two sharing laws (docs/model.md):
 * - maxmin: memory work overlaps CPU work; the bandwidth is shared max-min
 *   fairly, each flow capped by its CPU rate. Speedup has a hard knee.
 * - stall: a store loop stalls on memory; per byte a flow spends its CPU time
 *   plus its memory time, and the memory time is the slower of one stream's
 *   bandwidth and its 1/n share of the channel. Speedup bends smoothly.
 */
export interface Flow {
  readonly id: string;
  readonly owner: AnyActorRef;
  /** Bytes. */
  readonly total: number;
  readonly remaining: number;
  /** The owner's CPU rate, bytes per ns. */
  readonly cap: number;
  readonly rate: number;
}

export interface ChannelParams {
  readonly name: string;
  /** Bytes per ns (= GB/s). */
  readonly capacity: number;
  readonly sharing: Sharing;
  /** One stream's bandwidth (bytes/ns), for `stall`. */
  readonly streamCap: number;
}

export interface ChannelState extends ChannelParams {
  readonly flows: readonly Flow[];
  /** When the flows' remainders were last brought up to date. */
  readonly lastNs: number;
}

export type FlowChange =
  | { type: 'FLOW_START'; id: string; owner: AnyActorRef; bytes: number; cap: number }
  | { type: 'FLOW_CAP'; id: string; cap: number }
  /** The planned completion of flow `flow` (the earliest to finish). */
  | { type: 'TICK'; flow: string };

export interface FlowDone {
  readonly to: AnyActorRef;
  readonly event: { readonly type: 'FLOW_DONE'; readonly id: string };
}

export interface Replan {
  readonly state: Pick<ChannelState, 'flows' | 'lastNs'>;
  /** The next completion to plan (a TICK after `delayNs`), or null when no flow is left. */
  readonly next: { readonly flow: string; readonly delayNs: number } | null;
  readonly trace: readonly TraceEvent[];
  /** FLOW_DONE to the owner of every flow that finished, in flow order. */
  readonly send: readonly FlowDone[];
}

/** Rates of flows with CPU caps `caps` on a channel, by its sharing law. */
export function shareRates(capacity: number, caps: readonly number[], sharing: Sharing, streamCap: number): number[] {
  if (sharing === 'maxmin') return waterFill(capacity, caps);
  const memNsPerByte = Math.max(1 / streamCap, caps.length / capacity);
  return caps.map((cap) => 1 / (1 / cap + memNsPerByte));
}

/**
 * A flow is done when its remainder is rounding noise, or when this is the
 * completion planned for it. The second rule is what keeps the channel live:
 * late in a long run a completion delay can be smaller than one ulp of `now`,
 * so the clock does not move and the remainder never shrinks; the planned
 * tick finishes the flow anyway, so every TICK retires at least one flow.
 */
const finished = (f: Flow, remaining: number, change: FlowChange) => remaining <= f.total * 1e-12 + 1e-6 || (change.type === 'TICK' && change.flow === f.id);

/** The flows with `change` applied: a new flow (not yet moving), or a new CPU cap. */
function applyChange(flows: readonly Flow[], change: FlowChange): readonly Flow[] {
  if (change.type === 'FLOW_START')
    return [...flows, { id: change.id, owner: change.owner, total: change.bytes, remaining: change.bytes, cap: change.cap, rate: 0 }];
  if (change.type !== 'FLOW_CAP') return flows;
  const i = flows.findIndex((f) => f.id === change.id);
  // A cap for a flow that already finished is stale: the rates are re-planned all the same.
  if (i < 0) return flows;
  const changed = [...flows];
  changed[i] = { ...flows[i], cap: change.cap };
  return changed;
}

/**
 * Brings the channel to `now` (each flow has moved `rate * dt` bytes since
 * `lastNs`), applies `change`, retires the finished flows and shares the
 * bandwidth among the rest. Each flow is copied once: a node with a hundred
 * threads re-plans on every start and stop.
 */
export function replanFlows(state: ChannelState, now: number, change: FlowChange): Replan {
  const dt = now - state.lastNs;
  const flows = applyChange(state.flows, change);
  const send: FlowDone[] = [];
  const kept: Flow[] = [];
  const remaining: number[] = [];
  for (const f of flows) {
    // A flow that just started (rate 0) has moved nothing yet.
    const left = dt > 0 && f.rate !== 0 ? f.remaining - Math.min(f.remaining, f.rate * dt) : f.remaining;
    if (finished(f, left, change)) send.push({ to: f.owner, event: { type: 'FLOW_DONE', id: f.id } });
    else {
      kept.push(f);
      remaining.push(left);
    }
  }
  return share(state, now, kept, remaining, send);
}

/** The kept flows' new rates, the total traced, and the earliest completion planned. */
function share(state: ChannelState, now: number, kept: readonly Flow[], remaining: readonly number[], send: readonly FlowDone[]): Replan {
  const rates = shareRates(
    state.capacity,
    kept.map((f) => f.cap),
    state.sharing,
    state.streamCap,
  );
  let total = 0;
  let delayNs = Infinity;
  let first = '';
  const flows = kept.map((f, i): Flow => {
    total += rates[i];
    const eta = remaining[i] / rates[i];
    if (eta < delayNs) [delayNs, first] = [eta, f.id];
    return { id: f.id, owner: f.owner, total: f.total, remaining: remaining[i], cap: f.cap, rate: rates[i] };
  });
  const trace: TraceEvent[] = [{ type: 'channel.rate', t: now, channel: state.name, bytesPerNs: total, flows: flows.length, capacity: state.capacity }];
  return { state: { flows, lastNs: Math.max(now, state.lastNs) }, next: flows.length ? { flow: first, delayNs } : null, trace, send };
}
