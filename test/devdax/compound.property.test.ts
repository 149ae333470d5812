import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBySection } from '../../machines/probe/work-split.js';
import { simulate } from '../../src/api/simulate.js';
import { vmemmapFootprint } from '../../src/model/vmemmap-geometry.js';
import { CORRECT, GiB, MiB } from './helpers.js';

const SEED = 20260504;

const nsArb = fc
  .record({
    geometry: fc.constantFrom('4K' as const, '2M' as const, '1G' as const),
    /** Compound pages (1G) or 2 MiB units (4K, 2M). */
    units: fc.integer({ min: 1, max: 3 }),
    subUnits: fc.integer({ min: 1, max: 700 }),
    altmap: fc.boolean(),
  })
  // With an altmap the device hosts its own memmap, rounded up to the alignment: it needs a second compound page (or 2 MiB).
  .map((n) => (n.altmap ? { ...n, units: Math.max(2, n.units), subUnits: Math.max(2, n.subUnits) } : n));

const machineArb = fc.record({
  namespaces: fc.array(nsArb, { minLength: 1, maxLength: 2 }),
  threads: fc.integer({ min: 1, max: 12 }),
  strategy: fc.constantFrom(...CORRECT),
  seed: fc.integer({ min: 0, max: 1000 }),
});

type Machine = typeof machineArb extends fc.Arbitrary<infer T> ? T : never;

const sizeOf = (n: Machine['namespaces'][number]) => (n.geometry === '1G' ? n.units * GiB : n.subUnits * 2 * MiB);

function scenarioOf(m: Machine) {
  return {
    name: 'generated-devdax',
    profile: 'devdax-2022',
    nodes: [{ id: 0, cores: 8, threadsPerCore: 2, dram: [{ start: '4G', size: '8G' }] }],
    namespaces: m.namespaces.map((n, i) => ({
      name: `dax${i}`,
      node: 0,
      size: `${sizeOf(n) / MiB}M`,
      mode: 'devdax',
      altmap: n.altmap,
      geometry: n.geometry,
    })),
  };
}

describe('compound devmaps on generated namespaces (fast-check, fixed seed)', () => {
  it('correct strategies: no violation; vmemmap bytes and struct pages initialized equal the closed form', () => {
    fc.assert(
      fc.property(machineArb, (m) => {
        const r = simulate(scenarioOf(m), { strategy: m.strategy, threads: m.threads, seed: m.seed });
        expect(r.violations, m.strategy).toEqual([]);
        expect(r.engine.outcome).toBe('quiescent');
        r.namespaces.forEach((n, i) => {
          const g = m.namespaces[i];
          const fp = vmemmapFootprint({ sizeBytes: sizeOf(g), geometry: g.geometry, altmap: g.altmap });
          expect(n.vmemmapBytes.total, `${n.name} ${g.geometry} altmap=${g.altmap}`).toBe(fp.totalBytes);
          expect(n.structPagesInitialized, `${n.name} ${g.geometry} altmap=${g.altmap}`).toBe(fp.structPagesInitialized);
          expect(n.availableAtMs).not.toBeNull();
        });
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('bug-split-compound is caught exactly when a section-aligned chunk boundary falls inside a 1 GiB compound page', () => {
    const arb = fc.record({ units: fc.integer({ min: 1, max: 6 }), threads: fc.integer({ min: 2, max: 16 }) });
    fc.assert(
      fc.property(arb, ({ units, threads }) => {
        const scenario = scenarioOf({ namespaces: [{ geometry: '1G', units, subUnits: 1, altmap: false }], threads, strategy: 'outside-lock', seed: 1 });
        const r = simulate(scenario, { strategy: 'bug-split-compound', threads });
        // The namespace is placed at 12 GiB (after DRAM, 1 GiB aligned): pfn 3 << 20.
        const start = (12 * GiB) / 4096;
        const chunks = splitBySection({ startPfn: start, endPfn: start + units * 2 ** 18 }, threads, 32768);
        const splits = chunks.slice(1).some((c) => c.startPfn % 2 ** 18 !== 0);
        expect(
          r.violations.some((v) => v.kind === 'compound-split'),
          `units=${units} threads=${threads}`,
        ).toBe(splits);
        expect(r.violations.some((v) => v.kind === 'compound-head-before-tail')).toBe(splits);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
