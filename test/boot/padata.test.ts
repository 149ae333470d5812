/**
 * padata_do_multithreaded's arithmetic (src/model/padata.ts) against
 * kernel/padata.c (kernel-facts.md §2.3, H17).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padataChunk, padataGrab, padataNworks, PADATA_LOAD_BALANCE_FACTOR, type PadataMtJob } from '../../src/model/padata.js';
import { FC_SEED } from '../property/arbitraries.js';
import { GiB, PPS } from './helpers.js';

const job = (size: number, maxThreads: number, extra: Partial<PadataMtJob> = {}): PadataMtJob => ({
  start: 0,
  size,
  align: PPS,
  minChunk: PPS,
  maxThreads,
  ...extra,
});

/** Every grab of a job, as padata_mt_helper's loop takes them under ps.lock. */
function grabsOf(start: number, size: number, chunk: number): [number, number][] {
  const out: [number, number][] = [];
  let cursor = { start, size };
  for (let g = padataGrab(cursor, chunk); g; g = padataGrab(cursor, chunk)) {
    out.push([g.from, g.to]);
    cursor = g.next;
    if (out.length > 1e6) throw new Error('runaway');
  }
  return out;
}

describe('nworks = min(max(size / max(min_chunk, align), 1), max_threads)', () => {
  it('an empty job has no works', () => {
    expect(padataNworks(job(0, 52))).toBe(0);
  });

  it('a job smaller than min_chunk still gets one thread (the caller, inline)', () => {
    expect(padataNworks(job(1, 52))).toBe(1);
    expect(padataNworks(job(PPS - 1, 52))).toBe(1);
  });

  it('one thread per whole min_chunk, floored, capped by max_threads', () => {
    expect(padataNworks(job(PPS, 52))).toBe(1);
    expect(padataNworks(job(2 * PPS - 1, 52))).toBe(1);
    expect(padataNworks(job(2 * PPS, 52))).toBe(2);
    expect(padataNworks(job(7 * PPS + 5, 52))).toBe(7);
    expect(padataNworks(job(3072 * PPS, 52))).toBe(52);
    expect(padataNworks(job(3072 * PPS, 1))).toBe(1);
  });

  it('divides by the larger of min_chunk and align', () => {
    expect(padataNworks(job(100, 52, { minChunk: 10, align: 1 }))).toBe(10);
    expect(padataNworks(job(100, 52, { minChunk: 1, align: 25 }))).toBe(4);
  });

  it('the caller counts as one: a pool with k free works gives at most k + 1 threads', () => {
    // padata_work_alloc_mt starts at i = 1 "because the current task participates in the job".
    expect(padataNworks(job(3072 * PPS, 52), 3)).toBe(4);
    expect(padataNworks(job(3072 * PPS, 52), 0)).toBe(1);
    expect(padataNworks(job(3072 * PPS, 52), 51)).toBe(52);
    expect(padataNworks(job(3072 * PPS, 52), 1000)).toBe(52);
  });
});

