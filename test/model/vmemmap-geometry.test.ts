import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { X86_64 } from '../../src/model/constants.js';
import { InputError } from '../../src/model/input-error.js';
import {
  compoundNrPages,
  parseGeometry,
  savedVmemmapPagesPerCompound,
  sectionNrVmemmapPages,
  vmemmapCanOptimize,
  vmemmapFootprint,
  vmemmapShiftOf,
  type Geometry,
} from '../../src/model/vmemmap-geometry.js';

const KiB = 2 ** 10;
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TiB = 2 ** 40;
const PAGES_PER_SECTION = 32768;

describe('geometry names', () => {
  it('maps geometries to vmemmap_shift', () => {
    expect(vmemmapShiftOf('4K')).toBe(0);
    expect(vmemmapShiftOf('2M')).toBe(9);
    expect(vmemmapShiftOf('1G')).toBe(18);
  });
  it('parses and rejects geometries, naming the field', () => {
    expect(parseGeometry('2m', '--geometry')).toBe('2M');
    expect(parseGeometry('1GiB', 'x')).toBe('1G');
    expect(() => parseGeometry('4M', 'namespaces[0].geometry')).toThrow(InputError);
    try {
      parseGeometry('16K', 'namespaces[0].geometry');
    } catch (e) {
      expect((e as InputError).field).toBe('namespaces[0].geometry');
    }
  });
});

describe('vmemmap_can_optimize / compound_nr_pages', () => {
  it('needs no altmap, a large enough shift and a power-of-two struct page', () => {
    expect(vmemmapCanOptimize({ altmap: false, vmemmapShift: 9 })).toBe(true);
    expect(vmemmapCanOptimize({ altmap: false, vmemmapShift: 18 })).toBe(true);
    expect(vmemmapCanOptimize({ altmap: true, vmemmapShift: 9 })).toBe(false);
    expect(vmemmapCanOptimize({ altmap: true, vmemmapShift: 18 })).toBe(false);
    expect(vmemmapCanOptimize({ altmap: false, vmemmapShift: 0 })).toBe(false);
    // 2^(s-6) > 2 means s >= 8 on x86_64.
    expect(vmemmapCanOptimize({ altmap: false, vmemmapShift: 7 })).toBe(false);
    expect(vmemmapCanOptimize({ altmap: false, vmemmapShift: 8 })).toBe(true);
    expect(vmemmapCanOptimize({ altmap: false, vmemmapShift: 9, constants: { ...X86_64, structPageBytes: 56 } })).toBe(false);
  });
  it('initializes 128 struct pages per optimized compound page, else all of them', () => {
    expect(compoundNrPages({ altmap: false, vmemmapShift: 9 })).toBe(128);
    expect(compoundNrPages({ altmap: false, vmemmapShift: 18 })).toBe(128);
    expect(compoundNrPages({ altmap: true, vmemmapShift: 9 })).toBe(512);
    expect(compoundNrPages({ altmap: true, vmemmapShift: 18 })).toBe(262144);
    expect(compoundNrPages({ altmap: false, vmemmapShift: 0 })).toBe(1);
  });
  it('treats an early (boot) section as unoptimized (H11 fix)', () => {
    expect(compoundNrPages({ altmap: false, vmemmapShift: 9, earlySection: true })).toBe(512);
    expect(compoundNrPages({ altmap: false, vmemmapShift: 18, earlySection: true })).toBe(262144);
    expect(compoundNrPages({ altmap: false, vmemmapShift: 18, earlySection: false })).toBe(128);
  });
});

