import { setup, assign, enqueueActions, stopChild, type AnyActorRef } from 'xstate';
import { growStopPfn, jobsFrom, type DeferredJob, type NodeBootLayout } from '../../src/model/boot-layout.js';
import { padataGranules, type BootStrategy } from '../../src/model/boot-strategies.js';
import type { PfnRange } from '../../src/model/scenario.js';
import { bootSectionMachine } from './boot-section.machine.js';
import { buddyMachine } from './buddy.machine.js';
import { padataJobMachine, type JobInput } from './padata-job.machine.js';
import type { SectionRunRef } from './padata-helper.machine.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * deferred_init_memmap for one node (the pgdatinit kthread): claim
 * first_deferred_pfn under pgdat_resize_lock, then one padata job per free
 * range of the deferred zone, one after another, and print
 * "node N deferred pages initialised in Xms". An early allocation that finds
 * the zone short may first grow it (deferred_grow_zone, IRQs off).
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
  sectionsPerActor?: number;
}

export interface PgdatinitContext extends PgdatinitInput {
  readonly sections: readonly SectionRunRef[];
  readonly buddy: AnyActorRef | null;
  readonly jobs: readonly DeferredJob[];
  readonly jobIndex: number;
  readonly startedAt: number;
  readonly growStartedAt: number;
  readonly growStop: number;
}

export type PgdatinitEvent = { type: 'START' } | { type: 'JOB_DONE'; job: string };

/** Boot section actors per deferred zone, at most. */
export const MAX_BOOT_SECTION_ACTORS = 64;

