import { setup, assign, enqueueActions, assertEvent, type AnyActorRef } from 'xstate';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { SimEnv } from '../shared/sim-env.js';
import { capOf, endStep, stepsOf, type InitStep, type SectionRunRef } from './padata-helper.js';
import { NO_OUTPUT, emitStepTrace, sendOptions, type StepOutput } from '../shared/step.js';

export type { SectionRunRef } from './padata-helper.js';

/**
 * One thread of a padata job running deferred_init_memmap_chunk: the caller
 * (the pgdatinit thread) or a helper from system_unbound_wq. It takes a CPU
 * from its node, then grabs chunks under the job lock until none remain. A
 * chunk's free pages are walked one section actor at a time; each step is a
 * flow of struct-page stores on the node's DRAM channel, and at its end the
 * pages go to the buddy allocator and their pageblock bits to the section
 * (padata-helper.ts). It ends in `done` with its pages and chunks as output.
 */
export interface HelperInput {
  env: SimEnv;
  id: string;
  node: number;
  job: AnyActorRef;
  free: readonly PfnRange[];
  sections: readonly SectionRunRef[];
  buddy: AnyActorRef;
  cpus: AnyActorRef;
  channel: AnyActorRef;
  freeOrder: BootStrategy['freeOrder'];
  startDelayNs: number;
}

export interface HelperContext extends HelperInput, StepOutput {
  readonly speed: number;
  /** Cache-line bounces charged to this thread, paid before its next step. */
  readonly stallNs: number;
  readonly steps: readonly InitStep[];
  readonly index: number;
  readonly stepStartedAt: number;
  readonly pages: number;
  readonly chunks: number;
}

export interface HelperOutput {
  readonly pages: number;
  readonly chunks: number;
}

export type HelperEvent =
  | { type: 'CPU_GRANTED'; cpu: number; core: number; node: number; speed: number }
  | { type: 'SPEED'; speed: number }
  | { type: 'CHUNK'; startPfn: number; endPfn: number }
  | { type: 'NO_MORE' }
  | { type: 'FLOW_DONE'; id: string }
  | { type: 'BOUNCE'; stallNs: number };

const flowId = (ctx: Pick<HelperContext, 'id' | 'chunks' | 'index'>) => `${ctx.id}#${ctx.chunks}.${ctx.index}`;

export const padataHelperMachine = setup({
  types: { context: {} as HelperContext, events: {} as HelperEvent, input: {} as HelperInput, output: {} as HelperOutput },
  delays: {
    startDelay: ({ context }) => context.startDelayNs,
    stall: ({ context }) => context.stallNs,
  },
  guards: {
    hasSteps: ({ context }) => context.index < context.steps.length,
    stalled: ({ context }) => context.stallNs > 0,
    isMyFlow: ({ context, event }) => event.type === 'FLOW_DONE' && event.id === flowId(context),
  },
  actions: {
    requestCpu: enqueueActions(({ context, enqueue, self }) => enqueue.sendTo(context.cpus, { type: 'CPU_REQUEST', id: context.id, ref: self })),
    grab: enqueueActions(({ context, enqueue, self }) => enqueue.sendTo(context.job, { type: 'GRAB', id: context.id, ref: self })),
    setSpeed: assign(({ event }) => {
      assertEvent(event, ['CPU_GRANTED', 'SPEED']);
      return { speed: event.speed };
    }),
    takeChunk: assign(({ context, event }) => {
      assertEvent(event, 'CHUNK');
      const { env } = context;
      const geometry = {
        free: context.free,
        sections: context.sections,
        freeOrder: context.freeOrder,
        structPageBytes: env.scenario.constants.structPageBytes,
        maxOrderNrPages: env.scenario.derived.maxOrderNrPages,
        l2Bytes: env.scenario.costs.l2Bytes,
      };
      return { steps: stepsOf(geometry, event), index: 0, chunks: context.chunks + 1 };
    }),
    startFlow: enqueueActions(({ context, enqueue, self }) => {
      const step = context.steps[context.index];
      const { env } = context;
      enqueue.assign({ stepStartedAt: env.clock.now() });
      const bytes = env.cost(step.pages * step.bytesPerPage);
      enqueue.sendTo(context.channel, {
        type: 'FLOW_START',
        id: flowId(context),
        owner: self,
        bytes,
        cap: capOf(step, context.speed, env.scenario.costs.pageInitNs),
      });
    }),
    changeSpeed: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'SPEED');
      enqueue.assign({ speed: event.speed });
      const step = context.steps[context.index];
      if (step)
        enqueue.sendTo(context.channel, { type: 'FLOW_CAP', id: flowId(context), cap: capOf(step, event.speed, context.env.scenario.costs.pageInitNs) });
    }),
    finishStep: assign(({ context, self }) => {
      const step = context.steps[context.index];
      const end = { worker: context.id, node: context.node, writer: self, buddy: context.buddy, freeOrder: context.freeOrder };
      const { trace, send } = endStep(step, { ...end, startedAtNs: context.stepStartedAt, nowNs: context.env.clock.now() });
      return { trace, outbox: send, index: context.index + 1, pages: context.pages + step.pages };
    }),
    emitTrace: emitStepTrace,
    sendOutbox: enqueueActions(({ context, enqueue }) => {
      for (const m of context.outbox) enqueue.sendTo(m.to, m.event, sendOptions(context.env, m));
    }),
    chargeBounce: assign(({ context, event }) => {
      assertEvent(event, 'BOUNCE');
      return { stallNs: context.stallNs + event.stallNs };
    }),
    releaseCpu: enqueueActions(({ context, enqueue }) => enqueue.sendTo(context.cpus, { type: 'CPU_RELEASE', id: context.id })),
  },
}).createMachine({
  id: 'padataHelper',
  on: { BOUNCE: { actions: 'chargeBounce' } },
  context: ({ input }) => ({ ...input, speed: 1, stallNs: 0, steps: [], index: 0, stepStartedAt: 0, pages: 0, chunks: 0, ...NO_OUTPUT }),
  initial: 'starting',
  states: {
    /** A queued helper waits for a kworker; the caller starts at once. */
    starting: { after: { startDelay: 'waitingCpu' } },
    waitingCpu: {
      entry: 'requestCpu',
      on: { CPU_GRANTED: { target: 'grabbing', actions: 'setSpeed' } },
    },
    /** Asking the job for the next chunk (under ps.lock). */
    grabbing: {
      entry: 'grab',
      on: {
        CHUNK: { target: 'working', actions: 'takeChunk' },
        NO_MORE: 'done',
        SPEED: { actions: 'setSpeed' },
      },
    },
    working: {
      initial: 'next',
      on: { SPEED: { actions: 'changeSpeed' } },
      states: {
        next: {
          always: [{ guard: 'stalled', target: 'bouncing' }, { guard: 'hasSteps', target: 'step' }, { target: '#padataHelper.grabbing' }],
        },
        /** Usemap cache lines pulled back from another core (H13). */
        bouncing: { after: { stall: { target: 'next', actions: assign({ stallNs: 0 }) } } },
        step: {
          entry: 'startFlow',
          on: { FLOW_DONE: { guard: 'isMyFlow', target: 'next', actions: ['finishStep', 'emitTrace', 'sendOutbox'] } },
        },
      },
    },
    done: { type: 'final', entry: 'releaseCpu' },
  },
  output: ({ context }) => ({ pages: context.pages, chunks: context.chunks }),
});
