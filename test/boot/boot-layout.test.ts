/**
 * Where each node's struct pages get initialized at boot (src/model/boot-layout.ts
 * against mm/mm_init.c: defer_init, deferred_init_memmap's job loop,
 * deferred_grow_zone; kernel-facts.md §1, §2.2, H2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growStopPfn, jobsFrom, memmapReservation, nodeBootLayout, type NodeMemory } from '../../src/model/boot-layout.js';
import type { PfnRange } from '../../src/model/scenario.js';
import { FC_SEED } from '../property/arbitraries.js';
import { D, GiB, layoutsOf, MiB, pagesIn, pfn, PPS, union } from './helpers.js';

const r = (start: number, end: number): PfnRange => ({ startPfn: start, endPfn: end });
const bytes = (start: number, size: number) => r(pfn(start), pfn(start + size));
const node = (dram: PfnRange[], reserved: PfnRange[] = [], movablePages = 0): NodeMemory => ({ id: 0, dram, reserved, movablePages });
const layout = (n: NodeMemory, deferred = true) => nodeBootLayout(n, D, D.pageSize, deferred);

/** Free pages of `free` in [from, to). */
const freeIn = (free: readonly PfnRange[], from: number, to: number) =>
  free.reduce((a, f) => a + Math.max(0, Math.min(f.endPfn, to) - Math.max(f.startPfn, from)), 0);

describe('zones from physical addresses (x86_64: DMA < 16 MiB <= DMA32 < 4 GiB <= Normal)', () => {
  it('a node at address 0 with memory above 4 GiB has DMA, DMA32 and Normal', () => {
    const l = layout(node([bytes(0, 2 * GiB), bytes(4 * GiB, 4 * GiB)]));
    expect(l.zones.map((z) => [z.name, z.startPfn, z.endPfn, z.present])).toEqual([
      ['DMA', 0, pfn(16 * MiB), pfn(16 * MiB)],
      ['DMA32', pfn(16 * MiB), pfn(2 * GiB), pfn(2 * GiB - 16 * MiB)],
      ['Normal', pfn(4 * GiB), pfn(8 * GiB), pfn(4 * GiB)],
    ]);
  });

  it('a DMA32 range crossing 4 GiB is split between DMA32 and Normal', () => {
    const l = layout(node([bytes(1 * GiB, 6 * GiB)]));
    expect(l.zones.map((z) => [z.name, z.startPfn, z.endPfn])).toEqual([
      ['DMA32', pfn(1 * GiB), pfn(4 * GiB)],
      ['Normal', pfn(4 * GiB), pfn(7 * GiB)],
    ]);
  });

  it('a node entirely above 4 GiB has Normal only', () => {
    const l = layout(node([bytes(386 * GiB, 384 * GiB)]));
    expect(l.zones.map((z) => z.name)).toEqual(['Normal']);
  });

  it('a zone spanning a hole counts present pages only', () => {
    const l = layout(node([bytes(4 * GiB, GiB), bytes(6 * GiB, GiB)]));
    expect(l.zones).toEqual([{ name: 'Normal', startPfn: pfn(4 * GiB), endPfn: pfn(7 * GiB), present: pfn(2 * GiB) }]);
  });
});

