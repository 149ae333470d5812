/**
 * freeRun (src/model/buddy.ts): a run of pages freed in order, without a merge
 * loop per page, must leave the same free lists and report the same
 * uninitialized-buddy reads (how many, and the first) as freeOne page by page.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buddyOf, freeOne, freeRun, type FreeBlocks, type UninitRead } from '../../src/model/buddy.js';
import { FC_SEED } from '../property/arbitraries.js';

const MAX_ORDER = 6;
const MO = 2 ** MAX_ORDER;

interface Case {
  readonly base: number;
  readonly initialized: readonly boolean[];
  /** Runs freed one after another: disjoint, each [lo, hi) inside the block. */
  readonly runs: readonly (readonly [number, number])[];
  readonly perPage: boolean;
}

function pageByPage(c: Case) {
  const block: FreeBlocks = { free: new Map() };
  const flags = Uint8Array.from(c.initialized, (i) => (i ? 1 : 0));
  const reads: UninitRead[] = [];
  for (const [lo, hi] of c.runs) {
    for (let p = c.base + lo; p < c.base + hi; p++) {
      if (c.perPage) flags[p - c.base] = 1;
      freeOne(
        block,
        p,
        0,
        MAX_ORDER,
        (pfn) => flags[pfn - c.base] === 1,
        (r) => reads.push(r),
      );
    }
  }
  return { free: [...block.free].sort((a, b) => a[0] - b[0]), count: reads.length, first: reads[0] ?? null };
}

function byRuns(c: Case) {
  const block: FreeBlocks = { free: new Map() };
  const flags = Uint8Array.from(c.initialized, (i) => (i ? 1 : 0));
  let count = 0;
  let first: UninitRead | null = null;
  for (const [lo, hi] of c.runs) {
    freeRun(block, { lo: c.base + lo, hi: c.base + hi, base: c.base, perPage: c.perPage }, MAX_ORDER, flags, (r, n) => {
      count += n;
      first ??= r;
    });
  }
  return { free: [...block.free].sort((a, b) => a[0] - b[0]), count, first };
}

/** Disjoint runs over the block, in a random order; with maxorder/chunk frees the run's own pages are initialized first. */
const caseArb = fc
  .record({
    base: fc.constantFrom(0, 5 * MO, 2 ** 33),
    initialized: fc.array(fc.boolean(), { minLength: MO, maxLength: MO }),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: MO - 1 }), { maxLength: 6 }),
    keep: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
    order: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
    perPage: fc.boolean(),
  })
  .map(({ base, initialized, cuts, keep, order, perPage }): Case => {
    const edges = [0, ...[...cuts].sort((a, b) => a - b), MO];
    const runs = edges
      .slice(1)
      .map((hi, i) => [edges[i], hi] as const)
      .filter((_, i) => keep[i])
      .map((r, i) => ({ r, key: order[i] }))
      .sort((a, b) => a.key - b.key)
      .map(({ r }) => r);
    const init = [...initialized];
    if (!perPage) for (const [lo, hi] of runs) for (let p = lo; p < hi; p++) init[p] = true;
    return { base, initialized: init, runs, perPage };
  });

describe('freeRun: a run of pages freed in order at once', () => {
  it('leaves the free lists and reports the reads freeOne page by page does (property)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(byRuns(c)).toEqual(pageByPage(c));
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it('a whole uninitialized block freed page by page reads every page above the first, and ends at MAX_PAGE_ORDER', () => {
    const c: Case = { base: MO, initialized: Array(MO).fill(false), runs: [[0, MO]], perPage: true };
    expect(byRuns(c)).toEqual({ free: [[MO, MAX_ORDER]], count: MO - 1, first: { pfn: MO, buddyPfn: MO + 1, order: 0 } });
  });
});

describe('buddyOf', () => {
  it('is pfn ^ (1 << order), past 2^31 too', () => {
    expect(buddyOf(6, 1)).toBe(4);
    expect(buddyOf(5, 0)).toBe(4);
    expect(buddyOf(2 ** 33, 3)).toBe(2 ** 33 + 8);
    expect(buddyOf(2 ** 33 + 8, 3)).toBe(2 ** 33);
  });
});
