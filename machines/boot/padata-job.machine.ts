import { setup, assign, enqueueActions, assertEvent, type AnyActorRef } from 'xstate';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { SimEnv } from '../shared/sim-env.js';
import { grantFromQueue, jobEnd, jobStart, planJob, type JobPlan, type JobQueue } from './padata-job.js';
import { cpuThreadMachine } from '../shared/cpu-thread.machine.js';
import type { SectionRunRef } from './padata-helper.js';
import { NO_OUTPUT, emitStepTrace, sendOptions, type StepOutput } from '../shared/step.js';

/**
 * padata_do_multithreaded for one job (kernel/padata.c): nworks threads, the
 * caller counting as one and running at once, helpers queued on
 * system_unbound_wq paying a start latency; each thread grabs the next chunk
 * (grantFromQueue, padata-job.ts) until none remain; the job is done, with
 * its chunk count as output, when the last thread is. With `fixed` the job
 * is one chunk run inline (nworks = 1), as deferred_grow_zone and
 * single-threaded strategies do.
 */
export interface JobInput {
  env: SimEnv;
  node: number;
  jobId: string;
  range: PfnRange;
  free: readonly PfnRange[];
  align: number;
  minChunk: number;
  maxThreads: number;
  freeOrder: BootStrategy['freeOrder'];
  sections: readonly SectionRunRef[];
  buddy: AnyActorRef;
  cpus: AnyActorRef;
  channel: AnyActorRef;
}

export interface JobContext extends JobInput, JobPlan, JobQueue, StepOutput {
  /** Threads that reached their final state. */
  readonly finished: number;
}

export interface JobOutput {
  readonly chunks: number;
}

export type JobEvent = { type: 'GRAB'; id: string; ref: AnyActorRef } | { type: `xstate.done.actor.${string}`; output: unknown };

const threadId = (jobId: string, k: number) => `${jobId}/w${k}`;

const traceParams = (c: JobContext) => ({ node: c.node, job: c.jobId, range: c.range, nowNs: c.env.clock.now() });

export const padataJobMachine = setup({
  types: { context: {} as JobContext, events: {} as JobEvent, input: {} as JobInput, output: {} as JobOutput },
  actors: { helper: cpuThreadMachine },
  guards: {
    lastHelper: ({ context }) => context.finished + 1 >= context.nworks,
  },
  actions: {
    noteStart: assign(({ context }) => ({ trace: [jobStart(context, traceParams(context))] })),
    // All threads in one batch: spawning one at a time would copy the children map each time.
    spawnHelpers: assign(({ context, spawn, self }) => {
      const { env } = context;
      for (let k = 0; k < context.nworks; k++) {
        const id = threadId(context.jobId, k);
        const { node, free, sections, buddy, freeOrder } = context;
        const work = { kind: 'boot' as const, node, job: self, free, sections, buddy, freeOrder };
        // The caller works at once; queued helpers wait for a kworker.
        const startDelayNs = k === 0 ? 0 : env.cost(env.scenario.costs.workerStartNs);
        spawn('helper', { id, systemId: id, input: { env, id, cpus: context.cpus, channel: context.channel, startDelayNs, work } });
      }
      return {};
    }),
    grant: assign(({ context, event }) => {
      assertEvent(event, 'GRAB');
      const step = grantFromQueue(context, context.chunk, event, { node: context.node, job: context.jobId, nowNs: context.env.clock.now() });
      return { ...step.state, trace: step.trace, outbox: step.send };
    }),
    emitTrace: emitStepTrace,
    sendOutbox: enqueueActions(({ context, enqueue }) => {
      for (const m of context.outbox) enqueue.sendTo(m.to, m.event, sendOptions(context.env, m));
    }),
    countHelper: assign({ finished: ({ context }) => context.finished + 1 }),
    /**
     * Every thread is in its final state: stop them, newest first, before the
     * job's own end would stop them oldest first. XState copies the children
     * map on every stop; deleting the newest key keeps that map a fast object
     * (the oldest first turns it into a dictionary), so 128 helpers cost a
     * fifth as much.
     */
    releaseThreads: enqueueActions(({ context, enqueue }) => {
      for (let k = context.nworks - 1; k >= 0; k--) enqueue.stopChild(threadId(context.jobId, k));
    }),
    noteEnd: assign(({ context }) => ({ trace: [jobEnd(context, traceParams(context))] })),
  },
}).createMachine({
  id: 'padataJob',
  context: ({ input }) => ({ ...input, ...planJob(input.range, input.align, input.minChunk, input.maxThreads), finished: 0, ...NO_OUTPUT }),
  initial: 'running',
  states: {
    /** Threads grabbing chunks. */
    running: {
      entry: ['noteStart', 'emitTrace', 'spawnHelpers'],
      on: {
        GRAB: { actions: ['grant', 'emitTrace', 'sendOutbox'] },
        'xstate.done.actor.*': [{ guard: 'lastHelper', target: 'done', actions: ['countHelper', 'releaseThreads'] }, { actions: 'countHelper' }],
      },
    },
    done: { type: 'final', entry: ['noteEnd', 'emitTrace'] },
  },
  output: ({ context }) => ({ chunks: context.chunksHanded }),
});