describe('only the highest zone is deferred, from first_deferred_pfn (defer_init)', () => {
  it('the lower zones are initialized early in full; the highest one is the deferred zone', () => {
    for (const [dram, zone] of [
      [[bytes(0, GiB)], 'DMA32'],
      [[bytes(0, 2 * GiB), bytes(4 * GiB, 4 * GiB)], 'Normal'],
      [[bytes(8 * GiB, 8 * GiB)], 'Normal'],
    ] as const) {
      const l = layout(node([...dram]));
      expect(l.deferredZone).toBe(zone);
      const z = l.zones.find((x) => x.name === zone)!;
      expect(l.firstDeferredPfn).toBeGreaterThan(z.startPfn);
      expect(l.firstDeferredPfn).toBeLessThan(z.endPfn);
      // Nothing deferred outside the highest zone.
      for (const f of l.free) {
        expect(f.startPfn).toBeGreaterThanOrEqual(l.firstDeferredPfn!);
        expect(f.endPfn).toBeLessThanOrEqual(z.endPfn);
      }
      expect(l.earlyPages + l.deferredPages).toBe(pagesIn(dram));
    }
  });

  it('first_deferred_pfn is a section boundary, after more than one section of the zone was visited (zone not aligned)', () => {
    // DMA32 starts at 16 MiB = pfn 4096: defer_init counts 4096..36864 (32769 pfns) and stops at the next boundary.
    const l = layout(node([bytes(0, GiB)]));
    expect(l.firstDeferredPfn).toBe(2 * PPS);
    expect(l.firstDeferredPfn! % PPS).toBe(0);
  });

  it('a zone starting on a section boundary defers exactly one section in (defer_init: nr_initialised > PAGES_PER_SECTION at pfn start + PAGES_PER_SECTION)', () => {
    // memmap_init_range calls defer_init(pfn) before initializing pfn; nr_initialised is
    // incremented first, so at pfn = start + 32768 it is 32769 > 32768 and the pfn is
    // section-aligned: first_deferred_pfn = start + 32768, and exactly one section is early.
    const start = pfn(4 * GiB);
    const l = layout(node([bytes(4 * GiB, 4 * GiB)]));
    expect(l.firstDeferredPfn).toBe(start + PPS);
    const seed003 = layoutsOf({ boot: {}, nodes: [{ id: 1, cores: 26, threadsPerCore: 2, dram: [{ start: '386G', size: '384G' }] }] })[0];
    expect(seed003.firstDeferredPfn).toBe(pfn(386 * GiB) + PPS);
  });

  it("defer_init counts visited pfns across the zone's ranges (holes are not counted)", () => {
    // Normal: [4G, 4G + 64M) then a hole, then [5G, 6G). 16384 pfns in the first range,
    // so the 32769th pfn is 16384 pfns into the second range: 5G + 64M, not a boundary; next one at 5G + 128M.
    const l = layout(node([bytes(4 * GiB, 64 * MiB), bytes(5 * GiB, GiB)]));
    expect(l.firstDeferredPfn).toBe(pfn(5 * GiB + 128 * MiB));
    // A range too short to hold the boundary is skipped whole.
    const l2 = layout(node([bytes(4 * GiB, 128 * MiB), bytes(4 * GiB + 128 * MiB + 4096, 4 * MiB), bytes(5 * GiB, GiB)]));
    expect(l2.firstDeferredPfn).toBe(pfn(5 * GiB));
  });

  it('a highest zone too small to reach the boundary is not deferred at all', () => {
    const l = layout(node([bytes(4 * GiB, 128 * MiB)]));
    expect(l.deferredZone).toBeNull();
    expect(l.firstDeferredPfn).toBeNull();
    expect(l.jobs).toEqual([]);
    expect(l.earlyPages).toBe(pfn(128 * MiB));
  });

  it('without deferred init (no-defer kernels) everything is early', () => {
    const l = layout(node([bytes(4 * GiB, 4 * GiB)]), false);
    expect(l.deferredPages).toBe(0);
    expect(l.jobs).toEqual([]);
    expect(l.earlyPages).toBe(pfn(4 * GiB));
  });

  it('movable: ZONE_MOVABLE takes the top of the node and is the deferred zone; Normal is early in full', () => {
    const l = layout(node([bytes(4 * GiB, 8 * GiB)], [], pfn(2 * GiB)));
    expect(l.zones.map((z) => [z.name, z.startPfn, z.endPfn])).toEqual([
      ['Normal', pfn(4 * GiB), pfn(10 * GiB)],
      ['Movable', pfn(10 * GiB), pfn(12 * GiB)],
    ]);
    expect(l.deferredZone).toBe('Movable');
    expect(l.firstDeferredPfn).toBeGreaterThan(pfn(10 * GiB));
    for (const j of l.jobs) expect(j.startPfn).toBeGreaterThanOrEqual(pfn(10 * GiB));
  });

  it('movable pages spanning a hole are taken from the top ranges down', () => {
    const l = layout(node([bytes(4 * GiB, GiB), bytes(6 * GiB, GiB)], [], pfn(GiB + 512 * MiB)));
    const movable = l.zones.find((z) => z.name === 'Movable')!;
    expect(movable.startPfn).toBe(pfn(4 * GiB + 512 * MiB));
    expect(movable.present).toBe(pfn(GiB + 512 * MiB));
  });
});

