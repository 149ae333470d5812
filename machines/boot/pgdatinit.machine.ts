import { setup, assign, stopChild, type AnyActorRef } from 'xstate';
import type { DeferredJob, NodeBootLayout } from '../../src/model/boot-layout.js';
import { padataGranules, type BootStrategy } from '../../src/model/boot-strategies.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';
import type { SectionRunRef } from './padata-helper.js';
import { padataJobMachine, type JobInput } from './padata-job.machine.js';
import { claimDeferred, deferredEnd, growZone, zoneGrown, type DeferredEnd, type SectionRun } from './pgdatinit.js';
import { emitStepTrace } from '../shared/step.js';

export { MAX_BOOT_SECTION_ACTORS } from './pgdatinit.js';

/**
 * deferred_init_memmap for one node (the pgdatinit kthread): claim
 * first_deferred_pfn under pgdat_resize_lock, then one padata job per free
 * range of the deferred zone, one after another, and print
 * "node N deferred pages initialised in Xms" (pgdatinit.ts). An early
 * allocation that finds the zone short may first grow it
 * (deferred_grow_zone, IRQs off). It ends in `done` with the node's pages
 * and time as output. The deferred zone's section runs and buddy allocator
 * are spawned beside it, with the node's other actors (buildTopology): its
 * own children are only the job of the moment, so spawning and stopping one
 * job per free range (10,000 on a fragmented node) copies a map of one.
 */
export interface PgdatinitInput {
  env: SimEnv;
  layout: NodeBootLayout;
  strategy: BootStrategy;
  maxThreads: number;
  growPages: number | null;
  cpus: AnyActorRef;
  channel: AnyActorRef;
  /** Initialized early on the boot CPU (no deferred init): timed, but reported as early. */
  early: boolean;
  /** The deferred zone's section runs (sectionRuns), and their actors, in the same order. */
  runs: readonly SectionRun[];
  sectionRefs: readonly AnyActorRef[];
  /** The deferred zone's buddy allocator; absent when the node has no deferred zone. */
  buddy?: AnyActorRef;
}

export interface PgdatinitContext extends PgdatinitInput {
  readonly sections: readonly SectionRunRef[];
  readonly jobs: readonly DeferredJob[];
  readonly jobIndex: number;
  readonly startedAt: number;
  readonly growStartedAt: number;
  readonly growStop: number;
  readonly trace: readonly TraceEvent[];
}

export type PgdatinitEvent = { type: 'START' } | { type: `xstate.done.actor.${string}`; output: unknown };

type SpawnJob = (src: 'job', options: { id: string; systemId: string; input: JobInput }) => AnyActorRef;

/** The job's input: its range and free pieces, the strategy's padata granules, and the node's actors. */
function jobInput(context: PgdatinitContext, jobId: string, range: PfnRange, free: readonly PfnRange[], maxThreads: number): JobInput {
  const { env, strategy } = context;
  const { align, minChunk } = padataGranules(strategy, env.scenario.derived.pagesPerSection, env.scenario.derived.maxOrderNrPages);
  const refs = { sections: context.sections, buddy: context.buddy!, cpus: context.cpus, channel: context.channel };
  return { env, node: context.layout.node, jobId, range, free, align, minChunk, maxThreads, freeOrder: strategy.freeOrder, ...refs };
}

function spawnJob(spawn: SpawnJob, input: JobInput): void {
  spawn('job', { id: input.jobId, systemId: input.jobId, input });
}

export const pgdatinitMachine = setup({
  types: { context: {} as PgdatinitContext, events: {} as PgdatinitEvent, input: {} as PgdatinitInput, output: {} as DeferredEnd },
  actors: { job: padataJobMachine },
  guards: {
    grows: ({ context }) => context.strategy.deferred && context.growPages !== null && context.layout.firstDeferredPfn !== null,
    moreJobs: ({ context }) => context.jobIndex < context.jobs.length,
  },
  actions: {
    startGrow: assign(({ context, spawn }) => {
      const { env, layout } = context;
      const plan = growZone(layout, context.growPages!, env.scenario.derived.pagesPerSection, context.strategy.growStop, env.clock.now());
      spawnJob(spawn as SpawnJob, jobInput(context, `node${layout.node}/grow`, plan.range, plan.free, 1));
      return { growStartedAt: env.clock.now(), growStop: plan.stopPfn, trace: plan.trace };
    }),
    endGrow: assign(({ context }) => {
      const { env } = context;
      return zoneGrown(context.layout, context.growStop, context.growStartedAt, env.scenario.derived.pagesPerSection, env.clock.now());
    }),
    claim: assign(({ context }) => {
      const nowNs = context.env.clock.now();
      return { startedAt: nowNs, trace: [claimDeferred(context.layout, context.jobs, { maxThreads: context.maxThreads, early: context.early, nowNs })] };
    }),
    startJob: assign(({ context, spawn }) => {
      const job = context.jobs[context.jobIndex];
      const threads = context.strategy.threads === 'one' ? 1 : context.maxThreads;
      spawnJob(spawn as SpawnJob, jobInput(context, `node${context.layout.node}/j${context.jobIndex}`, job, job.free, threads));
      return {};
    }),
    nextJob: assign({ jobIndex: ({ context }) => context.jobIndex + 1 }),
    /**
     * The job just done (its threads stopped with it) leaves this small map:
     * a node of 10,000 free ranges runs 10,000 jobs, and finished jobs kept
     * as children would make every later spawn copy them all.
     */
    releaseJob: stopChild(({ event }) => event.type.slice('xstate.done.actor.'.length)),
    finish: assign(({ context }) => ({ trace: [deferredEnd(context.layout, context.jobs, context.startedAt, context.env.clock.now()).trace] })),
    emitTrace: emitStepTrace,
  },
}).createMachine({
  id: 'pgdatinit',
  context: ({ input }) => ({
    ...input,
    sections: input.runs.map(({ startPfn, endPfn }, i) => ({ ref: input.sectionRefs[i], startPfn, endPfn })),
    // A node without section runs has no deferred zone: nothing to initialize late.
    jobs: input.runs.length === 0 ? [] : input.layout.jobs,
    jobIndex: 0,
    startedAt: 0,
    growStartedAt: 0,
    growStop: 0,
    trace: [],
  }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        START: [{ guard: 'grows', target: 'growingZone' }, { target: 'deferredInit' }],
      },
    },
    /** deferred_grow_zone: an allocation found the zone short; one inline job, IRQs off. */
    growingZone: {
      entry: ['startGrow', 'emitTrace'],
      on: { 'xstate.done.actor.*': { target: 'deferredInit', actions: ['endGrow', 'emitTrace', 'releaseJob'] } },
    },
    /** The pgdatinit thread: one padata job per free range, one after another. */
    deferredInit: {
      entry: ['claim', 'emitTrace'],
      initial: 'nextJob',
      states: {
        nextJob: { always: [{ guard: 'moreJobs', target: 'runningJob' }, { target: '#pgdatinit.done' }] },
        runningJob: {
          entry: 'startJob',
          on: { 'xstate.done.actor.*': { target: 'nextJob', actions: ['nextJob', 'releaseJob'] } },
        },
      },
    },
    done: { type: 'final', entry: ['finish', 'emitTrace'] },
  },
  output: ({ context }) => deferredEnd(context.layout, context.jobs, context.startedAt, context.env.clock.now()).output,
});
