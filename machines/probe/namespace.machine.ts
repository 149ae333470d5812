import { setup, assertEvent, assign, enqueueActions, type AnyActorRef } from 'xstate';
import type { ResolvedNamespace } from '../../src/model/scenario.js';
import type { ProbeStep } from '../../src/model/strategies.js';
import type { LockMode, TraceEvent } from '../../src/model/trace-events.js';
import { INITIAL, advance, lockGranted, lockRequest, nextMove, probeStart, unlock, unlockAll, type Move, type Probe, type ProbeState } from './namespace.js';
import { available, initStarted, initWorkers, instantStep, lastWorker, workerDone } from './namespace-init.js';
import {
  activateNext,
  activationFailed,
  activationPlan,
  deactivateNext,
  moreToActivate,
  moreToUnwind,
  sectionActivated,
  sectionDeactivated,
  sectionSpawns,
} from './namespace-sections.js';
import { sectionMachine, type SectionReply } from './section.machine.js';
import type { SimEnv } from '../shared/sim-env.js';
import { applyStep, type At, type Step } from '../shared/step.js';
import { cpuThreadMachine, type CpuThreadOutput } from '../shared/cpu-thread.machine.js';

/**
 * A pmem namespace being probed: memremap_pages -> pagemap_range, as the
 * strategy orders its steps (lock, activate sections, resize the zone, init
 * the memmap in one or more passes, take the pgmap reference, publish).
 * Each step is a message to another actor and each is timed. The steps are
 * pure functions (namespace.ts, namespace-sections.ts, namespace-init.ts);
 * this machine applies them: it assigns, emits their trace from `emitTrace`,
 * sends, and spawns the section runs and workers they name.
 *
 * If vmemmap population fails (an injected ENOMEM), the probe unwinds: every
 * section run it activated is deactivated (vmemmap and page tables freed),
 * then mem_hotplug_lock is released and the probe ends in `failed`. The zone
 * span was never grown (move_pfn_range_to_zone runs after arch_add_memory).
 */
export interface NamespaceInput {
  env: SimEnv;
  namespace: ResolvedNamespace;
  steps: readonly ProbeStep[];
  threads: number;
  lock: AnyActorRef;
  /** The node's pgdat_resize_lock; present when the strategy takes it. */
  resizeLock?: AnyActorRef;
  zone: AnyActorRef;
  node: AnyActorRef;
  channel: AnyActorRef;
  daxUser: AnyActorRef;
  /** Sections per section actor (see docs/architecture.md); rounded up to whole 1 GiB compound pages. */
  sectionsPerActor: number;
}

export interface NamespaceContext extends Probe {
  readonly env: SimEnv;
}

export type NamespaceEvent =
  | { type: 'START' }
  | { type: 'LOCK_GRANTED'; lock: string; mode: LockMode }
  | SectionReply
  | { type: 'RESIZED' }
  /** A worker ended (its id is in the event type). */
  | { type: `xstate.done.actor.${string}`; output: CpuThreadOutput };

const atOf = ({ env }: NamespaceContext): At => ({ now: env.clock.now(), scenario: env.scenario, cost: env.cost });

const namespaceSetup = setup({
  types: { context: {} as NamespaceContext, events: {} as NamespaceEvent, input: {} as NamespaceInput },
  actors: { section: sectionMachine, worker: cpuThreadMachine },
  guards: {
    next: ({ context }, params: { move: Move }) => nextMove(context) === params.move,
    moreToActivate: ({ context }) => moreToActivate(context),
    moreToUnwind: ({ context }) => moreToUnwind(context),
    lastWorker: ({ context }) => lastWorker(context),
  },
  actions: {
    /** The one action that traces: it runs when the actions execute, never in a pure transition. */
    emitTrace: ({ context }, params: { trace: readonly TraceEvent[] }) => {
      for (const e of params.trace) context.env.emit(e);
    },
    // Spawning in one assign per batch, with explicit ids: one copy of the children map per batch.
    spawnSections: assign(({ context, spawn }) => ({
      sections: sectionSpawns(context, context.env.scenario).map((s) => ({
        ...s.run,
        ref: spawn('section', { id: s.id, systemId: s.id, input: { env: context.env, ...s.input } }),
      })),
    })),
    spawnWorkers: assign(({ context, spawn }) => {
      const { state, workers } = initWorkers(context, atOf(context));
      for (const w of workers) spawn('worker', { id: w.id, systemId: w.id, input: { env: context.env, ...w.input } });
      return state;
    }),
  },
});