describe('the memmap reservation and reserved ranges', () => {
  it("the memmap (pages x 64 B) is reserved at the top of the node's highest range", () => {
    const n = node([bytes(0, 2 * GiB), bytes(4 * GiB, 382 * GiB)]);
    const all = memmapReservation(n, D, 64);
    expect(all).toHaveLength(1);
    const m = all[0];
    const present = pfn(384 * GiB);
    expect(m.endPfn).toBe(pfn(386 * GiB));
    expect(m.endPfn - m.startPfn).toBe((present * 64) / 4096);
    expect(m.endPfn - m.startPfn).toBe(pfn(6 * GiB));
    expect(memmapReservation(node([]), D, 64)).toEqual([]);
  });

  it("the memmap is reserved whole, in one range, even when the node's top range is smaller than it (memblock allocates top-down where it fits)", () => {
    // 4 GiB + 4 MiB present: the memmap is 16400 pages, the top range only 1024.
    const n = node([bytes(4 * GiB, 4 * GiB), bytes(9 * GiB, 4 * MiB)]);
    const all = memmapReservation(n, D, 64);
    expect(all).toHaveLength(1);
    const m = all[0];
    expect(m.endPfn - m.startPfn).toBe(Math.ceil((pfn(4 * GiB + 4 * MiB) * 64) / 4096));
    expect(n.dram.some((d) => d.startPfn <= m.startPfn && m.endPfn <= d.endPfn)).toBe(true);
  });

  it('reserved ranges and the memmap are never in a job; everything else in the deferred zone is', () => {
    const dram = [bytes(4 * GiB, 4 * GiB)];
    const reserved = [bytes(5 * GiB + 4096, 3 * MiB), bytes(6 * GiB, 256 * MiB)];
    const [m] = memmapReservation(node(dram), D, 64);
    const l = layout(node(dram, [...reserved, m]));
    const jobFree = l.jobs.flatMap((j) => j.free);
    for (const f of jobFree) {
      for (const h of [...reserved, m]) expect(f.endPfn <= h.startPfn || f.startPfn >= h.endPfn, `${JSON.stringify(f)} vs ${JSON.stringify(h)}`).toBe(true);
    }
    const expected = pfn(8 * GiB) - l.firstDeferredPfn! - pagesIn(reserved) - (m.endPfn - m.startPfn);
    expect(l.deferredPages).toBe(expected);
    expect(pagesIn(jobFree)).toBe(expected);
    expect(union(jobFree)).toEqual(union(l.free));
  });

  it('seed003 node 0 defers Normal above first_deferred_pfn minus the 6 GiB memmap; the 112 MiB reserve sits in DMA32', () => {
    const [n0] = layoutsOf({
      boot: {},
      nodes: [
        {
          id: 0,
          cores: 26,
          threadsPerCore: 2,
          dram: [
            { start: '0', size: '2G' },
            { start: '4G', size: '382G' },
          ],
          reserved: [{ start: '16M', size: '112M' }],
        },
      ],
    });
    expect(n0.deferredZone).toBe('Normal');
    expect(n0.jobs).toHaveLength(1);
    expect(n0.jobs[0].endPfn).toBe(pfn(386 * GiB - 6 * GiB));
    expect(n0.deferredPages).toBe(n0.jobs[0].endPfn - n0.firstDeferredPfn!);
  });
});

