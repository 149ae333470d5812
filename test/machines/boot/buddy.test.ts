/**
 * freeRange (machines/boot/buddy.ts): a step's pages handed to the deferred
 * zone's buddy allocator, pure: the hazards it traces and the state it
 * returns, leaving the state it was given as it was.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_BUDDY, freeRange, type BuddyParams, type FreeRequest } from '../../../machines/boot/buddy.js';

const MO = 1024;
const B = 64 * MO;
/** Deferred free pages: four max-order blocks from B, then a hole, then one more block. */
const deferred = [
  { startPfn: B, endPfn: B + 4 * MO },
  { startPfn: B + 6 * MO, endPfn: B + 7 * MO },
];
const params: BuddyParams = { node: 0, zone: 'node0/Normal', deferred, maxOrderNrPages: MO, maxPageOrder: 10, nowNs: 42 };
const request = (startPfn: number, endPfn: number, freeOrder: FreeRequest['freeOrder'] = 'maxorder', worker = 'w0'): FreeRequest => ({
  worker,
  ranges: [{ startPfn, endPfn }],
  freeOrder,
});
const types = (trace: readonly { type: string }[]) => trace.map((e) => e.type);

describe('freeRange', () => {
  it('frees aligned whole max-order blocks without reading a buddy', () => {
    const step = freeRange(EMPTY_BUDDY, request(B, B + 4 * MO), params);
    expect(step.trace).toEqual([]);
    expect(step.send).toEqual([]);
    expect(step.state.partial.size).toBe(0);
    expect(step.state.freed.overlap(0, 2 * B)).toEqual([{ startPfn: B, endPfn: B + 4 * MO }]);
  });

  it('per page, each free but the last of a block reads the uninitialized page above it (H1)', () => {
    const step = freeRange(EMPTY_BUDDY, request(B, B + 2 * MO, 'per-page'), params);
    expect(step.trace).toEqual([
      { type: 'buddy.uninit-read', t: 42, zone: 'node0/Normal', node: 0, worker: 'w0', pfn: B, buddyPfn: B + 1, order: 0, count: 2 * (MO - 1) },
    ]);
  });

  it('a block freed in part while the rest is uninitialized is traced (H2), and reads its uninitialized buddy (H1)', () => {
    const step = freeRange(EMPTY_BUDDY, request(B, B + 100), params);
    expect(types(step.trace)).toEqual(['buddy.partial-free', 'buddy.uninit-read']);
    expect(step.trace[0]).toMatchObject({ blockPfn: B, blockPages: MO, uninitPages: MO - 100 });
    expect(step.state.partial.has(B)).toBe(true);
  });

  it('completing a block merges it up to MAX_PAGE_ORDER and drops it from the partial blocks', () => {
    const first = freeRange(EMPTY_BUDDY, request(B, B + 100), params);
    const second = freeRange(first.state, request(B + 100, B + MO, 'maxorder', 'w1'), params);
    expect(second.trace).toEqual([]);
    expect(second.state.partial.size).toBe(0);
    // The state given is left as it was.
    expect(first.state.partial.has(B)).toBe(true);
    expect(first.state.freed.overlap(B, B + MO)).toEqual([{ startPfn: B, endPfn: B + 100 }]);
  });

  it('a page freed twice is traced (I2) and left out, so the free lists stay those of the first free', () => {
    const first = freeRange(EMPTY_BUDDY, request(B, B + 2 * MO), params);
    const again = freeRange(first.state, request(B + MO, B + 3 * MO, 'maxorder', 'w1'), params);
    expect(again.trace).toEqual([{ type: 'buddy.double-free', t: 42, zone: 'node0/Normal', node: 0, worker: 'w1', startPfn: B + MO, endPfn: B + 2 * MO }]);
    expect(again.state.freed.overlap(0, 2 * B)).toEqual([{ startPfn: B, endPfn: B + 3 * MO }]);
  });

  it('pages outside the deferred ranges count as initialized early: freeing the rest of such a block reads no uninitialized buddy', () => {
    // The block's first 100 pages were initialized early (not deferred) and are not free: no hazard, but the block stays partial.
    const edge: BuddyParams = { ...params, deferred: [{ startPfn: B + 100, endPfn: B + MO }] };
    const step = freeRange(EMPTY_BUDDY, request(B + 100, B + MO), edge);
    expect(step.trace).toEqual([]);
    expect(step.state.partial.has(B)).toBe(true);
  });
});
