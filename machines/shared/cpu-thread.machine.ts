import { setup, assertEvent, enqueueActions, type AnyActorRef } from 'xstate';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { applyStep, type At, type Step } from './step.js';
import type { SimEnv } from './sim-env.js';
import {
  bounced,
  chunkTaken,
  cpuGranted,
  cpuRequest,
  finish,
  flowId,
  flowStart,
  grab,
  grabs,
  hasSteps,
  speedChanged,
  startThread,
  stepDone,
  threadOutput,
  type CpuGrant,
  type CpuThread,
  type CpuThreadOutput,
  type CpuThreadSpec,
  type CpuThreadState,
} from './cpu-thread.js';

export type { CpuThreadOutput, CpuThreadSpec } from './cpu-thread.js';

/**
 * One CPU thread initializing struct pages: a namespace's probing thread or
 * async worker (probe), or a thread of a padata job, the caller or a helper
 * from system_unbound_wq (boot). It waits for its start latency, takes a CPU
 * from its node, then walks its steps (`running`), each a flow of
 * struct-page stores on a memory channel capped by this CPU's rate (per-page
 * cost, SMT speed); at each step's end it reports the pages (cpu-thread.ts)
 * and starts the next step's flow in the same transition. A boot thread
 * grabs its steps chunk by chunk from its job (`grabbing`) and pays
 * cache-line bounces charged to it before its next step (`bouncing`). When
 * no work is left it gives the CPU back and ends in `done`, whose output
 * (its id, pages and chunks) its parent reads from xstate.done.actor.<id>.
 */
export interface CpuThreadInput extends CpuThreadSpec {
  env: SimEnv;
}

export interface CpuThreadContext extends CpuThread {
  readonly env: SimEnv;
}

export type CpuThreadEvent =
  | ({ type: 'CPU_GRANTED' } & CpuGrant)
  | { type: 'SPEED'; speed: number }
  | { type: 'CHUNK'; startPfn: number; endPfn: number }
  | { type: 'NO_MORE' }
  | { type: 'FLOW_DONE'; id: string }
  | { type: 'BOUNCE'; stallNs: number };

const atOf = ({ env }: CpuThreadContext): At => ({ now: env.clock.now(), scenario: env.scenario, cost: env.cost });

const threadSetup = setup({
  types: { context: {} as CpuThreadContext, events: {} as CpuThreadEvent, input: {} as CpuThreadInput, output: {} as CpuThreadOutput },
  delays: {
    startDelay: ({ context }) => context.startDelayNs,
    stall: ({ context }) => context.stallNs,
  },
  guards: {
    hasSteps: ({ context }) => hasSteps(context),
    stalled: ({ context }) => context.stallNs > 0,
    grabs: ({ context }) => grabs(context),
    /** The channel finished this step's flow (not an earlier one's)... */
    ownFlow: ({ context, event }) => {
      assertEvent(event, 'FLOW_DONE');
      return event.id === flowId(context);
    },
    /** ...with a bounce to pay before the next step. */
    ownFlowThenStall: ({ context, event }) => {
      assertEvent(event, 'FLOW_DONE');
      return event.id === flowId(context) && context.stallNs > 0;
    },
    /** ...and another step of this batch after it. */
    ownFlowMoreSteps: ({ context, event }) => {
      assertEvent(event, 'FLOW_DONE');
      return event.id === flowId(context) && context.index + 1 < context.steps.length;
    },
  },
  actions: {
    /** The one action that traces: it runs when the actions execute, never in a pure transition. */
    emitTrace: ({ context }, params: { trace: readonly TraceEvent[] }) => {
      for (const e of params.trace) context.env.emit(e);
    },
  },
});

type Self = Parameters<typeof cpuRequest>[1];

/** An action that applies a kernel step of the thread. */
const apply = (f: (context: CpuThreadContext, event: CpuThreadEvent, self: Self) => Step<CpuThreadState>) =>
  threadSetup.createAction(enqueueActions(({ context, event, self, enqueue }) => applyStep(enqueue, f(context, event, self as AnyActorRef))));

export const cpuThreadMachine = threadSetup
  .extend({
    actions: {
      requestCpu: apply((c, _e, self) => cpuRequest(c, self)),
      noteCpu: apply((c, e) => (assertEvent(e, 'CPU_GRANTED'), cpuGranted(c, e, atOf(c)))),
      setSpeed: apply((_c, e) => (assertEvent(e, 'SPEED'), { state: { speed: e.speed }, trace: [], send: [] })),
      changeSpeed: apply((c, e) => (assertEvent(e, 'SPEED'), speedChanged(c, e.speed, atOf(c)))),
      grab: apply((c, _e, self) => grab(c, self)),
      takeChunk: apply((c, e) => (assertEvent(e, 'CHUNK'), chunkTaken(c, e, atOf(c)))),
      chargeBounce: apply((c, e) => (assertEvent(e, 'BOUNCE'), bounced(c, e.stallNs))),
      payStall: apply(() => ({ state: { stallNs: 0 }, trace: [], send: [] })),
      startFlow: apply((c, _e, self) => flowStart(c, self, atOf(c))),
      finishStep: apply((c, _e, self) => stepDone(c, self, atOf(c))),
      finish: apply((c) => finish(c, atOf(c))),
    },
  })
  .createMachine({
    id: 'cpuThread',
    context: ({ input }) => ({ env: input.env, ...startThread(input) }),
    on: { BOUNCE: { actions: 'chargeBounce' } },
    initial: 'starting',
    states: {
      /** A queued helper waits for a kworker; the others start at once. */
      starting: { after: { startDelay: 'waitingCpu' } },
      waitingCpu: {
        entry: 'requestCpu',
        on: {
          CPU_GRANTED: [
            { guard: 'hasSteps', target: 'running', actions: 'noteCpu' },
            { guard: 'grabs', target: 'grabbing', actions: 'noteCpu' },
            { target: 'done', actions: 'noteCpu' },
          ],
        },
      },
      /** A boot thread asking its job for the next chunk (under ps.lock). */
      grabbing: {
        entry: 'grab',
        on: {
          // A bounce charged by the last chunk's last step is paid before this chunk's first; a chunk may hold no free page.
          CHUNK: [
            { guard: 'stalled', target: 'bouncing', actions: 'takeChunk' },
            { target: 'nextBatch', actions: 'takeChunk' },
          ],
          NO_MORE: 'done',
          SPEED: { actions: 'setSpeed' },
        },
      },
      // One flow per step; the next step's flow starts in the same transition as the last one's end.
      running: {
        entry: 'startFlow',
        on: {
          SPEED: { actions: 'changeSpeed' },
          FLOW_DONE: [
            { guard: 'ownFlowThenStall', target: 'bouncing', actions: 'finishStep' },
            { guard: 'ownFlowMoreSteps', actions: ['finishStep', 'startFlow'] },
            { guard: 'ownFlow', target: 'nextBatch', actions: 'finishStep' },
          ],
        },
      },
      /** Usemap cache lines pulled back from another core (H13), paid before the next step. */
      bouncing: {
        on: { SPEED: { actions: 'changeSpeed' } },
        after: { stall: { target: 'nextBatch', actions: 'payStall' } },
      },
      /** The batch's steps are done, or a stall was paid: the next step, the next chunk, or the end. */
      nextBatch: {
        always: [{ guard: 'hasSteps', target: 'running' }, { guard: 'grabs', target: 'grabbing' }, { target: 'done' }],
      },
      done: { type: 'final', entry: 'finish' },
    },
    output: ({ context }) => threadOutput(context),
  });
