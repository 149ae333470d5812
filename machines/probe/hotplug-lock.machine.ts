import { setup, assertEvent, enqueueActions, type AnyActorRef } from 'xstate';
import type { LockMode, TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';
import {
  FREE,
  deliver,
  grantFromQueue,
  lockStatePath,
  release,
  request,
  type Deliver,
  type LockSetting,
  type LockState,
  type LockStatePath,
} from './hotplug-lock.js';

/**
 * mem_hotplug_lock: a percpu rwsem (DEFINE_STATIC_PERCPU_RWSEM since v4.13).
 * mem_hotplug_begin takes it for write, get_online_mems for read. The steps
 * (queue, release, grant from the queue, deliver) are in hotplug-lock.ts;
 * this machine applies them and rests in the state they leave: free,
 * readHeld (the readers are in context) or writeHeld, each saying whether
 * anyone waits.
 *
 * With `spinlock`, the same machine is a node's pgdat_resize_lock: a plain
 * exclusive lock (every request granted as write, so it is free or
 * writeHeld), whose grants cost nothing, since a spinning waiter needs
 * neither a grace period nor a wake-up.
 */
export interface LockContext extends LockState {
  readonly env: SimEnv;
  readonly name: string;
  readonly spinlock: boolean;
}

export type LockEvent = { type: 'ACQUIRE'; holder: string; mode: LockMode; ref: AnyActorRef } | { type: 'RELEASE'; holder: string } | Deliver;

export interface LockInput {
  env: SimEnv;
  name: string;
  spinlock?: boolean;
}

function settingOf(context: LockContext): LockSetting {
  const { env } = context;
  return {
    name: context.name,
    spinlock: context.spinlock,
    now: env.clock.now(),
    writeNs: env.scenario.costs.hotplugLockWriteNs,
    handoffNs: env.scenario.costs.lockHandoffNs,
    cost: env.cost,
  };
}

const stateOf = ({ writer, readers, queue, grantedAt }: LockContext): LockState => ({ writer, readers, queue, grantedAt });

const isAt = ({ context }: { context: LockContext }, params: { path: LockStatePath }) => lockStatePath(context) === params.path;

const lockSetup = setup({
  types: { context: {} as LockContext, events: {} as LockEvent, input: {} as LockInput },
  guards: { isAt },
  actions: {
    /** The one action that traces: it runs when the actions execute, never in a pure transition. */
    emitTrace: ({ context }, params: { trace: readonly TraceEvent[] }) => {
      for (const e of params.trace) context.env.emit(e);
    },
  },
});

export const hotplugLockMachine = lockSetup
  .extend<{ request: undefined; release: undefined; grant: { handoff: boolean }; deliver: undefined }>({
    actions: {
      request: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'ACQUIRE');
        const step = request(stateOf(context), event, settingOf(context));
        enqueue.assign(step.state);
        enqueue({ type: 'emitTrace', params: { trace: step.trace } });
      }),
      release: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'RELEASE');
        const step = release(stateOf(context), event.holder, settingOf(context));
        enqueue.assign(step.state);
        enqueue({ type: 'emitTrace', params: { trace: step.trace } });
      }),
      grant: enqueueActions(({ context, enqueue }, params: { handoff: boolean }) => {
        const step = grantFromQueue(stateOf(context), settingOf(context), params.handoff);
        enqueue.assign(step.state);
        for (const s of step.send) if (s.to === 'self') enqueue.raise(s.event, { delay: s.delay, id: s.id });
      }),
      deliver: enqueueActions(({ context, event, enqueue }) => {
        assertEvent(event, 'DELIVER');
        const step = deliver(stateOf(context), event, settingOf(context));
        enqueue({ type: 'emitTrace', params: { trace: step.trace } });
        for (const s of step.send) if (s.to !== 'self') enqueue.sendTo(s.to, s.event);
      }),
    },
  })
  .createMachine({
    id: 'hotplugLock',
    context: ({ input }) => ({ env: input.env, name: input.name, spinlock: input.spinlock ?? false, ...FREE }),
    initial: 'free',
    on: {
      ACQUIRE: { target: '.settling', actions: ['request', { type: 'grant', params: { handoff: false } }] },
      RELEASE: { target: '.settling', actions: ['release', { type: 'grant', params: { handoff: true } }] },
      // A grant's delivery changes no holder: the grant already did.
      DELIVER: { actions: 'deliver' },
    },
    states: {
      // The queue was just served: rest in the state it left.
      settling: {
        always: [
          { guard: { type: 'isAt', params: { path: 'writeHeld.waiters' } }, target: 'writeHeld.waiters' },
          { guard: { type: 'isAt', params: { path: 'writeHeld.uncontended' } }, target: 'writeHeld.uncontended' },
          { guard: { type: 'isAt', params: { path: 'readHeld.writerWaiting' } }, target: 'readHeld.writerWaiting' },
          { guard: { type: 'isAt', params: { path: 'readHeld.uncontended' } }, target: 'readHeld.uncontended' },
          { target: 'free' },
        ],
      },
      free: {},
      readHeld: {
        initial: 'uncontended',
        states: {
          uncontended: {},
          // A writer heads the queue: later readers queue behind it.
          writerWaiting: {},
        },
      },
      writeHeld: {
        initial: 'uncontended',
        states: { uncontended: {}, waiters: {} },
      },
    },
  });
