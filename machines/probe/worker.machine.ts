import { setup, enqueueActions, sendParent, type AnyActorRef } from 'xstate';
import type { InitWork, LockMode } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * One thread initializing struct pages: the probing thread itself, an async
 * worker (seed 000) or a helper. It waits for its start latency, takes a CPU
 * from its node, then walks its range one step per section actor: each step
 * is a flow of struct-page stores on the memmap's memory channel, capped by
 * this CPU's rate (per-page cost, SMT speed). At each step's end it tells the
 * section actor which pfns are done.
 */
export interface WorkStep {
  readonly startPfn: number;
  readonly endPfn: number;
  readonly section: AnyActorRef;
  /**
   * Compound pages: the struct pages this step really writes (compound_nr_pages
   * per compound page), its bytes on the channel and its CPU time on a lone
   * thread. Absent for base pages: every pfn is one struct page at perPageNs.
   */
  readonly cost?: { readonly structPages: number; readonly bytes: number; readonly cpuNs: number };
  /** Compound geometry of the step, traced so the checker can verify head/tail order. */
  readonly compound?: { readonly compoundPfns: number; readonly nrPerCompound: number; readonly foreignHeadSetup?: number };
  /** How this step sets pageblock migratetypes (absent: it sets none, e.g. the pgmap pass). */
  readonly pageblocks?: { readonly how: 'range' | 'visited'; readonly compoundPfns: number; readonly nrPerCompound: number };
}

export interface WorkerInput {
  env: SimEnv;
  id: string;
  namespace: string;
  pass: number;
  work: InitWork;
  steps: readonly WorkStep[];
  /** CPU ns per struct page on a lone thread. */
  perPageNs: number;
  /** Bytes per page this pass moves on the channel. */
  bytesPerPage: number;
  refPerPage: boolean;
  startDelayNs: number;
  node: AnyActorRef;
  channel: AnyActorRef;
  lockMode: LockMode | null;
}

export interface WorkerContext extends WorkerInput {
  readonly index: number;
  readonly speed: number;
  readonly stepStartedAt: number;
  readonly pagesDone: number;
}

export type WorkerEvent =
  | { type: 'CPU_GRANTED'; cpu: number; core: number; node: number; speed: number }
  | { type: 'SPEED'; speed: number }
  | { type: 'FLOW_DONE'; id: string }
  | { type: 'STARTED' };

const capOf = (ctx: Pick<WorkerContext, 'bytesPerPage' | 'perPageNs' | 'speed' | 'steps' | 'index'>) => {
  const cost = ctx.steps[ctx.index]?.cost;
  // A compound step mixes struct pages, tails and pageblocks: its own bytes per CPU ns.
  if (cost && cost.bytes > 0 && cost.cpuNs > 0) return (cost.bytes / cost.cpuNs) * ctx.speed;
  return (ctx.bytesPerPage / ctx.perPageNs) * ctx.speed;
};

