import type { AnyActorRef } from 'xstate';
import type { LockMode, TraceEvent } from '../../src/model/trace-events.js';

/**
 * The kernel steps of mem_hotplug_lock, a percpu rwsem: a request joins a
 * FIFO queue, a release drops a holder, and grantFromQueue serves the head of
 * the queue while it is grantable. A waiting writer at the head blocks every
 * reader behind it, so a stream of readers cannot starve a writer.
 *
 * A grant is not delivered at once: the waiter learns of it after the grant's
 * cost (an RCU grace period for a write acquisition, a wake-up for a sleeping
 * waiter), so each grant is a delayed DELIVER to the lock itself, which then
 * traces lock.acquired and tells the waiter.
 */
export interface Waiter {
  readonly holder: string;
  readonly mode: LockMode;
  readonly ref: AnyActorRef;
  /** When it asked. */
  readonly since: number;
}

export interface LockState {
  readonly writer: string | null;
  readonly readers: readonly string[];
  readonly queue: readonly Waiter[];
  /** holder -> time its grant is delivered (lock.released reports the time held since). */
  readonly grantedAt: Readonly<Record<string, number>>;
}

/** What a step reads besides the state: the lock's name and kind, the time and the grant costs. */
export interface LockSetting {
  readonly name: string;
  /** A pgdat_resize_lock: every request exclusive, grants cost nothing. */
  readonly spinlock: boolean;
  readonly now: number;
  readonly writeNs: number;
  readonly handoffNs: number;
  /** The scenario's jitter on a cost (seeded). */
  readonly cost: (ns: number) => number;
}

export type Deliver = { readonly type: 'DELIVER' } & Waiter;
export interface LockGranted {
  readonly type: 'LOCK_GRANTED';
  readonly lock: string;
  readonly mode: LockMode;
}

/** A message a step sends: a delayed DELIVER to the lock itself, or a grant to a waiter. */
export type LockSend =
  { readonly to: 'self'; readonly event: Deliver; readonly delay: number; readonly id: string } | { readonly to: AnyActorRef; readonly event: LockGranted };

export interface LockStep {
  readonly state: LockState;
  readonly trace: readonly TraceEvent[];
  readonly send: readonly LockSend[];
}

export const FREE: LockState = { writer: null, readers: [], queue: [], grantedAt: {} };

const grantable = (state: LockState, mode: LockMode) => state.writer === null && (mode === 'read' || state.readers.length === 0);

const isFree = (state: LockState) => state.writer === null && state.readers.length === 0;

/** down_read / down_write: queue the request (a spinlock's is always exclusive). */
export function request(state: LockState, asked: Omit<Waiter, 'since'>, at: LockSetting): LockStep {
  const mode: LockMode = at.spinlock ? 'write' : asked.mode;
  return {
    state: { ...state, queue: [...state.queue, { holder: asked.holder, mode, ref: asked.ref, since: at.now }] },
    trace: [{ type: 'lock.request', t: at.now, lock: at.name, holder: asked.holder, mode }],
    send: [],
  };
}

/** up_read / up_write: drop the holder; the caller then serves the queue. */
export function release(state: LockState, holder: string, at: LockSetting): LockStep {
  const mode: LockMode = state.writer === holder ? 'write' : 'read';
  const { [holder]: since = at.now, ...grantedAt } = state.grantedAt;
  return {
    state: {
      ...state,
      writer: mode === 'write' ? null : state.writer,
      readers: mode === 'write' ? state.readers : state.readers.filter((r) => r !== holder),
      grantedAt,
    },
    trace: [{ type: 'lock.released', t: at.now, lock: at.name, holder, mode, heldNs: at.now - since }],
    send: [],
  };
}

/**
 * Grants from the head of the queue while the head is grantable (FIFO,
 * writer-fair). `handoff`: the lock was just released, so every waiter it
 * wakes was asleep. A waiter that asked now of a free lock did not sleep.
 */
export function grantFromQueue(state: LockState, at: LockSetting, handoff: boolean): LockStep {
  const wasFree = isFree(state);
  let next = state;
  const send: LockSend[] = [];
  while (next.queue.length > 0 && grantable(next, next.queue[0].mode)) {
    const w = next.queue[0];
    const slept = w.since < at.now || !wasFree || handoff;
    const delay = at.spinlock ? 0 : at.cost((w.mode === 'write' ? at.writeNs : 0) + (slept ? at.handoffNs : 0));
    next = {
      writer: w.mode === 'write' ? w.holder : next.writer,
      readers: w.mode === 'read' ? [...next.readers, w.holder] : next.readers,
      queue: next.queue.slice(1),
      grantedAt: { ...next.grantedAt, [w.holder]: at.now + delay },
    };
    send.push({ to: 'self', event: { type: 'DELIVER', ...w }, delay, id: `grant:${w.holder}` });
  }
  return { state: next, trace: [], send };
}

/** The grant reaches its waiter: trace how long it waited and tell it. */
export function deliver(state: LockState, grant: Deliver, at: LockSetting): LockStep {
  return {
    state,
    trace: [{ type: 'lock.acquired', t: at.now, lock: at.name, holder: grant.holder, mode: grant.mode, waitNs: at.now - grant.since }],
    send: [{ to: grant.ref, event: { type: 'LOCK_GRANTED', lock: at.name, mode: grant.mode } }],
  };
}

/** Where the lock statechart rests for a lock state: free, read-held or write-held, and whether anyone waits. */
export type LockStatePath = 'free' | 'readHeld.uncontended' | 'readHeld.writerWaiting' | 'writeHeld.uncontended' | 'writeHeld.waiters';

export function lockStatePath(state: LockState): LockStatePath {
  if (state.writer !== null) return state.queue.length > 0 ? 'writeHeld.waiters' : 'writeHeld.uncontended';
  // Readers hold it and the head waiter is not grantable: a writer.
  if (state.readers.length > 0) return state.queue.length > 0 ? 'readHeld.writerWaiting' : 'readHeld.uncontended';
  return 'free';
}