describe('chunk = roundup(max(size / (nworks * 4), min_chunk, 1), align)', () => {
  it('the load balance factor is 4', () => {
    expect(PADATA_LOAD_BALANCE_FACTOR).toBe(4);
  });

  it('large jobs: size / (4 nworks), rounded up to align', () => {
    // 1000 sections over 10 threads: 25 sections each, already aligned.
    expect(padataChunk(job(1000 * PPS, 10), 10)).toBe(25 * PPS);
    // One page more than that: the floor is unchanged.
    expect(padataChunk(job(1000 * PPS + 1, 10), 10)).toBe(25 * PPS);
    // 1001 sections: 1001 * 32768 / 40 = 820019.2 -> 820019 -> 26 sections.
    expect(padataChunk(job(1001 * PPS, 10), 10)).toBe(26 * PPS);
  });

  it('small jobs: at least min_chunk', () => {
    expect(padataChunk(job(8 * PPS, 8), 8)).toBe(PPS);
    expect(padataChunk(job(100, 52, { minChunk: 30, align: 1 }), 3)).toBe(30);
  });

  it('uses the nworks it is given (what the pool returned), not max_threads', () => {
    const j = job(3072 * PPS, 52);
    expect(padataChunk(j, 4)).toBe(192 * PPS);
    expect(padataChunk(j, 52)).toBe(Math.ceil(Math.floor((3072 * PPS) / 208) / PPS) * PPS);
  });

  it('H17: min_chunk 0 and align 1 still gives a chunk of at least 1 (no roundup(x, 0) division by zero)', () => {
    const j = job(3, 52, { minChunk: 0, align: 1 });
    const nworks = padataNworks(j);
    expect(nworks).toBe(3);
    const chunk = padataChunk(j, nworks);
    expect(chunk).toBe(1);
    // ...and the helper loop then terminates with one-page grabs.
    expect(grabsOf(j.start, j.size, chunk)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });
});

describe('grabs: chunk ends land on absolute multiples of the chunk', () => {
  it('an aligned start gives whole chunks and a short last one', () => {
    expect(grabsOf(0, 25, 10)).toEqual([
      [0, 10],
      [10, 20],
      [20, 25],
    ]);
  });

  it('an unaligned start makes the first grab short', () => {
    expect(grabsOf(7, 25, 10)).toEqual([
      [7, 10],
      [10, 20],
      [20, 30],
      [30, 32],
    ]);
  });

  it('a start one past a multiple still ends the first grab at the next multiple', () => {
    expect(padataGrab({ start: 3 * PPS + 1, size: 10 * PPS }, PPS)).toEqual({
      from: 3 * PPS + 1,
      to: 4 * PPS,
      next: { start: 4 * PPS, size: 10 * PPS - (PPS - 1) },
    });
  });

  it('nothing left: no grab', () => {
    expect(padataGrab({ start: 5, size: 0 }, 10)).toBeNull();
  });
});

describe('the worked examples of kernel-facts.md §2.3', () => {
  it('384 GiB node, 52 CPUs: nworks 52, chunk 491,520 pfns = 15 sections, about 205 chunks (4 per thread)', () => {
    const size = (384 * GiB) / 4096;
    expect(size).toBe(100_663_296);
    const j = job(size, 52);
    const nworks = padataNworks(j);
    expect(nworks).toBe(52);
    const chunk = padataChunk(j, nworks);
    expect(Math.floor(size / (nworks * 4))).toBe(483_958);
    expect(chunk).toBe(491_520);
    expect(chunk / PPS).toBe(15);
    const grabs = grabsOf(0, size, chunk);
    expect(grabs).toHaveLength(205);
    expect(grabs.length / nworks).toBeCloseTo(4, 0);
    // Unaligned start (the deferred zone begins a section or two into the node): one more, short, grab at most.
    const shifted = grabsOf(2 * PPS, size, chunk);
    expect(shifted.length).toBeGreaterThanOrEqual(205);
    expect(shifted.length).toBeLessThanOrEqual(206);
    expect(shifted[0][1] - shifted[0][0]).toBe(chunk - 2 * PPS);
  });

  it('1 GiB (8 sections): 8 threads of one section each', () => {
    const size = GiB / 4096;
    const j = job(size, 52);
    const nworks = padataNworks(j);
    expect(nworks).toBe(8);
    const chunk = padataChunk(j, nworks);
    expect(chunk).toBe(PPS);
    const grabs = grabsOf(0, size, chunk);
    expect(grabs).toHaveLength(8);
    for (const [i, [a, b]] of grabs.entries()) expect([a, b]).toEqual([i * PPS, (i + 1) * PPS]);
  });
});

describe('property: the grabs of any job partition it (fast-check, seed FC_SEED or 42)', () => {
  it('grabs cover [start, start + size) exactly, in order, each at most one chunk, ending on chunk multiples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 4096 }), (start, size, chunk) => {
        const grabs = grabsOf(start, size, chunk);
        let at = start;
        const bad: string[] = [];
        for (const [i, [a, b]] of grabs.entries()) {
          if (a !== at) bad.push(`grab ${i} starts at ${a}, not ${at}`);
          if (!(b > a)) bad.push(`grab ${i} is empty`);
          if (b - a > chunk) bad.push(`grab ${i} is longer than the chunk`);
          // Every grab but the job's last ends on an absolute multiple of the chunk.
          if (i < grabs.length - 1 && b % chunk !== 0) bad.push(`grab ${i} ends at ${b}, not a multiple of ${chunk}`);
          at = b;
        }
        expect(bad).toEqual([]);
        expect(at).toBe(start + size);
        // At most one extra grab for the unaligned head.
        expect(grabs.length).toBeLessThanOrEqual(Math.ceil(size / chunk) + 1);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it('the chunk padata picks is a positive multiple of align, at least min_chunk, and gives every thread a chunk', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 36 }),
        fc.integer({ min: 0, max: 64 }).map((k) => (k === 0 ? 1 : 2 ** (k % 20))),
        fc.integer({ min: 0, max: 2 ** 16 }),
        fc.integer({ min: 1, max: 256 }),
        (size, align, minChunk, maxThreads) => {
          const j: PadataMtJob = { start: 0, size, align, minChunk, maxThreads };
          const nworks = padataNworks(j);
          expect(nworks).toBeGreaterThanOrEqual(1);
          expect(nworks).toBeLessThanOrEqual(maxThreads);
          const chunk = padataChunk(j, nworks);
          expect(chunk).toBeGreaterThanOrEqual(Math.max(minChunk, 1));
          expect(chunk % align).toBe(0);
          expect(chunk).toBeGreaterThan(0);
          // Load balancing: when size is large enough, there are at least as many chunks as threads.
          if (size >= nworks * PADATA_LOAD_BALANCE_FACTOR * Math.max(minChunk, align)) {
            expect(Math.ceil(size / chunk)).toBeGreaterThanOrEqual(nworks);
          }
        },
      ),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
