import { setup, assign, enqueueActions, sendParent, type AnyActorRef } from 'xstate';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import { padataChunk, padataGrab, padataNworks } from '../../src/model/padata.js';
import type { PfnRange } from '../../src/model/scenario.js';
import { padataHelperMachine, type SectionRunRef } from './padata-helper.machine.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * padata_do_multithreaded for one job (kernel/padata.c): nworks threads, the
 * caller counting as one and running at once, helpers queued on
 * system_unbound_wq paying a start latency; chunk ends fall on absolute
 * multiples of the chunk; each thread grabs the next chunk under ps.lock
 * until none remain; the job completes when the last thread finishes.
 * With `fixed` the job is one chunk run inline (nworks = 1), as
 * deferred_grow_zone and single-threaded strategies do.
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

const INLINE_CHUNK = 2 ** 52;

export interface JobContext extends JobInput {
  readonly nworks: number;
  readonly chunk: number;
  readonly cursor: { readonly start: number; readonly size: number };
  readonly finished: number;
  readonly chunksHanded: number;
}

export type JobEvent = { type: 'GRAB'; id: string; ref: AnyActorRef } | { type: 'HELPER_DONE'; id: string; pages: number; chunks: number };

export const padataJobMachine = setup({
  types: { context: {} as JobContext, events: {} as JobEvent, input: {} as JobInput },
  actors: { helper: padataHelperMachine },
  guards: {
    lastHelper: ({ context }) => context.finished + 1 >= context.nworks,
  },
  actions: {
    spawnHelpers: assign(({ context, spawn, self }) => {
      const { env } = context;
      for (let k = 0; k < context.nworks; k++) {
        const id = `${context.jobId}/w${k}`;
        spawn('helper', {
          id,
          systemId: id,
          input: {
            env,
            id,
            node: context.node,
            job: self,
            free: context.free,
            sections: context.sections,
            buddy: context.buddy,
            cpus: context.cpus,
            channel: context.channel,
            freeOrder: context.freeOrder,
            // The caller works at once; queued helpers wait for a kworker.
            startDelayNs: k === 0 ? 0 : env.cost(env.scenario.costs.workerStartNs),
          },
        });
      }
      env.emit({
        type: 'padata.start',
        t: env.clock.now(),
        node: context.node,
        job: context.jobId,
        startPfn: context.range.startPfn,
        endPfn: context.range.endPfn,
        nworks: context.nworks,
        chunk: context.chunk === INLINE_CHUNK ? context.range.endPfn - context.range.startPfn : context.chunk,
      });
      return {};
    }),
    hand: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'GRAB') return;
      const g = padataGrab(context.cursor, context.chunk);
      if (!g) {
        enqueue.sendTo(event.ref, { type: 'NO_MORE' });
        return;
      }
      context.env.emit({
        type: 'padata.chunk',
        t: context.env.clock.now(),
        node: context.node,
        job: context.jobId,
        worker: event.id,
        startPfn: g.from,
        endPfn: g.to,
      });
      enqueue.assign({ cursor: g.next, chunksHanded: context.chunksHanded + 1 });
      enqueue.sendTo(event.ref, { type: 'CHUNK', startPfn: g.from, endPfn: g.to });
    }),
    end: ({ context }) => {
      context.env.emit({ type: 'padata.end', t: context.env.clock.now(), node: context.node, job: context.jobId, chunks: context.chunksHanded });
    },
  },
}).createMachine({
  id: 'padataJob',
  context: ({ input }) => {
    const size = input.range.endPfn - input.range.startPfn;
    const job = { start: input.range.startPfn, size, align: input.align, minChunk: input.minChunk, maxThreads: input.maxThreads };
    const nworks = padataNworks(job);
    // nworks == 1: thread_fn(start, start + size) inline, one chunk (a chunk size no range reaches).
    const chunk = nworks <= 1 ? INLINE_CHUNK : padataChunk(job, nworks);
    return { ...input, nworks: Math.max(1, nworks), chunk, cursor: { start: job.start, size }, finished: 0, chunksHanded: 0 };
  },
  initial: 'running',
  states: {
    running: {
      entry: 'spawnHelpers',
      on: {
        GRAB: { actions: 'hand' },
        HELPER_DONE: [
          { guard: 'lastHelper', target: 'done', actions: assign({ finished: ({ context }) => context.finished + 1 }) },
          { actions: assign({ finished: ({ context }) => context.finished + 1 }) },
        ],
      },
    },
    done: {
      entry: ['end', sendParent(({ context }) => ({ type: 'JOB_DONE', job: context.jobId }))],
      on: { GRAB: { actions: 'hand' } },
    },
  },
});
