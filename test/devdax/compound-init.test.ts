import { describe, expect, it } from 'vitest';
import { splitBySection, splitEqual } from '../../machines/probe/work-split.js';
import { headsIn, pageblocksIn, structPagesIn, visitedPageblocksIn } from '../../src/model/compound-init.js';

/** Brute force over pfns, for small ranges. */
const brute = (start: number, end: number, f: (p: number) => boolean) => {
  let n = 0;
  for (let p = start; p < end; p++) if (f(p)) n++;
  return n;
};

describe('compound init arithmetic (memmap_init_zone_device + memmap_init_compound)', () => {
  it('struct pages initialized: the first nr pfns of each compound page, in closed form', () => {
    for (const [n, nr] of [
      [512, 128],
      [64, 16],
      [8, 8],
      [1, 1],
    ] as const) {
      for (const [a, b] of [
        [0, 2048],
        [100, 1900],
        [512, 513],
        [7, 7],
        [1000, 4000],
      ]) {
        expect(structPagesIn(a, b, n, nr), `${n}/${nr} [${a},${b})`).toBe(brute(a, b, (p) => p % n < nr));
        expect(headsIn(a, b, n)).toBe(brute(a, b, (p) => p % n === 0));
      }
    }
  });

  it('pageblocks reached by the pre-2026 loop: 1 of 512 per 1 GiB compound page, all of them at 2M and 4K', () => {
    const G = 2 ** 18;
    expect(pageblocksIn(0, 4 * G, 512)).toBe(4 * 512);
    expect(visitedPageblocksIn(0, 4 * G, G, 128, 512)).toBe(4);
    expect(visitedPageblocksIn(0, 4 * G, 512, 128, 512)).toBe(4 * 512);
    expect(visitedPageblocksIn(0, 4 * G, 1, 1, 512)).toBe(4 * 512);
    // A small geometry to check the strided count against brute force: 8 pageblocks per compound page, 3 reached.
    expect(visitedPageblocksIn(5, 200, 64, 20, 8)).toBe(brute(5, 200, (p) => p % 8 === 0 && p % 64 < 24));
  });
});

describe('work splits never share a compound page between threads (H14)', () => {
  const G = 2 ** 18;
  const S = 32768;
  it('section-aligned chunks are dealt in whole compound pages', () => {
    const range = { startPfn: 8 * G, endPfn: 12 * G };
    const chunks = splitBySection(range, 3, S, G);
    expect(chunks.map((c) => (c.endPfn - c.startPfn) / G)).toEqual([2, 1, 1]);
    for (const c of chunks) expect(c.startPfn % G).toBe(0);
    // Without the compound unit (the bug): section boundaries inside compound pages.
    expect(splitBySection(range, 3, S).some((c) => c.startPfn % G !== 0)).toBe(true);
  });

  it("seed 000's equal split rounds its boundaries to compound pages, and is unchanged for base pages", () => {
    const range = { startPfn: 1000, endPfn: 1000 + 33029632 };
    const base = splitEqual(range, 8);
    expect(base.map((c) => c.endPfn - c.startPfn)).toEqual([...Array(7).fill(4128704), 33029632 - 7 * 4128704]);
    const compound = splitEqual({ startPfn: 512 * 10, endPfn: 512 * 1000 }, 7, 512);
    expect(compound[0].startPfn).toBe(5120);
    expect(compound.at(-1)!.endPfn).toBe(512000);
    for (const c of compound) expect(c.startPfn % 512).toBe(0);
    for (let i = 1; i < compound.length; i++) expect(compound[i].startPfn).toBe(compound[i - 1].endPfn);
  });
});
