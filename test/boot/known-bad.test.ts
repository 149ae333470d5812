/**
 * Each known-bad boot strategy produces its violation on a scenario of at most
 * 1 GiB, reported with pfns, the workers, the time and the history (H1, H2).
 * The 1 GiB node: deferred zone DMA32 from pfn 65536, 6 sections, the memmap
 * reserved at the top [258048, 262144): 192512 deferred pages.
 */
import { describe, expect, it } from 'vitest';
import type { IssueReport } from '../../src/observe/issues.js';
import type { TraceEvent, TraceOf } from '../../src/model/trace-events.js';
import { MO, ofType, PPS, smallBoot, traced } from './helpers.js';

const DEFERRED_PAGES = 192512;

function only(violations: readonly IssueReport[], kind: string): IssueReport {
  const hits = violations.filter((v) => v.kind === kind);
  expect(hits, `${kind} in ${JSON.stringify(violations.map((v) => v.kind))}`).toHaveLength(1);
  return hits[0];
}

const historyOf = <K extends TraceEvent['type']>(v: IssueReport, type: K) => (v.history ?? []).filter((e): e is TraceOf<K> => e.type === type);
const covers = (r: { startPfn: number; endPfn: number }, pfn: number) => r.startPfn <= pfn && pfn < r.endPfn;
const blockOf = (pfn: number) => Math.floor(pfn / MO);

describe('bug-unaligned-chunks: align = min_chunk = 1 page, so chunk ends split max-order blocks between threads (H1)', () => {
  // 7 threads: chunk = size / 28 = 196608 / 28 = 7021 pages, not a multiple of 1024.
  const { result, trace } = traced(smallBoot(), { strategy: 'bug-unaligned-chunks', threads: 7 });

  it('the chunk really is unaligned', () => {
    const [start] = ofType(trace, 'padata.start');
    expect(start.nworks).toBe(7);
    expect(start.chunk).toBe(7021);
    expect(start.chunk % MO).not.toBe(0);
    // ...and chunk ends fall inside max-order blocks.
    const ends = ofType(trace, 'padata.chunk').map((c) => c.endPfn);
    expect(ends.some((e) => e % MO !== 0)).toBe(true);
  });

  it("I1: a worker frees a page whose buddy lies in the neighbouring worker's chunk, not yet initialized", () => {
    const v = only(result.violations, 'buddy-read-uninitialized');
    expect(v.invariant).toBe('I1');
    expect(v.severity).toBe('violation');
    expect(v.count).toBeGreaterThan(1);
    const [read] = historyOf(v, 'buddy.uninit-read');
    expect(read).toBeDefined();
    // The pfns are the buddy's; both workers are named: the one freeing and the one owning the buddy.
    expect(v.pfns).toEqual([read.buddyPfn, read.buddyPfn + 1]);
    expect(v.actors).toHaveLength(2);
    const [freeing, owner] = v.actors!;
    expect(freeing).not.toBe(owner);
    expect(read.worker).toBe(freeing);
    // The history holds both workers' chunks: the freed page in one, its buddy in the other, one max-order block across the boundary.
    const chunks = historyOf(v, 'padata.chunk');
    const mine = chunks.find((c) => c.worker === freeing)!;
    const theirs = chunks.find((c) => c.worker === owner)!;
    expect(covers(mine, read.pfn)).toBe(true);
    expect(covers(theirs, read.buddyPfn)).toBe(true);
    expect(blockOf(read.pfn)).toBe(blockOf(read.buddyPfn));
    expect(read.buddyPfn).toBe(read.pfn ^ (1 << read.order));
    // The time: when the freeing worker's step ended, before the owner initialized the buddy.
    expect(v.atNs).toBe(read.t);
    expect(v.atNs).toBeGreaterThan(0);
    const ownerInit = ofType(trace, 'pages.init').find((p) => p.worker === owner && covers(p, read.buddyPfn))!;
    expect(ownerInit).toBeDefined();
    expect(ownerInit.t).toBeGreaterThanOrEqual(v.atNs);
    const [end] = ofType(trace, 'deferred.end');
    expect(v.atNs).toBeLessThanOrEqual(end.t);
  });

  // deferred_init_maxorder is not clamped to the chunk end: the thread whose chunk ends at e inside a
  // max-order block initializes and frees up to the block end, over the pages the next thread has done.
  const chunks = ofType(trace, 'padata.chunk');
  const FREE_END = 258048;
  const shared = chunks.filter((c) => c.endPfn % MO !== 0 && c.endPfn < FREE_END).map((c) => c.endPfn);

  it('I3: the pages from each unaligned chunk end to its max-order block end are initialized twice, by both threads', () => {
    const v = only(result.violations, 'double-init');
    expect(v.invariant).toBe('I3');
    expect(v.count).toBe(shared.length);
    const [s, t] = v.pfns!;
    expect(shared).toContain(s);
    expect(t).toBe(Math.ceil(s / MO) * MO);
    const before = chunks.find((c) => c.endPfn === s)!;
    const after = chunks.find((c) => c.startPfn === s)!;
    // First the thread whose chunk starts there, then the one whose chunk ends there, running on to the block end.
    expect(v.actors).toEqual([after.worker, before.worker]);
    const [first, again] = historyOf(v, 'pages.init');
    expect(first.worker).toBe(after.worker);
    expect(again.worker).toBe(before.worker);
    expect(again.endPfn).toBe(t);
    expect(again.t).toBeGreaterThan(first.t);
    expect(v.atNs).toBe(again.t);
  });

  it('I2: the same pages are freed twice: the second free finds them already in the buddy allocator', () => {
    const init = only(result.violations, 'double-init');
    const v = only(result.violations, 'double-free');
    expect(v.invariant).toBe('I2');
    expect(v.count).toBe(shared.length);
    expect(v.pfns).toEqual(init.pfns);
    expect(v.actors).toEqual(init.actors);
    expect(v.message).toContain(`freed first by ${init.actors![0]}`);
    const [e] = historyOf(v, 'buddy.double-free');
    expect([e.startPfn, e.endPfn]).toEqual(v.pfns);
    expect(e.worker).toBe(init.actors![1]);
    // Every deferred page is still initialized; the double work is on top.
    expect(result.nodes[0].pages).toBe(DEFERRED_PAGES);
    expect(result.violations.filter((x) => x.kind === 'deferred-missed-pages')).toEqual([]);
  });

  it('the same node with align = min_chunk = a section (padata) has no violation', () => {
    const { result: ok } = traced(smallBoot(), { strategy: 'padata', threads: 7 });
    expect(ok.violations).toEqual([]);
    expect(ok.nodes[0].pages).toBe(result.nodes[0].pages);
  });
});

