/**
 * padata_do_multithreaded's hand-out (machines/boot/padata-job.ts): the plan
 * and grantFromQueue, each thread's grab under ps.lock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmptyActor } from 'xstate';
import { INLINE_CHUNK, grantFromQueue, jobEnd, jobStart, planJob, type JobQueue } from '../../../machines/boot/padata-job.js';

const ref = createEmptyActor();
const params = { node: 0, job: 'node0/j0', nowNs: 7 };

/** Grabs until NO_MORE; the chunks handed out, in order. */
function handOut(queue: JobQueue, chunk: number): { chunks: [number, number][]; queue: JobQueue } {
  const chunks: [number, number][] = [];
  for (let i = 0; i < 10_000; i++) {
    const step = grantFromQueue(queue, chunk, { id: 'w0', ref }, params);
    const reply = step.send[0].event as { type: string; startPfn: number; endPfn: number };
    if (reply.type === 'NO_MORE') return { chunks, queue };
    chunks.push([reply.startPfn, reply.endPfn]);
    queue = step.state;
  }
  throw new Error('the job never ran out of chunks');
}

describe('planJob', () => {
  it('runs a range smaller than one granule inline, as one chunk', () => {
    const plan = planJob({ startPfn: 0, endPfn: 1000 }, 32768, 32768, 8);
    expect(plan).toMatchObject({ nworks: 1, chunk: INLINE_CHUNK });
    expect(jobStart(plan, { ...params, range: { startPfn: 0, endPfn: 1000 } })).toMatchObject({ type: 'padata.start', nworks: 1, chunk: 1000 });
  });

  it('gives nworks threads and a chunk of about a quarter of each thread share, rounded to the alignment', () => {
    const plan = planJob({ startPfn: 0, endPfn: 64 * 32768 }, 32768, 32768, 8);
    expect(plan).toMatchObject({ nworks: 8, chunk: 2 * 32768 });
  });
});

describe('grantFromQueue', () => {
  it('hands the next chunk to the thread that asked and traces it; NO_MORE once the job is handed out', () => {
    const plan = planJob({ startPfn: 0, endPfn: 4 * 1024 }, 1024, 1024, 4);
    const first = grantFromQueue(plan, plan.chunk, { id: 'w1', ref }, params);
    expect(first.trace).toEqual([{ type: 'padata.chunk', t: 7, node: 0, job: 'node0/j0', worker: 'w1', startPfn: 0, endPfn: 1024 }]);
    expect(first.send).toEqual([{ to: ref, event: { type: 'CHUNK', startPfn: 0, endPfn: 1024 } }]);
    const { queue } = handOut(first.state, plan.chunk);
    const last = grantFromQueue(queue, plan.chunk, { id: 'w2', ref }, params);
    expect(last).toEqual({ state: queue, trace: [], send: [{ to: ref, event: { type: 'NO_MORE' } }] });
    expect(jobEnd(queue, { ...params, range: { startPfn: 0, endPfn: 4096 } })).toEqual({ type: 'padata.end', t: 7, node: 0, job: 'node0/j0', chunks: 4 });
  });

  it('tiles the range, each chunk ending on a multiple of the chunk size or at the end (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1 << 20 }), fc.integer({ min: 1, max: 1 << 20 }), fc.integer({ min: 1, max: 64 }), (start, size, threads) => {
        const range = { startPfn: start, endPfn: start + size };
        const plan = planJob(range, 512, 512, threads);
        const { chunks, queue } = handOut(plan, plan.chunk);
        expect(chunks[0][0]).toBe(start);
        expect(chunks.at(-1)![1]).toBe(start + size);
        chunks.forEach(([s, e], i) => {
          if (i > 0) expect(s).toBe(chunks[i - 1][1]);
          if (e < start + size) expect(e % plan.chunk).toBe(0);
        });
        expect(queue.chunksHanded).toBe(chunks.length);
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });
});
