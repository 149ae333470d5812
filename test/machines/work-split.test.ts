import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAt, splitBySection, splitEqual } from '../../machines/probe/work-split.js';

const FC_SEED = Number(process.env.FC_SEED ?? 42);
const PPS = 32768;

const rangeArb = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 24 }), fc.integer({ min: 1, max: 2 ** 22 }))
  .map(([startPfn, len]) => ({ startPfn, endPfn: startPfn + len }));
const threadsArb = fc.integer({ min: 1, max: 64 });

/** Pieces tile the range: contiguous, in order, non-empty, first starts at start, last ends at end. */
function expectTiles(range: { startPfn: number; endPfn: number }, pieces: { startPfn: number; endPfn: number }[]) {
  expect(pieces.length).toBeGreaterThan(0);
  expect(pieces[0].startPfn).toBe(range.startPfn);
  expect(pieces.at(-1)!.endPfn).toBe(range.endPfn);
  for (const p of pieces) expect(p.endPfn).toBeGreaterThan(p.startPfn);
  for (let k = 1; k < pieces.length; k++) expect(pieces[k].startPfn).toBe(pieces[k - 1].endPfn);
}

describe('splitEqual (seed 000: size / N each, remainder on the last)', () => {
  it('example: 10 pages over 3 threads is 3, 3, 4', () => {
    expect(splitEqual({ startPfn: 100, endPfn: 110 }, 3)).toEqual([
      { startPfn: 100, endPfn: 103 },
      { startPfn: 103, endPfn: 106 },
      { startPfn: 106, endPfn: 110 },
    ]);
  });

  it('an empty range gives no pieces; fewer pages than threads gives one page each', () => {
    expect(splitEqual({ startPfn: 5, endPfn: 5 }, 4)).toEqual([]);
    expect(splitEqual({ startPfn: 0, endPfn: 3 }, 8)).toHaveLength(3);
  });

  it('tiles the range with min(threads, pages) pieces of size/N, the last taking the remainder', () => {
    fc.assert(
      fc.property(rangeArb, threadsArb, (range, threads) => {
        const pieces = splitEqual(range, threads);
        const size = range.endPfn - range.startPfn;
        const n = Math.min(threads, size);
        expect(pieces).toHaveLength(n);
        expectTiles(range, pieces);
        const step = Math.floor(size / n);
        pieces.slice(0, -1).forEach((p) => expect(p.endPfn - p.startPfn).toBe(step));
        expect(pieces.at(-1)!.endPfn - pieces.at(-1)!.startPfn).toBe(step + (size % n));
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});

describe('splitBySection (section-aligned chunks)', () => {
  it('tiles the range, no two pieces share a section, at most min(threads, sections) pieces of balanced section counts', () => {
    fc.assert(
      fc.property(rangeArb, threadsArb, (range, threads) => {
        const pieces = splitBySection(range, threads, PPS);
        const first = Math.floor(range.startPfn / PPS);
        const last = Math.floor((range.endPfn - 1) / PPS);
        expect(pieces).toHaveLength(Math.min(threads, last - first + 1));
        expectTiles(range, pieces);
        // Every inner boundary is on a section boundary.
        for (let k = 1; k < pieces.length; k++) expect(pieces[k].startPfn % PPS).toBe(0);
        // Section counts differ by at most one.
        const counts = pieces.map((p) => Math.floor((p.endPfn - 1) / PPS) - Math.floor(p.startPfn / PPS) + 1);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(last - first + 1);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});

describe('cutAt', () => {
  it('cuts a range at the pieces it crosses and covers exactly its intersection with them', () => {
    fc.assert(
      fc.property(rangeArb, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 24 }), (range, count, base) => {
        // Consecutive section runs of random lengths starting at `base`.
        const runs: { startPfn: number; endPfn: number; id: number }[] = [];
        let at = base;
        for (let i = 0; i < count; i++) {
          const len = ((i * 7919 + base) % 5) * PPS + PPS;
          runs.push({ startPfn: at, endPfn: at + len, id: i });
          at += len;
        }
        const cuts = cutAt(range, runs);
        const lo = Math.max(range.startPfn, base);
        const hi = Math.min(range.endPfn, at);
        if (lo >= hi) {
          expect(cuts).toEqual([]);
          return;
        }
        expectTiles({ startPfn: lo, endPfn: hi }, cuts);
        for (const c of cuts) {
          expect(c.startPfn).toBeGreaterThanOrEqual(c.piece.startPfn);
          expect(c.endPfn).toBeLessThanOrEqual(c.piece.endPfn);
        }
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
