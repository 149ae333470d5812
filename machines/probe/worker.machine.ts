import { setup, assertEvent, enqueueActions } from 'xstate';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';
import { applyStep, type At, type Step } from '../shared/step.js';
import {
  IDLE,
  cpuGranted,
  cpuRequest,
  finish,
  flowId,
  flowStart,
  speedChanged,
  stepDone,
  type CpuGrant,
  type Worker,
  type WorkerOutput,
  type WorkerSpec,
  type WorkerState,
} from './worker.js';

export type { WorkStep, WorkerOutput } from './worker.js';

/**
 * One thread initializing struct pages: the probing thread itself, an async
 * worker (seed 000) or a helper. It waits for its start latency, takes a CPU
 * from its node, then walks its range one step per section actor: each step
 * is a flow of struct-page stores on the memmap's memory channel, capped by
 * this CPU's rate (per-page cost, SMT speed). At each step's end it tells the
 * section actor which pfns are done. When every step is done it gives the CPU
 * back and ends in `done`, whose output (its id and pages) its namespace
 * reads from xstate.done.actor.<id>. The steps are in worker.ts.
 */
export interface WorkerInput extends WorkerSpec {
  env: SimEnv;
}

export interface WorkerContext extends Worker {
  readonly env: SimEnv;
}

export type WorkerEvent = ({ type: 'CPU_GRANTED' } & CpuGrant) | { type: 'SPEED'; speed: number } | { type: 'FLOW_DONE'; id: string };

const atOf = ({ env }: WorkerContext): At => ({ now: env.clock.now(), scenario: env.scenario, cost: env.cost });

const workerSetup = setup({
  types: { context: {} as WorkerContext, events: {} as WorkerEvent, input: {} as WorkerInput, output: {} as WorkerOutput },
  delays: { startDelay: ({ context }) => context.startDelayNs },
  guards: {
    /** The channel finished this step's flow (not an earlier one's). */
    ownFlow: ({ context, event }) => {
      assertEvent(event, 'FLOW_DONE');
      return event.id === flowId(context);
    },
    /** ...and it was the last step's. */
    ownLastFlow: ({ context, event }) => {
      assertEvent(event, 'FLOW_DONE');
      return event.id === flowId(context) && context.index + 1 >= context.steps.length;
    },
  },
  actions: {
    /** The one action that traces: it runs when the actions execute, never in a pure transition. */
    emitTrace: ({ context }, params: { trace: readonly TraceEvent[] }) => {
      for (const e of params.trace) context.env.emit(e);
    },
  },
});

/** An action that applies a kernel step of the thread. */
const apply = (f: (context: WorkerContext, event: WorkerEvent, self: Parameters<typeof cpuRequest>[1]) => Step<WorkerState>) =>
  workerSetup.createAction(enqueueActions(({ context, event, self, enqueue }) => applyStep(enqueue, f(context, event, self))));

export const workerMachine = workerSetup
  .extend({
    actions: {
      requestCpu: apply((c, _e, self) => cpuRequest(c, self)),
      noteCpu: apply((c, e) => (assertEvent(e, 'CPU_GRANTED'), cpuGranted(c, e, atOf(c)))),
      changeSpeed: apply((c, e) => (assertEvent(e, 'SPEED'), speedChanged(c, e.speed))),
      startFlow: apply((c, _e, self) => flowStart(c, self, atOf(c))),
      finishStep: apply((c) => stepDone(c, atOf(c))),
      finish: apply((c) => finish(c, atOf(c))),
    },
  })
  .createMachine({
    id: 'worker',
    context: ({ input }) => ({ ...input, ...IDLE }),
    initial: 'starting',
    states: {
      starting: {
        after: { startDelay: 'waitingCpu' },
      },
      waitingCpu: {
        entry: 'requestCpu',
        on: { CPU_GRANTED: { target: 'running', actions: 'noteCpu' } },
      },
      // One flow per step; the next step's flow starts in the same transition, with no state change between.
      running: {
        entry: 'startFlow',
        on: {
          SPEED: { actions: 'changeSpeed' },
          FLOW_DONE: [
            { guard: 'ownLastFlow', target: 'done', actions: 'finishStep' },
            { guard: 'ownFlow', actions: ['finishStep', 'startFlow'] },
          ],
        },
      },
      done: { type: 'final', entry: 'finish' },
    },
    output: ({ context }) => ({ id: context.id, pages: context.pagesDone }),
  });
