import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalSet } from '../../src/sim/interval-set.js';

const FC_SEED = Number(process.env.FC_SEED ?? 42);

function setOf(ranges: [number, number][]): IntervalSet {
  const s = new IntervalSet();
  for (const [a, b] of ranges) s.add(a, b);
  return s;
}

describe('IntervalSet', () => {
  it('an empty set has nothing and one gap covering the query', () => {
    const s = new IntervalSet();
    expect(s.size()).toBe(0);
    expect(s.intervals).toBe(0);
    expect(s.has(0)).toBe(false);
    expect(s.overlap(0, 10)).toEqual([]);
    expect(s.gaps(3, 10)).toEqual([[3, 10]]);
  });

  it('ignores empty and inverted ranges', () => {
    const s = setOf([
      [5, 5],
      [9, 3],
    ]);
    expect(s.intervals).toBe(0);
    expect(s.size()).toBe(0);
  });

  it('has() is half-open: start in, end out', () => {
    const s = setOf([[10, 20]]);
    expect(s.has(9)).toBe(false);
    expect(s.has(10)).toBe(true);
    expect(s.has(19)).toBe(true);
    expect(s.has(20)).toBe(false);
  });

  it('merges adjacent intervals into one', () => {
    const s = setOf([
      [0, 10],
      [10, 20],
    ]);
    expect(s.intervals).toBe(1);
    expect(s.size()).toBe(20);
  });

  it('merges overlapping and bridging intervals, keeps disjoint ones apart', () => {
    const s = setOf([
      [0, 5],
      [10, 15],
      [20, 25],
      [30, 35],
    ]);
    expect(s.intervals).toBe(4);
    s.add(3, 22); // bridges [0,5), [10,15), [20,25)
    expect(s.intervals).toBe(2);
    expect(s.size()).toBe(25 + 5);
    expect(s.gaps(0, 40)).toEqual([
      [25, 30],
      [35, 40],
    ]);
  });

  it('an add inside an existing interval changes nothing', () => {
    const s = setOf([[0, 100]]);
    s.add(10, 20);
    expect(s.intervals).toBe(1);
    expect(s.size()).toBe(100);
  });

  it('adds out of order (descending) still give sorted, merged intervals', () => {
    const s = new IntervalSet();
    for (let k = 9; k >= 0; k--) s.add(k * 10, k * 10 + 5);
    expect(s.intervals).toBe(10);
    expect(s.overlap(0, 100)).toEqual(Array.from({ length: 10 }, (_, k) => [k * 10, k * 10 + 5]));
    for (let k = 9; k >= 0; k--) s.add(k * 10 + 5, k * 10 + 10);
    expect(s.intervals).toBe(1);
    expect(s.size()).toBe(100);
  });

  it('overlap clips to the query and gaps are its complement', () => {
    const s = setOf([
      [10, 20],
      [30, 40],
    ]);
    expect(s.overlap(15, 35)).toEqual([
      [15, 20],
      [30, 35],
    ]);
    expect(s.gaps(15, 35)).toEqual([[20, 30]]);
    expect(s.overlap(20, 30)).toEqual([]);
    expect(s.gaps(20, 30)).toEqual([[20, 30]]);
    expect(s.gaps(10, 40)).toEqual([[20, 30]]);
    expect(s.gaps(0, 50)).toEqual([
      [0, 10],
      [20, 30],
      [40, 50],
    ]);
  });

  it('an empty query overlaps nothing and has no gaps, even inside an interval', () => {
    const s = setOf([[0, 14]]);
    expect(s.overlap(13, 13)).toEqual([]);
    expect(s.gaps(13, 13)).toEqual([]);
    expect(s.overlap(20, 20)).toEqual([]);
    expect(s.gaps(20, 20)).toEqual([]);
  });

  it('handles pfn-scale numbers (12 TiB of 4 KiB pages) exactly', () => {
    const end = 3 * 2 ** 30;
    const s = setOf([
      [0, end / 2],
      [end / 2, end],
    ]);
    expect(s.size()).toBe(end);
    expect(s.gaps(0, end)).toEqual([]);
  });
});

/** Property: IntervalSet behaves as a plain Set of integers. */
describe('IntervalSet against a naive Set model', () => {
  const range = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }));

  function naiveRuns(model: Set<number>, start: number, end: number, inSet: boolean): [number, number][] {
    const out: [number, number][] = [];
    for (let p = start; p < end; p++) {
      if (model.has(p) !== inSet) continue;
      const last = out.at(-1);
      if (last && last[1] === p) last[1] = p + 1;
      else out.push([p, p + 1]);
    }
    return out;
  }

  it('size, has, overlap, gaps and interval count agree with the model', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), range, (adds, [qa, qb]) => {
        const s = new IntervalSet();
        const model = new Set<number>();
        for (const [a, b] of adds) {
          s.add(a, b);
          for (let p = a; p < b; p++) model.add(p);
        }
        expect(s.size()).toBe(model.size);
        for (let p = 0; p <= 61; p++) expect(s.has(p)).toBe(model.has(p));
        const [start, end] = [Math.min(qa, qb), Math.max(qa, qb)];
        expect(s.overlap(start, end)).toEqual(naiveRuns(model, start, end, true));
        expect(s.gaps(start, end)).toEqual(naiveRuns(model, start, end, false));
        // Maximal runs: the count of intervals equals the count of runs in the model.
        expect(s.intervals).toBe(naiveRuns(model, 0, 62, true).length);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});
