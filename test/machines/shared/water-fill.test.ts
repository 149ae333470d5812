import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { waterFill } from '../../../machines/shared/water-fill.js';

const FC_SEED = Number(process.env.FC_SEED ?? 42);
const EPS = 1e-9;

const cap = fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true });
const capacity = fc.double({ min: 1e-3, max: 500, noNaN: true, noDefaultInfinity: true });
const caps = fc.array(cap, { maxLength: 40 });
const close = (a: number, b: number, scale = 1) => Math.abs(a - b) <= EPS * Math.max(1, scale);

describe('waterFill (max-min fair share)', () => {
  it('examples: all fit; equal split; small caps met, the rest share the remainder', () => {
    expect(waterFill(10, [])).toEqual([]);
    expect(waterFill(10, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(waterFill(9, [5, 5, 5])).toEqual([3, 3, 3]);
    expect(waterFill(10, [1, 100, 100])).toEqual([1, 4.5, 4.5]);
    expect(waterFill(3, [1.72, 1.72, 1.72, 1.72, 1.72, 1.72, 1.72, 1.72]).every((r) => close(r, 3 / 8))).toBe(true);
  });

  it('gives exactly the rates of filling in sorted cap order, whether or not the caps come sorted', () => {
    /** The definition: always sort by cap, ties by index, then fill. */
    const reference = (capacityBytes: number, cs: readonly number[]) => {
      const rates = new Array<number>(cs.length).fill(0);
      let left = capacityBytes;
      let n = cs.length;
      for (const i of cs.map((_, k) => k).sort((a, b) => cs[a] - cs[b] || a - b)) {
        rates[i] = Math.min(cs[i], left / n);
        left -= rates[i];
        n--;
      }
      return rates;
    };
    fc.assert(
      fc.property(capacity, caps, (c, cs) => {
        expect(waterFill(c, cs)).toEqual(reference(c, cs));
        const sorted = [...cs].sort((a, b) => a - b);
        expect(waterFill(c, sorted)).toEqual(reference(c, sorted));
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it('each rate is in [0, cap] and the sum never exceeds the capacity', () => {
    fc.assert(
      fc.property(capacity, caps, (c, cs) => {
        const rates = waterFill(c, cs);
        expect(rates).toHaveLength(cs.length);
        rates.forEach((r, i) => {
          expect(r).toBeGreaterThanOrEqual(0);
          expect(r).toBeLessThanOrEqual(cs[i] + EPS);
        });
        expect(rates.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(c * (1 + EPS) + EPS);
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it('is work-conserving: the sum is min(capacity, sum of caps)', () => {
    fc.assert(
      fc.property(capacity, caps, (c, cs) => {
        const sum = waterFill(c, cs).reduce((a, b) => a + b, 0);
        const want = Math.min(
          c,
          cs.reduce((a, b) => a + b, 0),
        );
        expect(close(sum, want, want)).toBe(true);
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it('unsaturated flows get equal rates, at least any saturated flow’s cap, and the largest rate', () => {
    fc.assert(
      fc.property(capacity, caps, (c, cs) => {
        const rates = waterFill(c, cs);
        const unsat = rates.filter((r, i) => r < cs[i] - EPS * Math.max(1, cs[i]));
        if (unsat.length === 0) return;
        const level = unsat[0];
        for (const r of unsat) expect(close(r, level, level)).toBe(true);
        rates.forEach((r, i) => {
          expect(r).toBeLessThanOrEqual(level * (1 + EPS) + EPS);
          const saturated = !(r < cs[i] - EPS * Math.max(1, cs[i]));
          if (saturated) expect(cs[i]).toBeLessThanOrEqual(level * (1 + EPS) + EPS);
        });
        // Someone is held back only if the capacity is all used.
        expect(
          close(
            rates.reduce((a, b) => a + b, 0),
            c,
            c,
          ),
        ).toBe(true);
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it('depends only on the multiset of caps: permuting flows permutes their rates', () => {
    fc.assert(
      fc.property(
        capacity,
        caps.chain((cs) =>
          fc.tuple(
            fc.constant(cs),
            fc.shuffledSubarray(
              cs.map((_, i) => i),
              { minLength: cs.length, maxLength: cs.length },
            ),
          ),
        ),
        (c, [cs, perm]) => {
          const rates = waterFill(c, cs);
          const permuted = waterFill(
            c,
            perm.map((i) => cs[i]),
          );
          perm.forEach((i, k) => expect(close(permuted[k], rates[i], rates[i])).toBe(true));
        },
      ),
      { seed: FC_SEED, numRuns: 500 },
    );
  });

  it('more capacity never lowers any flow’s rate', () => {
    fc.assert(
      fc.property(capacity, capacity, caps, (a, b, cs) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const rLo = waterFill(lo, cs);
        const rHi = waterFill(hi, cs);
        rLo.forEach((r, i) => expect(rHi[i]).toBeGreaterThanOrEqual(r - EPS * Math.max(1, r)));
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});
