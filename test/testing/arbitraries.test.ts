/**
 * The library's generators beyond their defaults (the defaults are what
 * test/property and test/boot run): every option still gives scenarios that
 * every correct strategy runs clean, and compound geometry is valid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.js';
import { resolveScenario } from '../../src/model/scenario.js';
import {
  assertClean,
  bootMachineArb,
  bootStrategyArb,
  CORRECT_BOOT_STRATEGIES,
  CORRECT_PROBE_STRATEGIES,
  pmemMachineArb,
  probeStrategyArb,
  runOptions,
} from '../../src/testing/index.js';

const GiB = 2 ** 30;

describe('pmemMachineArb options', () => {
  it('geometry: devdax namespaces get 4K, 2M or 1G with valid sizes and starts; correct strategies stay clean', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(pmemMachineArb({ geometry: true }), (m) => {
        const sc = resolveScenario(m.scenario);
        m.scenario.namespaces.forEach((n, i) => {
          if (n.mode === 'fsdax') expect(n.geometry).toBeUndefined();
          else seen.add(n.geometry!);
          if (n.geometry === '1G') {
            expect(sc.namespaces[i].sizeBytes % GiB).toBe(0);
            expect((sc.namespaces[i].startPfn * 4096) % GiB).toBe(0);
          }
        });
        for (const s of CORRECT_PROBE_STRATEGIES) assertClean(simulate(m.scenario, runOptions(m, s)));
      }),
      { seed: 3, numRuns: 60 },
    );
    expect([...seen].sort()).toEqual(['1G', '2M', '4K']);
  });

  it('forced choices and wider ranges: many nodes, one device each, devdax only, altmap on, packed, a profile', () => {
    const arb = pmemMachineArb({
      nodes: { min: 4, max: 12 },
      dramGiB: { min: 1, max: 8 },
      namespaces: { min: 2, max: 6 },
      units: { min: 1, max: 8 },
      devices: [],
      modes: ['devdax'],
      altmap: true,
      packed: true,
      explore: true,
      profile: 'devdax-2022',
    });
    fc.assert(
      fc.property(arb, probeStrategyArb(), (m, strategy) => {
        expect(m.explore).toBe(true);
        expect(m.scenario.profile).toBe('devdax-2022');
        for (const n of m.scenario.namespaces) {
          expect(n).toMatchObject({ mode: 'devdax', altmap: true });
          expect(n.device).toBeUndefined();
          expect(n.start).toBeDefined();
        }
        assertClean(simulate(m.scenario, runOptions(m, strategy)));
      }),
      { seed: 11, numRuns: 30 },
    );
  });
});

describe('bootMachineArb options', () => {
  it('section-aligned units, no movable part, no growZone, no reservations', () => {
    fc.assert(
      fc.property(
        bootMachineArb({ unit: 32768, nodes: { min: 2, max: 4 }, movable: false, growZone: false, maxReserved: 0 }),
        bootStrategyArb(),
        (m, strategy) => {
          expect(m.scenario.boot).toEqual({});
          for (const n of m.scenario.nodes) {
            expect(n.movable).toBeUndefined();
            expect(n.reserved).toEqual([]);
            for (const d of n.dram) expect(d.start % 2 ** 27).toBe(0);
          }
          assertClean(simulate(m.scenario, runOptions(m, strategy)));
        },
      ),
      { seed: 5, numRuns: 20 },
    );
  });

  it('refuses a unit that is not a power of two up to a section', () => {
    expect(() => bootMachineArb({ unit: 3 })).toThrow(RangeError);
    expect(() => bootMachineArb({ unit: 65536 })).toThrow(RangeError);
  });

  it('runOptions leaves threads out when the machine uses the node CPUs', () => {
    expect(runOptions({ threads: undefined, seed: 4, explore: false }, CORRECT_BOOT_STRATEGIES[0])).toEqual({ strategy: 'no-defer', seed: 4, explore: false });
  });
});