describe('bug-free-before-init: each page freed right after it is initialized (H1)', () => {
  const { result, trace } = traced(smallBoot(), { strategy: 'bug-free-before-init' });

  it('I1 on the first page: the free reads the page above it, which its own worker has not initialized yet', () => {
    const v = only(result.violations, 'buddy-read-uninitialized');
    expect(v.invariant).toBe('I1');
    const [read] = historyOf(v, 'buddy.uninit-read');
    expect(read.order).toBe(0);
    expect(read.buddyPfn).toBe(read.pfn + 1);
    expect(v.pfns).toEqual([read.buddyPfn, read.buddyPfn + 1]);
    // One worker is involved: it owns both the page and the buddy, and is named once.
    expect(v.actors).toEqual([read.worker]);
    const chunk = historyOf(v, 'padata.chunk').find((c) => c.worker === read.worker)!;
    expect(covers(chunk, read.pfn) && covers(chunk, read.buddyPfn)).toBe(true);
    expect(v.atNs).toBe(read.t);
    expect(v.atNs).toBeGreaterThan(0);
    expect(historyOf(v, 'pages.init').some((p) => p.worker === read.worker)).toBe(true);
  });

  it('counts every read: all but the last free of each max-order block (1023 of 1024)', () => {
    expect(result.nodes[0].pages).toBe(DEFERRED_PAGES);
    const v = only(result.violations, 'buddy-read-uninitialized');
    expect(v.count).toBe(DEFERRED_PAGES - DEFERRED_PAGES / MO);
  });

  it('it does the same work as padata otherwise (same chunks, same pages)', () => {
    const { trace: good } = traced(smallBoot(), { strategy: 'padata' });
    const chunks = (t: TraceEvent[]) => ofType(t, 'padata.chunk').map((c) => [c.startPfn, c.endPfn]);
    expect(chunks(trace)).toEqual(chunks(good));
  });
});

describe('bug-grow-mid-block: deferred_grow_zone stops at exactly the pages asked for (H2)', () => {
  const scenario = smallBoot({ boot: { growZone: { node: 0, pages: 1000 } } });
  const { result, trace } = traced(scenario, { strategy: 'bug-grow-mid-block' });
  const FIRST = 2 * PPS;

  it('the grow stops inside a max-order block', () => {
    const grow = result.nodes[0].grow!;
    expect(grow.stopPfn).toBe(FIRST + 1000);
    expect(grow.stopPfn % MO).not.toBe(0);
    expect(grow.pages).toBe(1000);
  });

  it('I2: the grow worker leaves the rest of the block uninitialized while pages of it are free', () => {
    const v = only(result.violations, 'partial-block-free');
    expect(v.invariant).toBe('I2');
    const block = Math.floor((FIRST + 1000) / MO) * MO;
    expect(v.pfns).toEqual([block, block + MO]);
    expect(v.actors).toEqual(['node0/grow/w0']);
    expect(v.message).toContain(`${block + MO - (FIRST + 1000)} uninitialized pages`);
    const [growEnd] = ofType(trace, 'grow.end');
    expect(v.atNs).toBeGreaterThan(0);
    expect(v.atNs).toBeLessThanOrEqual(growEnd.t);
    expect(historyOf(v, 'buddy.partial-free')).toHaveLength(1);
  });

  it('I1: a free by the grow reads a buddy past the stop, which the pgdatinit worker initializes only later', () => {
    const v = only(result.violations, 'buddy-read-uninitialized');
    const [read] = historyOf(v, 'buddy.uninit-read');
    expect(read.worker).toBe('node0/grow/w0');
    expect(read.buddyPfn).toBeGreaterThanOrEqual(FIRST + 1000);
    expect(blockOf(read.buddyPfn)).toBe(blockOf(FIRST + 1000));
    expect(v.pfns).toEqual([read.buddyPfn, read.buddyPfn + 1]);
    expect(v.actors![0]).toBe('node0/grow/w0');
    expect(historyOf(v, 'padata.chunk').map((c) => [c.worker, c.startPfn, c.endPfn])).toContainEqual(['node0/grow/w0', FIRST, FIRST + 1000]);
    // The second worker: the pgdatinit job initializes the buddy after the read.
    const later = ofType(trace, 'pages.init').find((p) => covers(p, read.buddyPfn) && p.worker !== read.worker)!;
    expect(later.worker).toMatch(/^node0\/j0\/w\d+$/);
    expect(later.t).toBeGreaterThan(v.atNs);
  });

  it('the correct grow on the same scenario (padata) stops on a section boundary with no violation', () => {
    const { result: ok } = traced(scenario, { strategy: 'padata' });
    expect(ok.violations).toEqual([]);
    expect(ok.nodes[0].grow!.stopPfn).toBe(FIRST + PPS);
  });
});
