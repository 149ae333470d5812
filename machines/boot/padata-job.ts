import type { AnyActorRef } from 'xstate';
import { padataChunk, padataGrab, padataNworks } from '../../src/model/padata.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { StepResult } from '../shared/step.js';

/**
 * padata_do_multithreaded's chunk hand-out, pure: the job's plan (nworks
 * threads, the chunk size) and each thread's grab under ps.lock, which takes
 * the next chunk (chunk ends on absolute multiples of the chunk) until none
 * remain. A job that runs inline (nworks 1) is one chunk.
 */
export interface JobPlan {
  readonly nworks: number;
  readonly chunk: number;
}

export interface JobQueue {
  readonly cursor: { readonly start: number; readonly size: number };
  readonly chunksHanded: number;
}

/** A chunk size no range reaches: thread_fn(start, start + size) inline. */
export const INLINE_CHUNK = 2 ** 52;

export function planJob(range: PfnRange, align: number, minChunk: number, maxThreads: number): JobPlan & JobQueue {
  const size = range.endPfn - range.startPfn;
  const job = { start: range.startPfn, size, align, minChunk, maxThreads };
  const nworks = padataNworks(job);
  const chunk = nworks <= 1 ? INLINE_CHUNK : padataChunk(job, nworks);
  return { nworks: Math.max(1, nworks), chunk, cursor: { start: job.start, size }, chunksHanded: 0 };
}

/** The chunk size as traced: an inline job's one chunk is its whole range. */
export const tracedChunk = (plan: JobPlan, range: PfnRange): number => (plan.chunk === INLINE_CHUNK ? range.endPfn - range.startPfn : plan.chunk);

export interface GrabRequest {
  readonly id: string;
  readonly ref: AnyActorRef;
}

export interface GrabParams {
  readonly node: number;
  readonly job: string;
  readonly nowNs: number;
}

/** One grab: the next chunk to the thread that asked (traced), or NO_MORE when the job is handed out. */
export function grantFromQueue(queue: JobQueue, chunk: number, request: GrabRequest, params: GrabParams): StepResult<JobQueue> {
  const g = padataGrab(queue.cursor, chunk);
  if (!g) return { state: queue, trace: [], send: [{ to: request.ref, event: { type: 'NO_MORE' } }] };
  return {
    state: { cursor: g.next, chunksHanded: queue.chunksHanded + 1 },
    trace: [{ type: 'padata.chunk', t: params.nowNs, node: params.node, job: params.job, worker: request.id, startPfn: g.from, endPfn: g.to }],
    send: [{ to: request.ref, event: { type: 'CHUNK', startPfn: g.from, endPfn: g.to } }],
  };
}

export interface JobTraceParams {
  readonly node: number;
  readonly job: string;
  readonly range: PfnRange;
  readonly nowNs: number;
}

/** padata.start: the job's range, threads and chunk size. */
export function jobStart(plan: JobPlan, p: JobTraceParams): TraceEvent {
  const { startPfn, endPfn } = p.range;
  return { type: 'padata.start', t: p.nowNs, node: p.node, job: p.job, startPfn, endPfn, nworks: plan.nworks, chunk: tracedChunk(plan, p.range) };
}

/** padata.end: every thread is done; the chunks handed out. */
export const jobEnd = (queue: JobQueue, p: JobTraceParams): TraceEvent => ({
  type: 'padata.end',
  t: p.nowNs,
  node: p.node,
  job: p.job,
  chunks: queue.chunksHanded,
});
