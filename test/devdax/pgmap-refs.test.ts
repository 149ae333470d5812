import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.js';
import { devdax, ns } from './helpers.js';

/**
 * pagemap_range takes pfn_len() pgmap references after memmap_init_zone_device:
 * (pfn_end - pfn_first) >> vmemmap_shift, one per compound page (mm/memremap.c,
 * since c4386bd8ee3a, v5.17). memunmap_pages drops the same count and waits
 * for zero, so one per pfn at 2M or 1G would leave it waiting forever.
 */
const SHIFT = { '4K': 0, '2M': 9, '1G': 18 } as const;
const GEOMETRIES = ['4K', '2M', '1G'] as const;

/** outside-lock with the bulk get counted per pfn, as before compound devmaps. */
const perPfn = {
  name: 'ref-per-pfn',
  steps: [
    { kind: 'lock', mode: 'write' },
    { kind: 'activate' },
    { kind: 'resize' },
    { kind: 'init-hosting' },
    { kind: 'unlock' },
    { kind: 'init' },
    { kind: 'ref-get-many', unit: 'pfn' },
    { kind: 'publish' },
  ],
};

describe('pgmap references: one per compound page', () => {
  for (const geometry of GEOMETRIES) {
    it(`${geometry}: mainline takes pages >> vmemmap_shift references and I5 passes`, () => {
      const r = simulate(devdax('4G', geometry), { strategy: 'outside-lock' });
      const n = ns(r, 'dax0');
      const pages = (4 * 2 ** 30) / 4096;
      expect(n.pgmapRefs).toBe(pages / 2 ** SHIFT[geometry]);
      expect(r.violations.filter((v) => v.invariant === 'I5')).toEqual([]);
    });
  }

  it('the strategies that take a reference inside the loop take one per compound head', () => {
    for (const strategy of ['serial', 'async8']) {
      const r = simulate(devdax('4G', '2M'), { strategy });
      expect(ns(r, 'dax0').pgmapRefs, strategy).toBe(2048);
      expect(r.violations, strategy).toEqual([]);
    }
  });

  it('a per-pfn count is an over-count at 2M and 1G (refcount-excess), and correct at 4K', () => {
    expect(simulate({ ...devdax('4G', '4K'), strategy: perPfn }).violations).toEqual([]);
    for (const geometry of ['2M', '1G'] as const) {
      const r = simulate({ ...devdax('4G', geometry), strategy: perPfn });
      expect(ns(r, 'dax0').pgmapRefs).toBe(2 ** 20);
      const i5 = r.violations.filter((v) => v.invariant === 'I5');
      expect(i5.map((v) => [v.kind, v.place])).toEqual([['refcount-excess', 'dax0']]);
      expect(i5[0].message).toContain(`which need ${2 ** 20 / 2 ** SHIFT[geometry]}`);
    }
  });
});
