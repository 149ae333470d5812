import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PfnMap } from '../../src/model/pfn-map.js';
import { PfnSet } from '../../src/model/pfn-set.js';
import { IntervalSet } from '../../src/sim/interval-set.js';

const op = fc.record({ start: fc.integer({ min: 0, max: 5000 }), len: fc.integer({ min: 0, max: 300 }) });

describe('PfnSet', () => {
  it('answers overlap and add as a mutable interval set does, and old versions never change', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.array(op, { maxLength: 20 }), (adds, queries) => {
        const reference = new IntervalSet();
        let set = PfnSet.empty();
        const versions: [PfnSet, [number, number][]][] = [];
        for (const { start, len } of adds) {
          reference.add(start, start + len);
          set = set.add(start, start + len);
          versions.push([set, reference.overlap(0, 6000)]);
        }
        for (const { start, len } of queries) {
          const expected = reference.overlap(start, start + len).map(([s, e]) => ({ startPfn: s, endPfn: e }));
          expect(set.overlap(start, start + len)).toEqual(expected);
        }
        for (const [version, all] of versions) expect(version.overlap(0, 6000)).toEqual(all.map(([s, e]) => ({ startPfn: s, endPfn: e })));
      }),
      { seed: 20261202, numRuns: 150 },
    );
  });
});

describe('PfnMap', () => {
  it('keeps every entry of a Map under sets and deletes, and old versions never change', () => {
    const change = fc.record({ key: fc.integer({ min: 0, max: 2000 }), del: fc.boolean() });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 600 }), (changes) => {
        const reference = new Map<number, number>();
        let map = PfnMap.empty<number>();
        const versions: [PfnMap<number>, [number, number][]][] = [];
        changes.forEach(({ key, del }, i) => {
          if (del) reference.delete(key);
          else reference.set(key, i);
          map = del ? map.delete(key) : map.set(key, i);
          versions.push([map, [...reference].sort((a, b) => a[0] - b[0])]);
        });
        for (const [version, entries] of versions) {
          expect(version.range(0, 2001)).toEqual(entries);
          expect(version.size).toBe(entries.length);
        }
        for (let k = 0; k <= 2000; k += 37) {
          expect(map.get(k)).toBe(reference.get(k));
          const below = [...reference.keys()].filter((x) => x <= k).sort((a, b) => b - a)[0];
          expect(map.floor(k)?.[0]).toBe(below);
        }
      }),
      { seed: 20261202, numRuns: 100 },
    );
  });
});