/** An action that applies a kernel step of the probe. */
const apply = (f: (context: NamespaceContext, event: NamespaceEvent, self: AnyActorRef) => Step<ProbeState>) =>
  namespaceSetup.createAction(enqueueActions(({ context, event, self, enqueue }) => applyStep(enqueue, f(context, event, self))));

export const namespaceMachine = namespaceSetup
  .extend({
    actions: {
      startProbe: apply((c) => probeStart(c, atOf(c))),
      advance: apply((c) => advance(c)),
      acquire: apply((c, _e, self) => lockRequest(c, self)),
      granted: apply((c, e) => (assertEvent(e, 'LOCK_GRANTED'), lockGranted(c, e.mode))),
      release: apply((c) => unlock(c, atOf(c))),
      releaseAll: apply((c) => unlockAll(c, atOf(c))),
      planActivation: apply((c) => activationPlan(c)),
      activateNext: apply((c, _e, self) => activateNext(c, self)),
      activated: apply((c, e) => (assertEvent(e, 'ACTIVATED'), sectionActivated(c, e.pages))),
      fail: apply((c, e) => (assertEvent(e, 'ACTIVATE_FAILED'), activationFailed(c, e, atOf(c)))),
      deactivateNext: apply((c, _e, self) => deactivateNext(c, self)),
      deactivated: apply((c) => sectionDeactivated(c)),
      resize: apply((c, _e, self) => ({
        state: {},
        trace: [],
        send: [{ to: c.zone, event: { type: 'RESIZE', by: c.namespace.name, startPfn: c.namespace.startPfn, endPfn: c.namespace.endPfn, replyTo: self } }],
      })),
      initStarted: apply((c) => initStarted(c, atOf(c))),
      workerDone: apply((c) => workerDone(c, atOf(c))),
      instantStep: apply((c) => instantStep(c, atOf(c))),
      available: apply((c) => available(c, atOf(c))),
    },
  })
  .createMachine({
    id: 'namespace',
    context: ({ input }) => ({ ...input, ...INITIAL }),
    initial: 'idle',
    states: {
      idle: { on: { START: { target: 'dispatch', actions: ['spawnSections', 'startProbe'] } } },
      // The next strategy step picks the state that waits for its answer.
      dispatch: {
        always: [
          { guard: { type: 'next', params: { move: 'lock' } }, target: 'waitingForLock' },
          { guard: { type: 'next', params: { move: 'unlock' } }, target: 'unlocking' },
          { guard: { type: 'next', params: { move: 'activate' } }, target: 'activating', actions: 'planActivation' },
          { guard: { type: 'next', params: { move: 'resize' } }, target: 'resizing' },
          { guard: { type: 'next', params: { move: 'skip' } }, target: 'dispatch', reenter: true, actions: 'advance' },
          { guard: { type: 'next', params: { move: 'init' } }, target: 'initializing' },
          { guard: { type: 'next', params: { move: 'instant' } }, target: 'dispatch', reenter: true, actions: 'instantStep' },
          { target: 'available' },
        ],
      },
      waitingForLock: {
        entry: 'acquire',
        on: { LOCK_GRANTED: { target: 'dispatch', actions: 'granted' } },
      },
      activating: {
        entry: 'activateNext',
        on: {
          // The next run is activated in the same transition: no state change between runs.
          ACTIVATED: [
            { guard: 'moreToActivate', actions: ['activated', 'activateNext'] },
            { target: 'dispatch', actions: 'activated' },
          ],
          ACTIVATE_FAILED: { target: 'unwinding', actions: 'fail' },
        },
      },
      // Deactivate, newest first, every section run that was sent ACTIVATE (the failing one included).
      unwinding: {
        entry: 'deactivateNext',
        on: {
          DEACTIVATED: [{ guard: 'moreToUnwind', actions: ['deactivated', 'deactivateNext'] }, { target: 'failed' }],
        },
      },
      // RELEASE reaches the lock after this macrostep; a zero-delay step lets the lock
      // process it (and trace lock.released) before the probe's next step is traced.
      unlocking: {
        entry: 'release',
        after: { 0: { target: 'dispatch', actions: 'advance' } },
      },
      resizing: {
        entry: 'resize',
        on: { RESIZED: { target: 'dispatch', actions: 'advance' } },
      },
      initializing: {
        entry: ['spawnWorkers', 'initStarted'],
        on: {
          // Only workers end (section actors stay), so any child's end is one of this step's workers.
          'xstate.done.actor.*': [{ guard: 'lastWorker', target: 'dispatch', actions: 'workerDone' }, { actions: 'workerDone' }],
        },
      },
      available: { entry: 'available' },
      // mem_hotplug_done, then memremap_pages returns the error: nothing of the namespace is left.
      failed: { entry: 'releaseAll' },
    },
  });