export const workerMachine = setup({
  types: { context: {} as WorkerContext, events: {} as WorkerEvent, input: {} as WorkerInput },
  actions: {
    requestCpu: enqueueActions(({ context, enqueue, self }) => {
      enqueue.sendTo(context.node, { type: 'CPU_REQUEST', id: context.id, ref: self });
    }),
    startFlow: enqueueActions(({ context, enqueue, self }) => {
      const step = context.steps[context.index];
      const pages = step.endPfn - step.startPfn;
      enqueue.assign({ stepStartedAt: context.env.clock.now() });
      enqueue.sendTo(context.channel, {
        type: 'FLOW_START',
        id: `${context.id}#${context.index}`,
        owner: self,
        bytes: context.env.cost(step.cost ? step.cost.bytes : pages * context.bytesPerPage),
        cap: capOf(context),
      });
    }),
    noteCpu: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'CPU_GRANTED') return;
      context.env.emit({
        type: 'worker.start',
        t: context.env.clock.now(),
        worker: context.id,
        namespace: context.namespace,
        cpu: event.cpu,
        core: event.core,
        node: event.node,
      });
      enqueue.assign({ speed: event.speed });
    }),
    changeSpeed: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'SPEED') return;
      const next = { ...context, speed: event.speed };
      enqueue.assign({ speed: event.speed });
      enqueue.sendTo(context.channel, { type: 'FLOW_CAP', id: `${context.id}#${context.index}`, cap: capOf(next) });
    }),
    setSpeed: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'SPEED') enqueue.assign({ speed: event.speed });
    }),
    finishStep: enqueueActions(({ context, enqueue }) => {
      const step = context.steps[context.index];
      const now = context.env.clock.now();
      const pages = step.endPfn - step.startPfn;
      context.env.emit({
        type: 'pages.init',
        t: now,
        namespace: context.namespace,
        worker: context.id,
        pass: context.pass,
        work: context.work,
        startPfn: step.startPfn,
        endPfn: step.endPfn,
        startedAt: context.stepStartedAt,
        ...(step.cost ? { structPages: step.cost.structPages } : {}),
      });
      if (step.compound) {
        context.env.emit({
          type: 'compound.init',
          t: now,
          namespace: context.namespace,
          worker: context.id,
          pass: context.pass,
          startPfn: step.startPfn,
          endPfn: step.endPfn,
          startedAt: context.stepStartedAt,
          compoundPfns: step.compound.compoundPfns,
          nrPerCompound: step.compound.nrPerCompound,
          structPages: step.cost?.structPages ?? pages,
          ...(step.compound.foreignHeadSetup === undefined ? {} : { foreignHeadSetup: step.compound.foreignHeadSetup }),
        });
      }
      if (step.pageblocks) {
        context.env.emit({
          type: 'pageblock.migratetype',
          t: now,
          namespace: context.namespace,
          worker: context.id,
          startPfn: step.startPfn,
          endPfn: step.endPfn,
          pageblockPfns: context.env.scenario.derived.pageblockNrPages,
          ...step.pageblocks,
        });
      }
      if (context.refPerPage) context.env.emit({ type: 'pgmap.ref', t: now, namespace: context.namespace, count: pages, how: 'per-page' });
      enqueue.sendTo(step.section, { type: 'PAGES_DONE', startPfn: step.startPfn, endPfn: step.endPfn, pass: context.pass, work: context.work });
      enqueue.assign({ index: context.index + 1, pagesDone: context.pagesDone + pages });
    }),
    finish: enqueueActions(({ context, enqueue }) => {
      context.env.emit({ type: 'worker.end', t: context.env.clock.now(), worker: context.id, namespace: context.namespace, pages: context.pagesDone });
      enqueue.sendTo(context.node, { type: 'CPU_RELEASE', id: context.id });
    }),
  },
  delays: {
    startDelay: ({ context }) => context.startDelayNs,
  },
  guards: {
    moreSteps: ({ context }) => context.index < context.steps.length,
  },
}).createMachine({
  id: 'worker',
  context: ({ input }) => ({ ...input, index: 0, speed: 1, stepStartedAt: 0, pagesDone: 0 }),
  initial: 'starting',
  states: {
    starting: {
      after: { startDelay: 'waitingCpu' },
    },
    waitingCpu: {
      entry: 'requestCpu',
      on: { CPU_GRANTED: { target: 'running', actions: 'noteCpu' } },
    },
    running: {
      initial: 'step',
      on: { SPEED: { actions: 'changeSpeed' } },
      states: {
        step: {
          entry: 'startFlow',
          on: {
            FLOW_DONE: [{ guard: ({ context, event }) => event.id === `${context.id}#${context.index}`, target: 'next', actions: 'finishStep' }],
          },
        },
        next: {
          always: [{ guard: 'moreSteps', target: 'step' }, { target: '#worker.done' }],
        },
      },
    },
    done: {
      entry: ['finish', sendParent(({ context }) => ({ type: 'WORKER_DONE', id: context.id }))],
      on: { SPEED: { actions: 'setSpeed' } },
    },
  },
});
