import { setup, assign, enqueueActions, sendParent, type AnyActorRef } from 'xstate';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import { intersect } from '../../src/model/boot-layout.js';
import { maxorderReach } from '../../src/model/maxorder.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * One thread of a padata job running deferred_init_memmap_chunk: the caller
 * (the pgdatinit thread) or a helper from system_unbound_wq. It takes a CPU
 * from its node, then grabs chunks under the job lock until none remain. A
 * chunk's free pages are walked one section actor at a time; each step is a
 * flow of struct-page stores on the node's DRAM channel, and at its end the
 * pages go to the buddy allocator and their pageblock bits to the section.
 */
export interface SectionRunRef extends PfnRange {
  readonly ref: AnyActorRef;
}

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

/**
 * What a thread does between two looks at the clock: the free pieces of a run
 * of max-order blocks, in order. Every free piece of one max-order block is in
 * the same step, because deferred_init_maxorder initializes all of them before
 * it frees any.
 */
interface Step extends PfnRange {
  readonly ranges: readonly PfnRange[];
  readonly pages: number;
  readonly section: AnyActorRef;
  readonly bytesPerPage: number;
}

export interface HelperContext extends HelperInput {
  readonly speed: number;
  /** Cache-line bounces charged to this thread, paid before its next step. */
  readonly stallNs: number;
  readonly steps: readonly Step[];
  readonly index: number;
  readonly stepStartedAt: number;
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

const capOf = (ctx: Pick<HelperContext, 'env' | 'speed'>, step: Step) => (step.bytesPerPage / ctx.env.scenario.costs.pageInitNs) * ctx.speed;

function stepsOf(ctx: HelperContext, chunk: PfnRange): Step[] {
  const { env } = ctx;
  const bpp = env.scenario.constants.structPageBytes;
  const mo = env.scenario.derived.maxOrderNrPages;
  // Initializing a whole chunk before freeing it re-reads a memmap that no longer fits in L2.
  const bytesPerPage = ctx.freeOrder === 'chunk' && (chunk.endPfn - chunk.startPfn) * bpp > env.scenario.costs.l2Bytes ? 2 * bpp : bpp;
  const reach = ctx.freeOrder === 'maxorder' ? maxorderReach(ctx.free, chunk, mo) : chunk;
  const parts: { range: PfnRange; section: AnyActorRef }[] = [];
  for (const f of ctx.free) {
    const piece = intersect(f, reach);
    if (!piece) continue;
    for (const s of ctx.sections) {
      const part = intersect(piece, s);
      if (!part) continue;
      // A leading partial max-order block is a step of its own, so its free happens (and is
      // checked) at the start of the chunk, where the kernel does it, not at the end.
      const aligned = Math.ceil(part.startPfn / mo) * mo;
      if (aligned > part.startPfn && aligned < part.endPfn) {
        parts.push({ range: { startPfn: part.startPfn, endPfn: aligned }, section: s.ref });
        parts.push({ range: { startPfn: aligned, endPfn: part.endPfn }, section: s.ref });
      } else parts.push({ range: part, section: s.ref });
    }
  }
  const out: Step[] = [];
  for (const { range, section } of parts) {
    const last = out.at(-1);
    // Same max-order block as the end of the previous step: one deferred_init_maxorder call.
    if (last && last.section === section && Math.floor((last.endPfn - 1) / mo) === Math.floor(range.startPfn / mo)) {
      out[out.length - 1] = { ...last, endPfn: range.endPfn, ranges: [...last.ranges, range], pages: last.pages + range.endPfn - range.startPfn };
    } else out.push({ ...range, ranges: [range], pages: range.endPfn - range.startPfn, section, bytesPerPage });
  }
  return out;
}

export const padataHelperMachine = setup({
  types: { context: {} as HelperContext, events: {} as HelperEvent, input: {} as HelperInput },
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
    takeChunk: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'CHUNK') return;
      enqueue.assign({ steps: stepsOf(context, event), index: 0, chunks: context.chunks + 1 });
    }),
    startFlow: enqueueActions(({ context, enqueue, self }) => {
      const step = context.steps[context.index];
      enqueue.assign({ stepStartedAt: context.env.clock.now() });
      enqueue.sendTo(context.channel, {
        type: 'FLOW_START',
        id: flowId(context),
        owner: self,
        bytes: context.env.cost(step.pages * step.bytesPerPage),
        cap: capOf(context, step),
      });
    }),
    setSpeed: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'SPEED') enqueue.assign({ speed: event.speed });
    }),
    changeSpeed: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'SPEED') return;
      enqueue.assign({ speed: event.speed });
      const step = context.steps[context.index];
      if (step) enqueue.sendTo(context.channel, { type: 'FLOW_CAP', id: flowId(context), cap: capOf({ ...context, speed: event.speed }, step) });
    }),
    finishStep: enqueueActions(({ context, enqueue, self }) => {
      const step = context.steps[context.index];
      const { env } = context;
      const now = env.clock.now();
      for (const r of step.ranges) {
        env.emit({
          type: 'pages.init',
          t: now,
          node: context.node,
          worker: context.id,
          pass: 1,
          work: 'full',
          startPfn: r.startPfn,
          endPfn: r.endPfn,
          startedAt: context.stepStartedAt,
        });
      }
      enqueue.sendTo(context.buddy, { type: 'PAGES_FREED', worker: context.id, ranges: step.ranges, freeOrder: context.freeOrder });
      for (const r of step.ranges) {
        enqueue.sendTo(step.section, {
          type: 'PAGEBLOCKS',
          worker: context.id,
          startPfn: r.startPfn,
          endPfn: r.endPfn,
          startNs: context.stepStartedAt,
          endNs: now,
          writer: self,
        });
      }
      enqueue.assign({ index: context.index + 1, pages: context.pages + step.pages });
    }),
    finish: enqueueActions(({ context, enqueue }) => enqueue.sendTo(context.cpus, { type: 'CPU_RELEASE', id: context.id })),
  },
}).createMachine({
  id: 'padataHelper',
  on: { BOUNCE: { actions: assign({ stallNs: ({ context, event }) => context.stallNs + event.stallNs }) } },
  context: ({ input }) => ({ ...input, speed: 1, stallNs: 0, steps: [], index: 0, stepStartedAt: 0, pages: 0, chunks: 0 }),
  initial: 'starting',
  states: {
    starting: { after: { startDelay: 'waitingCpu' } },
    waitingCpu: {
      entry: 'requestCpu',
      on: { CPU_GRANTED: { target: 'grabbing', actions: enqueueActions(({ event, enqueue }) => enqueue.assign({ speed: event.speed })) } },
    },
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
        // Usemap cache lines pulled back from another core (H13).
        bouncing: { after: { stall: { target: 'next', actions: assign({ stallNs: 0 }) } } },
        step: {
          entry: 'startFlow',
          on: { FLOW_DONE: { guard: 'isMyFlow', target: 'next', actions: 'finishStep' } },
        },
      },
    },
    done: {
      entry: ['finish', sendParent(({ context }) => ({ type: 'HELPER_DONE', id: context.id, pages: context.pages, chunks: context.chunks }))],
      on: { SPEED: { actions: 'setSpeed' } },
    },
  },
});