describe('section_nr_vmemmap_pages', () => {
  const full = (pfn: number, vmemmapShift: number, altmap = false) => sectionNrVmemmapPages({ pfn, nrPages: PAGES_PER_SECTION, altmap, vmemmapShift });
  it('512 unoptimized, 128 for 2M, 2 then 0 for 1G', () => {
    expect(full(0, 0)).toBe(512);
    expect(full(0, 9, true)).toBe(512);
    expect(full(0, 9)).toBe(128);
    const oneG = Array.from({ length: 16 }, (_, i) => full(i * PAGES_PER_SECTION, 18));
    expect(oneG).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('counts subsection pieces', () => {
    expect(sectionNrVmemmapPages({ pfn: 512, nrPages: 512, altmap: false, vmemmapShift: 0 })).toBe(8);
    expect(sectionNrVmemmapPages({ pfn: 512, nrPages: 512, altmap: false, vmemmapShift: 9 })).toBe(2);
  });
  it('rejects pieces that leave the section', () => {
    expect(() => sectionNrVmemmapPages({ pfn: 512, nrPages: PAGES_PER_SECTION, altmap: false, vmemmapShift: 0 })).toThrow(InputError);
  });
});

describe('vmemmap footprint per TiB (seed 002, kernel-facts §5)', () => {
  const fp = (geometry: Geometry, altmap = false) => vmemmapFootprint({ sizeBytes: TiB, geometry, altmap });

  it('base pages: 16 GiB of memmap, PMD-mapped (no PTE pages)', () => {
    const f = fp('4K');
    expect(f.structPages).toBe(2 ** 28);
    expect(f.structPagesInitialized).toBe(2 ** 28);
    expect(f.dataPages * 4 * KiB).toBe(16 * GiB);
    expect(f.pageTablePages).toBe(0);
    expect(f.totalBytes).toBe(16 * GiB);
    expect(f.savedBytes).toBe(0);
    expect(f.pmdPages).toBe(16);
  });
  it('2M: 4 GiB of data pages plus 32 MiB of PTE pages', () => {
    const f = fp('2M');
    expect(f.optimized).toBe(true);
    expect(f.dataPages * 4 * KiB).toBe(4 * GiB);
    expect(f.pageTablePages * 4 * KiB).toBe(32 * MiB);
    expect(f.totalBytes).toBe(4 * GiB + 32 * MiB);
    expect(f.baseBytes).toBe(16 * GiB);
    expect(f.savedBytes).toBe(12 * GiB - 32 * MiB);
    expect(f.structPagesInitialized).toBe(2 ** 19 * 128);
  });
  it('1G: 8 MiB plus 32 MiB = 40 MiB; PMD pages are not in the total', () => {
    const f = fp('1G');
    expect(f.dataPages * 4 * KiB).toBe(8 * MiB);
    expect(f.pageTablePages * 4 * KiB).toBe(32 * MiB);
    expect(f.totalBytes).toBe(40 * MiB);
    expect(f.pmdPages).toBe(16);
    expect(f.savedBytes).toBe(16 * GiB - 40 * MiB);
    expect(f.structPagesInitialized).toBe(1024 * 128);
  });
  it('saves 6 and 4094 vmemmap pages per compound page', () => {
    expect(savedVmemmapPagesPerCompound({ altmap: false, vmemmapShift: 9 })).toBe(6);
    expect(savedVmemmapPagesPerCompound({ altmap: false, vmemmapShift: 18 })).toBe(4094);
    expect(savedVmemmapPagesPerCompound({ altmap: true, vmemmapShift: 18 })).toBe(0);
    const base = fp('4K');
    for (const [g, saved] of [
      ['2M', 6],
      ['1G', 4094],
    ] as const) {
      const f = fp(g);
      expect((base.dataPages - f.dataPages) / f.compoundPages).toBe(saved);
    }
  });
  it('altmap: memmap on the device, same numbers as base pages', () => {
    for (const g of ['4K', '2M', '1G'] as const) {
      const f = fp(g, true);
      expect(f.onDevice).toBe(true);
      expect(f.optimized).toBe(false);
      expect(f.totalBytes).toBe(16 * GiB);
      expect(f.deviceBytes).toBe(16 * GiB);
      expect(f.savedBytes).toBe(0);
      expect(f.structPagesInitialized).toBe(2 ** 28);
    }
    expect(fp('1G').onDevice).toBe(false);
  });
});

describe('vmemmap footprint edges', () => {
  it('a partial section is PTE-mapped (vmemmap_populate_basepages)', () => {
    const f = vmemmapFootprint({ sizeBytes: 2 * MiB, geometry: '4K' });
    expect([f.dataPages, f.pageTablePages]).toEqual([8, 1]);
    const g = vmemmapFootprint({ sizeBytes: 2 * MiB, geometry: '2M' });
    expect([g.dataPages, g.pageTablePages, g.savedBytes]).toEqual([2, 1, 6 * 4 * KiB]);
  });
  it('agrees with section_nr_vmemmap_pages summed over the sections', () => {
    for (const [g, size] of [
      ['4K', 130 * MiB],
      ['2M', 3 * GiB + 2 * MiB],
      ['1G', 3 * GiB],
    ] as const) {
      const f = vmemmapFootprint({ sizeBytes: size, geometry: g });
      let sum = 0;
      for (let pfn = 0; pfn < f.structPages; pfn += PAGES_PER_SECTION) {
        const nrPages = Math.min(PAGES_PER_SECTION, f.structPages - pfn);
        sum += sectionNrVmemmapPages({ pfn, nrPages, altmap: false, vmemmapShift: vmemmapShiftOf(g) });
      }
      expect(sum).toBe(f.dataPages);
    }
  });
  it('rejects bad sizes naming the field and the rule', () => {
    const bad: [number, Geometry, RegExp][] = [
      [0, '4K', /positive/],
      [-2 * MiB, '4K', /positive/],
      [1.5, '4K', /positive/],
      [MiB, '4K', /2 MiB subsection/],
      [3 * MiB, '2M', /2 MiB subsection/],
      [GiB + 2 * MiB, '1G', /1G compound page/],
    ];
    for (const [sizeBytes, geometry, rule] of bad) {
      let err: unknown;
      try {
        vmemmapFootprint({ sizeBytes, geometry, field: 'namespaces[2].size' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toBe('namespaces[2].size');
      expect((err as InputError).rule).toMatch(rule);
    }
    expect(() => vmemmapFootprint({ sizeBytes: MiB, geometry: '4K' })).toThrow(/^--size: /);
  });
});

describe('property: larger compound pages never cost more', () => {
  it('1G <= 2M <= 4K and saved = base - total for any multiple of 1 GiB', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 * 1024 }), fc.boolean(), (gib, altmap) => {
        const sizeBytes = gib * GiB;
        const [k4, m2, g1] = (['4K', '2M', '1G'] as const).map((geometry) => vmemmapFootprint({ sizeBytes, geometry, altmap }));
        expect(g1.totalBytes).toBeLessThanOrEqual(m2.totalBytes);
        expect(m2.totalBytes).toBeLessThanOrEqual(k4.totalBytes);
        for (const f of [k4, m2, g1]) {
          expect(f.baseBytes).toBe(k4.totalBytes);
          expect(f.savedBytes).toBe(f.baseBytes - f.totalBytes);
          expect(f.totalBytes).toBe((f.dataPages + f.pageTablePages) * 4096);
        }
      }),
      { seed: 42 },
    );
  });
});
