/**
 * deferred_init_memmap's own steps (machines/boot/pgdatinit.ts): section
 * runs, deferred_grow_zone, the claim and the end.
 */
import { describe, expect, it } from 'vitest';
import { claimDeferred, deferredEnd, growZone, MAX_BOOT_SECTION_ACTORS, sectionRuns, zoneGrown } from '../../../machines/boot/pgdatinit.js';
import { layoutsOf, PPS, smallBoot } from '../../boot/helpers.js';

const [layout] = layoutsOf(smallBoot());
const [big] = layoutsOf(smallBoot({}, '512G'));

describe('sectionRuns', () => {
  it('covers the deferred zone from first_deferred_pfn, one section a run when few', () => {
    const runs = sectionRuns(layout, PPS);
    expect(runs[0]).toMatchObject({ firstSection: layout.firstDeferredPfn! / PPS, startPfn: layout.firstDeferredPfn });
    expect(runs.at(-1)!.endPfn).toBeGreaterThanOrEqual(layout.free.at(-1)!.endPfn);
    expect(runs.every((r) => r.firstSection === r.lastSection)).toBe(true);
    expect(runs[0].actorId).toBe(`node0/DMA32/s${runs[0].firstSection}`);
  });

  it('groups a large zone into at most 64 runs, or as many sections a run as asked', () => {
    expect(sectionRuns(big, PPS).length).toBeLessThanOrEqual(MAX_BOOT_SECTION_ACTORS);
    expect(sectionRuns(big, PPS, 1).length).toBeGreaterThan(MAX_BOOT_SECTION_ACTORS);
  });
});

describe('deferred_grow_zone', () => {
  it('stops on a section boundary after at least the pages asked, and deferred init goes on from there', () => {
    const plan = growZone(big, 1000, PPS, 'section', 5);
    expect(plan.stopPfn % PPS).toBe(0);
    expect(plan.range).toEqual({ startPfn: big.firstDeferredPfn, endPfn: plan.stopPfn });
    expect(plan.trace).toEqual([{ type: 'grow.start', t: 5, node: 0, pages: 1000, firstDeferredPfn: big.firstDeferredPfn }]);
    const grown = zoneGrown(big, plan.stopPfn, 5, PPS, 50);
    expect(grown.jobs[0].startPfn).toBe(plan.stopPfn);
    expect(grown.trace).toEqual([{ type: 'grow.end', t: 50, node: 0, stopPfn: plan.stopPfn, pages: plan.stopPfn - big.firstDeferredPfn!, irqsOffNs: 45 }]);
  });

  it('the exact variant stops at exactly the pages asked', () => {
    expect(growZone(big, 1000, PPS, 'exact', 0).stopPfn).toBe(big.firstDeferredPfn! + 1000);
  });
});

describe('claim and end', () => {
  it('traces what deferred init will do, then the node\u2019s pages and time', () => {
    const pages = layout.deferredPages;
    expect(claimDeferred(layout, layout.jobs, { maxThreads: 8, early: false, nowNs: 3 })).toEqual({
      type: 'deferred.start',
      t: 3,
      node: 0,
      firstDeferredPfn: layout.jobs[0].startPfn,
      pages,
      jobs: layout.jobs.length,
      maxThreads: 8,
      early: false,
    });
    expect(deferredEnd(layout, layout.jobs, 3, 103)).toEqual({
      output: { node: 0, pages, durationNs: 100 },
      trace: { type: 'deferred.end', t: 103, node: 0, pages, durationNs: 100 },
    });
  });
});