export const pgdatinitMachine = setup({
  types: { context: {} as PgdatinitContext, events: {} as PgdatinitEvent, input: {} as PgdatinitInput },
  actors: { job: padataJobMachine, section: bootSectionMachine, buddy: buddyMachine },
  guards: {
    grows: ({ context }) => context.strategy.deferred && context.growPages !== null && context.layout.firstDeferredPfn !== null,
    moreJobs: ({ context }) => context.jobIndex < context.jobs.length,
  },
  actions: {
    spawnZone: assign(({ context, spawn }) => {
      const { env, layout } = context;
      const first = layout.firstDeferredPfn;
      if (first === null || layout.free.length === 0) return { jobs: [] };
      const pps = env.scenario.derived.pagesPerSection;
      const zone = `node${layout.node}/${layout.deferredZone}`;
      const lo = Math.floor(first / pps);
      const hi = Math.floor((layout.free.at(-1)!.endPfn - 1) / pps);
      const per = context.sectionsPerActor ?? Math.max(1, Math.ceil((hi - lo + 1) / MAX_BOOT_SECTION_ACTORS));
      const sections: SectionRunRef[] = [];
      for (let s = lo; s <= hi; s += per) {
        const last = Math.min(hi, s + per - 1);
        const actorId = s === last ? `${zone}/s${s}` : `${zone}/s${s}-${last}`;
        const ref = spawn('section', { id: actorId, systemId: actorId, input: { env, node: layout.node, actorId, firstSection: s, lastSection: last } });
        sections.push({ ref, startPfn: s * pps, endPfn: (last + 1) * pps });
      }
      const buddyId = `${zone}/buddy`;
      const buddy = spawn('buddy', { id: buddyId, systemId: buddyId, input: { env, node: layout.node, zone, deferred: layout.free } });
      return { sections, buddy, jobs: layout.jobs };
    }),
    startGrow: assign(({ context, spawn }) => {
      const { env, layout } = context;
      const first = layout.firstDeferredPfn!;
      const pps = env.scenario.derived.pagesPerSection;
      const stop = growStopPfn(layout.free, first, context.growPages!, pps, context.strategy.growStop);
      const range: PfnRange = { startPfn: first, endPfn: stop };
      const free = layout.free.map((f) => ({ startPfn: Math.max(f.startPfn, first), endPfn: Math.min(f.endPfn, stop) })).filter((f) => f.startPfn < f.endPfn);
      env.emit({ type: 'grow.start', t: env.clock.now(), node: layout.node, pages: context.growPages!, firstDeferredPfn: first });
      spawnJob(spawn as SpawnJob, context, `node${layout.node}/grow`, range, free, 1);
      return { growStartedAt: env.clock.now(), growStop: stop };
    }),
    endGrow: assign(({ context }) => {
      const { env, layout } = context;
      const now = env.clock.now();
      const free = layout.free.reduce((a, f) => a + Math.max(0, Math.min(f.endPfn, context.growStop) - Math.max(f.startPfn, layout.firstDeferredPfn!)), 0);
      env.emit({ type: 'grow.end', t: now, node: layout.node, stopPfn: context.growStop, pages: free, irqsOffNs: now - context.growStartedAt });
      return { jobs: jobsFrom(layout.free, context.growStop, env.scenario.derived.pagesPerSection) };
    }),
    claim: assign(({ context }) => {
      const { env, layout, jobs } = context;
      const pages = jobs.reduce((a, j) => a + j.free.reduce((b, f) => b + f.endPfn - f.startPfn, 0), 0);
      env.emit({
        type: 'deferred.start',
        t: env.clock.now(),
        node: layout.node,
        firstDeferredPfn: jobs[0]?.startPfn ?? layout.firstDeferredPfn ?? 0,
        pages,
        jobs: jobs.length,
        maxThreads: context.maxThreads,
        early: context.early,
      });
      return { startedAt: env.clock.now() };
    }),
    startJob: assign(({ context, spawn }) => {
      const job = context.jobs[context.jobIndex];
      spawnJob(
        spawn as SpawnJob,
        context,
        `node${context.layout.node}/j${context.jobIndex}`,
        job,
        job.free,
        context.strategy.threads === 'one' ? 1 : context.maxThreads,
      );
      return {};
    }),
    // A finished job (and its helpers) is released: a node with 10,000 free ranges runs 10,000 jobs.
    stopJob: stopChild(({ event }) => (event.type === 'JOB_DONE' ? event.job : '')),
    finish: enqueueActions(({ context, enqueue }) => {
      const { env, layout } = context;
      const now = env.clock.now();
      const pages = context.jobs.reduce((a, j) => a + j.free.reduce((b, f) => b + f.endPfn - f.startPfn, 0), 0);
      env.emit({ type: 'deferred.end', t: now, node: layout.node, pages, durationNs: now - context.startedAt });
      enqueue.sendParent({ type: 'NODE_DONE', node: layout.node });
    }),
  },
}).createMachine({
  id: 'pgdatinit',
  context: ({ input }) => ({ ...input, sections: [], buddy: null, jobs: [], jobIndex: 0, startedAt: 0, growStartedAt: 0, growStop: 0 }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        START: [
          { guard: 'grows', target: 'growing', actions: 'spawnZone' },
          { target: 'claiming', actions: 'spawnZone' },
        ],
      },
    },
    growing: {
      entry: 'startGrow',
      on: { JOB_DONE: { target: 'claiming', actions: ['endGrow', 'stopJob'] } },
    },
    claiming: {
      entry: 'claim',
      always: [{ guard: 'moreJobs', target: 'running' }, { target: 'done' }],
    },
    running: {
      entry: 'startJob',
      on: {
        JOB_DONE: { target: 'next', actions: [assign({ jobIndex: ({ context }) => context.jobIndex + 1 }), 'stopJob'] },
      },
    },
    next: { always: [{ guard: 'moreJobs', target: 'running' }, { target: 'done' }] },
    done: { entry: 'finish' },
  },
});

type SpawnJob = (src: 'job', options: { id: string; systemId: string; input: JobInput }) => AnyActorRef;

function spawnJob(spawn: SpawnJob, context: PgdatinitContext, jobId: string, range: PfnRange, free: readonly PfnRange[], maxThreads: number): void {
  const { env } = context;
  const { align, minChunk } = padataGranules(context.strategy, env.scenario.derived.pagesPerSection, env.scenario.derived.maxOrderNrPages);
  spawn('job', {
    id: jobId,
    systemId: jobId,
    input: {
      env,
      node: context.layout.node,
      jobId,
      range,
      free,
      align,
      minChunk,
      maxThreads,
      freeOrder: context.strategy.freeOrder,
      sections: context.sections,
      buddy: context.buddy!,
      cpus: context.cpus,
      channel: context.channel,
    },
  });
}
