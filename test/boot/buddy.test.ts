/**
 * __free_one_page's merge loop (src/model/buddy.ts): merging up to
 * MAX_PAGE_ORDER, stopping at a buddy that is not free at the same order,
 * and reporting reads of uninitialized buddy struct pages (H1).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeOne, perPageReadsInFullBlock, type FreeBlocks, type UninitRead } from '../../src/model/buddy.js';
import { FC_SEED } from '../property/arbitraries.js';

const MAX_ORDER = 10;
const MO = 1 << MAX_ORDER;
const all = () => true;
const noRead = (r: UninitRead) => {
  throw new Error(`unexpected uninitialized read ${JSON.stringify(r)}`);
};
const blocks = (): FreeBlocks => ({ free: new Map() });
const sorted = (b: FreeBlocks) => [...b.free.entries()].sort((x, y) => x[0] - y[0]);

describe('freeOne: merging with the buddy pfn ^ (1 << order)', () => {
  it('freeing every page of an initialized block, in order, ends in one max-order block', () => {
    const b = blocks();
    const base = 7 * MO;
    for (let p = base; p < base + MO; p++) freeOne(b, p, 0, MAX_ORDER, all, noRead);
    expect(sorted(b)).toEqual([[base, MAX_ORDER]]);
  });

  it('freeing in any order ends in one max-order block (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...Array(64).keys()], { minLength: 64, maxLength: 64 }), (order) => {
        const b = blocks();
        for (const p of order) freeOne(b, 128 + p, 0, 6, all, noRead);
        expect(sorted(b)).toEqual([[128, 6]]);
      }),
      { seed: FC_SEED, numRuns: 100 },
    );
  });

  it('never merges past MAX_PAGE_ORDER: two free max-order neighbours stay two blocks, and no buddy beyond the block is read', () => {
    const b = blocks();
    const seen: number[] = [];
    const spy = (pfn: number) => {
      seen.push(pfn);
      return true;
    };
    freeOne(b, 0, MAX_ORDER, MAX_ORDER, spy, noRead);
    freeOne(b, MO, MAX_ORDER, MAX_ORDER, spy, noRead);
    expect(sorted(b)).toEqual([
      [0, MAX_ORDER],
      [MO, MAX_ORDER],
    ]);
    expect(seen).toEqual([]);
  });

  it('stops at a buddy that is not free, or free at a lower order', () => {
    const b = blocks();
    expect(freeOne(b, 0, 0, MAX_ORDER, all, noRead)).toEqual({ pfn: 0, order: 0 });
    expect(freeOne(b, 2, 0, MAX_ORDER, all, noRead)).toEqual({ pfn: 2, order: 0 });
    // 1 merges with 0 into {0, order 1}; its order-1 buddy 2 is free at order 0 only: stop.
    expect(freeOne(b, 1, 0, MAX_ORDER, all, noRead)).toEqual({ pfn: 0, order: 1 });
    expect(sorted(b)).toEqual([
      [0, 1],
      [2, 0],
    ]);
    // 3 completes {2, order 1}, which merges with {0, order 1} into {0, order 2}.
    expect(freeOne(b, 3, 0, MAX_ORDER, all, noRead)).toEqual({ pfn: 0, order: 2 });
    expect(sorted(b)).toEqual([[0, 2]]);
  });

  it('merging takes the lower pfn as the head', () => {
    const b = blocks();
    freeOne(b, 5, 0, MAX_ORDER, all, noRead);
    expect(freeOne(b, 4, 0, MAX_ORDER, all, noRead)).toEqual({ pfn: 4, order: 1 });
  });

  it('reports a read of an uninitialized buddy (H1) with the freed pfn, the buddy and the order, and stops merging there', () => {
    const b = blocks();
    const reads: UninitRead[] = [];
    const initialized = (pfn: number) => pfn < 6;
    for (let p = 0; p < 6; p++) freeOne(b, p, 0, MAX_ORDER, initialized, (r) => reads.push(r));
    // 0..3 merge to order 2; 4, 5 merge to order 1 and then read buddy 6 (uninitialized).
    expect(reads).toEqual([{ pfn: 4, buddyPfn: 6, order: 1 }]);
    expect(sorted(b)).toEqual([
      [0, 2],
      [4, 1],
    ]);
  });

  it('a buddy read as uninitialized is never merged, even if the map says it is free', () => {
    const b = blocks();
    freeOne(b, 1, 0, MAX_ORDER, all, noRead);
    const reads: UninitRead[] = [];
    expect(
      freeOne(
        b,
        0,
        0,
        MAX_ORDER,
        (p) => p !== 1,
        (r) => reads.push(r),
      ),
    ).toEqual({ pfn: 0, order: 0 });
    expect(reads).toEqual([{ pfn: 0, buddyPfn: 1, order: 0 }]);
  });
});

describe('perPageReadsInFullBlock: init p, free p, page by page through an aligned block', () => {
  /** The brute force: each page initialized right before it is freed, the rest of the block not yet. */
  function bruteForce(maxOrder: number, base: number): { reads: number; blocks: [number, number][] } {
    const n = 1 << maxOrder;
    const b = blocks();
    let initializedUpTo = base;
    let reads = 0;
    for (let p = base; p < base + n; p++) {
      initializedUpTo = p + 1;
      freeOne(
        b,
        p,
        0,
        maxOrder,
        (q) => q < initializedUpTo,
        () => reads++,
      );
    }
    return { reads, blocks: sorted(b) };
  }

  it.each([1, 2, 3, 5, 9, 10])('equals freeOne page by page for MAX_ORDER %i', (maxOrder) => {
    const base = 3 << maxOrder;
    const brute = bruteForce(maxOrder, base);
    expect(perPageReadsInFullBlock(1 << maxOrder)).toBe(brute.reads);
    // ...and the block still ends whole: the last free merges it all.
    expect(brute.blocks).toEqual([[base, maxOrder]]);
  });

  it('is 1023 for x86_64 (every free but the last reads the page above it)', () => {
    expect(perPageReadsInFullBlock(MO)).toBe(MO - 1);
  });
});
