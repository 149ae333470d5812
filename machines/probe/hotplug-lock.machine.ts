import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import type { LockMode } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * mem_hotplug_lock: a percpu rwsem (DEFINE_STATIC_PERCPU_RWSEM since v4.13).
 * mem_hotplug_begin takes it for write, get_online_mems for read. Waiters are
 * served FIFO and a waiting writer blocks later readers, so a stream of readers
 * cannot starve a writer. A write acquisition pays an RCU grace period
 * (rcu_sync_enter); every hand-off to a sleeping waiter pays a wake-up.
 *
 * With `spinlock`, the same actor is a node's pgdat_resize_lock: every
 * request is exclusive (granted as write), and a grant costs nothing, since
 * a spinning waiter needs neither a grace period nor a wake-up.
 */
interface Waiter {
  readonly holder: string;
  readonly mode: LockMode;
  readonly ref: AnyActorRef;
  readonly since: number;
}

export interface LockContext {
  readonly env: SimEnv;
  readonly name: string;
  readonly writer: string | null;
  readonly readers: readonly string[];
  readonly queue: readonly Waiter[];
  /** holder -> time it was granted */
  readonly grantedAt: Readonly<Record<string, number>>;
  readonly spinlock: boolean;
}

export type LockEvent =
  | { type: 'ACQUIRE'; holder: string; mode: LockMode; ref: AnyActorRef }
  | { type: 'RELEASE'; holder: string }
  | { type: 'DELIVER'; holder: string; mode: LockMode; ref: AnyActorRef; since: number };

export interface LockInput {
  env: SimEnv;
  name: string;
  spinlock?: boolean;
}

const grantable = (ctx: Pick<LockContext, 'writer' | 'readers'>, mode: LockMode) => ctx.writer === null && (mode === 'read' || ctx.readers.length === 0);

export const hotplugLockMachine = setup({
  types: { context: {} as LockContext, events: {} as LockEvent, input: {} as LockInput },
  actions: {
    schedule: enqueueActions(({ context, event, enqueue }) => {
      const now = context.env.clock.now();
      const costs = context.env.scenario.costs;
      let writer = context.writer;
      let readers = [...context.readers];
      const queue = [...context.queue];
      const grantedAt = { ...context.grantedAt };
      if (event.type === 'ACQUIRE') {
        const mode: LockMode = context.spinlock ? 'write' : event.mode;
        context.env.emit({ type: 'lock.request', t: now, lock: context.name, holder: event.holder, mode });
        queue.push({ holder: event.holder, mode, ref: event.ref, since: now });
      } else if (event.type === 'RELEASE') {
        const mode: LockMode = writer === event.holder ? 'write' : 'read';
        if (mode === 'write') writer = null;
        else readers = readers.filter((r) => r !== event.holder);
        context.env.emit({ type: 'lock.released', t: now, lock: context.name, holder: event.holder, mode, heldNs: now - (grantedAt[event.holder] ?? now) });
        delete grantedAt[event.holder];
      }
      // Grant from the head of the queue while the head is grantable (FIFO, writer-fair).
      const wasIdle = context.writer === null && context.readers.length === 0;
      while (queue.length && grantable({ writer, readers }, queue[0].mode)) {
        const w = queue.shift()!;
        if (w.mode === 'write') writer = w.holder;
        else readers.push(w.holder);
        const slept = w.since < now || !wasIdle || event.type === 'RELEASE';
        const delay = context.spinlock ? 0 : context.env.cost((w.mode === 'write' ? costs.hotplugLockWriteNs : 0) + (slept ? costs.lockHandoffNs : 0));
        enqueue.raise({ type: 'DELIVER', holder: w.holder, mode: w.mode, ref: w.ref, since: w.since }, { delay, id: `grant:${w.holder}` });
        grantedAt[w.holder] = now + delay;
      }
      enqueue.assign({ writer, readers, queue, grantedAt });
    }),
    deliver: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DELIVER') return;
      const now = context.env.clock.now();
      context.env.emit({ type: 'lock.acquired', t: now, lock: context.name, holder: event.holder, mode: event.mode, waitNs: now - event.since });
      enqueue.sendTo(event.ref, { type: 'LOCK_GRANTED', lock: context.name, mode: event.mode });
    }),
  },
}).createMachine({
  id: 'hotplugLock',
  context: ({ input }) => ({ env: input.env, name: input.name, writer: null, readers: [], queue: [], grantedAt: {}, spinlock: input.spinlock ?? false }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        ACQUIRE: { actions: 'schedule' },
        RELEASE: { actions: 'schedule' },
        DELIVER: { actions: 'deliver' },
      },
    },
  },
});