describe('jobsFrom: one padata job per free range, [spfn, ALIGN(epfn, section))', () => {
  it('each job starts at its range (or the cursor) and ends on the section boundary after it', () => {
    const free = [r(PPS + 100, 3 * PPS + 5), r(5 * PPS + 7, 6 * PPS)];
    expect(jobsFrom(free, PPS, PPS)).toEqual([
      { startPfn: PPS + 100, endPfn: 4 * PPS, free: [r(PPS + 100, 3 * PPS + 5)] },
      { startPfn: 5 * PPS + 7, endPfn: 6 * PPS, free: [r(5 * PPS + 7, 6 * PPS)] },
    ]);
  });

  it('a range starting in the section the previous job rounded up to is covered by that job, then resumes at the boundary', () => {
    // Two free ranges in one section split by a reserved piece: the first job covers both pieces
    // up to the boundary (deferred_init_memmap_chunk walks every free range in [start, end)).
    const free = [r(PPS, PPS + 1000), r(PPS + 2000, 3 * PPS)];
    const jobs = jobsFrom(free, PPS, PPS);
    expect(jobs).toEqual([
      { startPfn: PPS, endPfn: 2 * PPS, free: [r(PPS, PPS + 1000), r(PPS + 2000, 2 * PPS)] },
      { startPfn: 2 * PPS, endPfn: 3 * PPS, free: [r(2 * PPS, 3 * PPS)] },
    ]);
  });

  it('ranges before the cursor are skipped, a range straddling it is clipped', () => {
    const free = [r(0, 100), r(200, 5 * PPS)];
    expect(jobsFrom(free, 2 * PPS, PPS)).toEqual([{ startPfn: 2 * PPS, endPfn: 5 * PPS, free: [r(2 * PPS, 5 * PPS)] }]);
  });

  it('property: jobs are disjoint, in order, section-aligned at their ends, and their free pieces are exactly the free pages after the cursor', () => {
    const rangesArb = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 3 * PPS }), fc.integer({ min: 1, max: 3 * PPS })), { minLength: 1, maxLength: 6 })
      .map((parts) => {
        let at = 0;
        return parts.map(([gap, len]) => {
          const s = at + gap + 1;
          at = s + len;
          return r(s, at);
        });
      });
    fc.assert(
      fc.property(rangesArb, fc.integer({ min: 0, max: 20 * PPS }), (free, from) => {
        const jobs = jobsFrom(free, from, PPS);
        let prevEnd = -1;
        for (const j of jobs) {
          expect(j.startPfn).toBeGreaterThanOrEqual(Math.max(prevEnd, from));
          expect(j.endPfn % PPS).toBe(0);
          expect(j.endPfn).toBeGreaterThan(j.startPfn);
          for (const f of j.free) {
            expect(f.startPfn).toBeGreaterThanOrEqual(j.startPfn);
            expect(f.endPfn).toBeLessThanOrEqual(j.endPfn);
          }
          prevEnd = j.endPfn;
        }
        expect(pagesIn(jobs.flatMap((j) => j.free))).toBe(freeIn(free, from, Infinity));
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

describe('growStopPfn: where deferred_grow_zone stops (H2)', () => {
  const F = 10 * PPS;
  const big = [r(F, F + 10 * PPS)];

  it('section mode: ALIGN(pages, section) pages, stopping on a section boundary', () => {
    expect(growStopPfn(big, F, 1000, PPS, 'section')).toBe(F + PPS);
    expect(growStopPfn(big, F, PPS, PPS, 'section')).toBe(F + PPS);
    expect(growStopPfn(big, F, PPS + 1, PPS, 'section')).toBe(F + 2 * PPS);
  });

  it('exact mode (bug-grow-mid-block) stops at exactly the pages asked for, inside a max-order block', () => {
    const stop = growStopPfn(big, F, 1000, PPS, 'exact');
    expect(stop).toBe(F + 1000);
    expect(stop % D.maxOrderNrPages).not.toBe(0);
  });

  it('holes and reserved pages do not count: the grow goes on until it has enough free pages', () => {
    const free = [r(F, F + 100), r(F + PPS + 50, F + 5 * PPS)];
    const stop = growStopPfn(free, F, 1000, PPS, 'section');
    expect(stop).toBe(F + 2 * PPS);
    expect(freeIn(free, F, stop)).toBeGreaterThanOrEqual(PPS);
    expect(freeIn(free, F, stop - PPS)).toBeLessThan(PPS);
  });

  it('a zone shorter than the request is grown whole, up to its last section boundary', () => {
    expect(growStopPfn([r(F, F + 3 * PPS + 7)], F, 10 * PPS, PPS, 'section')).toBe(F + 4 * PPS);
  });

  it('property: section mode stops at the first section boundary with at least ALIGN(pages, section) free pages; exact mode at exactly pages', () => {
    const rangesArb = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 2 * PPS }), fc.integer({ min: 1, max: 4 * PPS })), { minLength: 1, maxLength: 5 })
      .map((parts) => {
        let at = F;
        return parts.map(([gap, len], i) => {
          const s = i === 0 ? F : at + gap + 1;
          at = s + len;
          return r(s, at);
        });
      });
    fc.assert(
      fc.property(rangesArb, fc.integer({ min: 1, max: 6 * PPS }), (free, pages) => {
        const total = freeIn(free, F, Infinity);
        const needed = Math.ceil(pages / PPS) * PPS;
        const stop = growStopPfn(free, F, pages, PPS, 'section');
        expect(stop % PPS).toBe(0);
        if (total >= needed) {
          expect(freeIn(free, F, stop)).toBeGreaterThanOrEqual(needed);
          expect(freeIn(free, F, stop - PPS)).toBeLessThan(needed);
        } else expect(stop).toBe(Math.ceil(free.at(-1)!.endPfn / PPS) * PPS);
        if (total >= pages) {
          const exact = growStopPfn(free, F, pages, PPS, 'exact');
          expect(freeIn(free, F, exact)).toBe(pages);
        }
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
