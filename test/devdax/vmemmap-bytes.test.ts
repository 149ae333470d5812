import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.js';
import { X86_64 } from '../../src/model/constants.js';
import { namespaceVmemmapPages } from '../../src/model/namespace-vmemmap.js';
import { planSectionPopulation } from '../../src/model/section-populate.js';
import { vmemmapFootprint } from '../../src/model/vmemmap-geometry.js';
import { GiB, MiB, TiB, devdax } from './helpers.js';

/** Per TiB, exactly, through the simulation (section actors populating, the trace folded into the result). */
describe('vmemmapBytes of a 1 TiB device-dax namespace (memmap in DRAM)', () => {
  const run = (g: '4K' | '2M' | '1G') => simulate(devdax('1T', g)).namespaces[0];
  const r4k = run('4K');
  const r2m = run('2M');
  const r1g = run('1G');

  it('4K: 16 GiB of data pages, no page tables (PMD-mapped sections)', () => {
    expect(r4k.vmemmapBytes).toEqual({ data: 16 * GiB, pageTables: 0, total: 16 * GiB });
    expect(r4k.structPagesInitialized).toBe(2 ** 28);
  });

  it('2M: 4 GiB of data pages plus 32 MiB of PTE tables', () => {
    expect(r2m.vmemmapBytes).toEqual({ data: 4 * GiB, pageTables: 32 * MiB, total: 4 * GiB + 32 * MiB });
    // 2^19 compound pages x 128 struct pages (2 vmemmap pages x 64).
    expect(r2m.structPagesInitialized).toBe(2 ** 19 * 128);
  });

  it('1G: 8 MiB of data pages plus 32 MiB of PTE tables = 40 MiB', () => {
    expect(r1g.vmemmapBytes).toEqual({ data: 8 * MiB, pageTables: 32 * MiB, total: 40 * MiB });
    expect(r1g.structPagesInitialized).toBe(1024 * 128);
  });

  it('saves 6 vmemmap pages per 2 MiB compound page and 4094 per 1 GiB one', () => {
    expect((r4k.vmemmapBytes.data - r2m.vmemmapBytes.data) / 4096 / 2 ** 19).toBe(6);
    expect((r4k.vmemmapBytes.data - r1g.vmemmapBytes.data) / 4096 / 1024).toBe(4094);
  });

  it('agrees with the closed form (vmemmap command) at every geometry', () => {
    for (const [g, r] of [
      ['4K', r4k],
      ['2M', r2m],
      ['1G', r1g],
    ] as const) {
      const fp = vmemmapFootprint({ sizeBytes: TiB, geometry: g });
      expect(r.vmemmapBytes.total, g).toBe(fp.totalBytes);
      expect(r.structPagesInitialized, g).toBe(fp.structPagesInitialized);
    }
  });

  it('with an altmap the memmap lives on the device: nothing is deduplicated, every struct page is initialized', () => {
    const r = simulate(devdax('16G', '2M', { altmap: true })).namespaces[0];
    expect(r.vmemmapBytes).toEqual({ data: 256 * MiB, pageTables: 0, total: 256 * MiB });
    expect(r.structPagesInitialized).toBe((16 * GiB) / 4096);
  });

  it('fsdax never has compound pages, and runs report the geometry they used', () => {
    const r = simulate({ ...devdax('2G', '4K'), namespaces: [{ name: 'pmem0', node: 0, size: '2G', mode: 'fsdax' }] });
    expect(r.namespaces[0].geometry).toBe('4K');
    expect(r1g.geometry).toBe('1G');
  });
});

describe('section population (vmemmap_populate_compound_pages per section)', () => {
  const c = X86_64;
  const plan = (pfn: number, shift: number, extra: Partial<Parameters<typeof planSectionPopulation>[0]> = {}) =>
    planSectionPopulation({ pfn, nrPages: 32768, altmap: false, vmemmapShift: shift, early: false, constants: c, ...extra });

  it('1G: the first section of a compound page allocates 2 data pages, the other 7 reuse its tail page', () => {
    const n = 2 ** 18;
    expect(plan(n, 18)).toMatchObject({ dataPages: 2, pageTablePages: 1, ptes: 512, reuse: false, deduplicated: true });
    for (let k = 1; k < 8; k++) expect(plan(n + k * 32768, 18)).toMatchObject({ dataPages: 0, pageTablePages: 1, reuse: true });
  });

  it('2M: 128 data pages and one PTE table per section, no cross-section reuse', () => {
    expect(plan(32768 * 5, 9)).toMatchObject({ dataPages: 128, pageTablePages: 1, ptes: 512, reuse: false });
  });

  it('4K: one PMD-mapped 2 MiB block per full section; a partial section is PTE-mapped', () => {
    expect(plan(0, 0)).toMatchObject({ dataPages: 512, pageTablePages: 0, pmdMapped: true });
    expect(plan(0, 0, { nrPages: 512 })).toMatchObject({ dataPages: 8, pageTablePages: 1, pmdMapped: false });
  });

  it('an early section with a partial piece reuses the boot memmap: nothing populated, not deduplicated', () => {
    expect(plan(32768 * 40 + 16384, 9, { nrPages: 16384, early: true })).toMatchObject({ dataPages: 0, pageTablePages: 0, early: true, deduplicated: false });
  });

  it('the per-section sum equals the closed form for section-aligned namespaces', () => {
    for (const [shift, g] of [
      [0, '4K'],
      [9, '2M'],
      [18, '1G'],
    ] as const) {
      const startPfn = 2 ** 18 * 8;
      const endPfn = startPfn + (3 * GiB) / 4096;
      let data = 0;
      let pt = 0;
      for (let s = startPfn; s < endPfn; s += 32768) {
        const p = plan(s, shift);
        data += p.dataPages;
        pt += p.pageTablePages;
      }
      const fp = vmemmapFootprint({ sizeBytes: 3 * GiB, geometry: g });
      expect({ data, pt }, g).toEqual({ data: fp.dataPages, pt: fp.pageTablePages });
      expect(namespaceVmemmapPages({ startPfn, endPfn, altmap: false, compoundPfns: 2 ** shift, earlySections: [], constants: c })).toEqual({
        dataPages: fp.dataPages,
        pageTablePages: fp.pageTablePages,
      });
    }
  });
});
