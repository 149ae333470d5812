/**
 * The closed-form sums over a run of sections (src/model/section-plans.ts,
 * section-activation.ts) against the walk they replace: section by section,
 * in the order asked, stopping at the injected ENOMEM.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { X86_64 } from '../../src/model/constants.js';
import { activateSections, deactivateSections } from '../../src/model/section-activation.js';
import { sectionPlans, type SectionPlansArgs } from '../../src/model/section-plans.js';
import { allocationsOf, basePagesOf, partialPopulateNs, populateNs, type SectionPopulation } from '../../src/model/section-populate.js';

const PPS = 2 ** (X86_64.sectionSizeBits - X86_64.pageShift);
const SUB = 2 ** (X86_64.subsectionShift - X86_64.pageShift);
const COSTS = { sectionActivateNs: 5000, vmemmapPageAllocNs: 250, pageTablePageNs: 600, vmemmapPteNs: 5, vmemmapPageFreeNs: 200 };
const SEED = 20261201;

/** A namespace of whole subsections (compound aligned), maybe starting and ending inside sections, maybe with early ends. */
const namespaceArb = fc
  .record({
    shift: fc.constantFrom(0, 9, 18),
    altmap: fc.boolean(),
    startSub: fc.integer({ min: 0, max: 200 }),
    subs: fc.integer({ min: 1, max: 2000 }),
    earlyFirst: fc.boolean(),
    earlyLast: fc.boolean(),
    pmdFails: fc.boolean(),
  })
  .map(({ shift, altmap, startSub, subs, earlyFirst, earlyLast, pmdFails }): SectionPlansArgs => {
    const align = Math.max(SUB, 2 ** shift);
    const startPfn = Math.ceil((startSub * SUB) / align) * align;
    const endPfn = startPfn + Math.ceil((subs * SUB) / align) * align;
    const first = Math.floor(startPfn / PPS);
    const last = Math.floor((endPfn - 1) / PPS);
    const earlySections = [...(earlyFirst && startPfn % PPS ? [first] : []), ...(earlyLast && endPfn % PPS && last !== first ? [last] : [])];
    return { startPfn, endPfn, altmap, vmemmapShift: shift, earlySections, pmdFails, constants: X86_64 };
  });

function brute(a: SectionPlansArgs, first: number, last: number, f: (p: SectionPopulation) => number): number {
  const plans = sectionPlans(a);
  let total = 0;
  for (let s = first; s <= last; s++) total += f(plans.planOf(s));
  return total;
}

/** The per-section walk ACTIVATE did before it was summed in closed form. */
function walk(a: SectionPlansArgs, order: 'ascending' | 'descending', budget: number, failSection: number | null) {
  const plans = sectionPlans(a);
  const first = Math.floor(a.startPfn / PPS);
  const last = Math.floor((a.endPfn - 1) / PPS);
  let left = budget;
  let timeNs = 0;
  let allocated = 0;
  const done: number[] = [];
  let failure: { section: number; partialPages: number } | null = null;
  for (let k = 0; k <= last - first; k++) {
    const s = order === 'ascending' ? first + k : last - k;
    const plan = plans.planOf(s);
    const need = allocationsOf(plan);
    // From an altmap a PMD block that cannot be had fails the section; without one it falls back to base pages.
    const noBlock = a.pmdFails === true && a.altmap && plan.pmdMapped;
    if (s === failSection || noBlock || need > left) {
      const tried = plan.pmdMapped && !a.altmap ? basePagesOf(plan, X86_64) : plan;
      const partialPages = s === failSection || tried.pmdMapped ? 0 : left;
      timeNs += partialPopulateNs(tried, partialPages, COSTS) + partialPages * COSTS.vmemmapPageFreeNs;
      failure = { section: s, partialPages };
      break;
    }
    left -= need;
    allocated += need;
    timeNs += populateNs(plan, COSTS);
    done.push(s);
  }
  return { done, failure, allocated, timeNs };
}

describe('section plans summed in closed form', () => {
  it('a sum over any span of sections equals the sum section by section', () => {
    fc.assert(
      fc.property(namespaceArb, fc.nat(), fc.nat(), (a, x, y) => {
        const first = Math.floor(a.startPfn / PPS);
        const n = Math.floor((a.endPfn - 1) / PPS) - first + 1;
        const lo = first + (x % n);
        const hi = lo + (y % (first + n - lo));
        const plans = sectionPlans(a);
        for (const f of [
          allocationsOf,
          (p: SectionPopulation) => p.dataPages,
          (p: SectionPopulation) => populateNs(p, COSTS),
          (p: SectionPopulation) => (p.reuse ? 1 : 0),
        ]) {
          expect(plans.sum(lo, hi, f)).toBe(brute(a, lo, hi, f));
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('ACTIVATE populates the same span, fails at the same section and takes the same time as the walk', () => {
    fc.assert(
      fc.property(
        namespaceArb,
        fc.constantFrom('ascending' as const, 'descending' as const),
        fc.option(fc.nat({ max: 200_000 }), { nil: null }),
        fc.option(fc.nat({ max: 40 }), { nil: null }),
        (a, order, budget, failIndex) => {
          const first = Math.floor(a.startPfn / PPS);
          const last = Math.floor((a.endPfn - 1) / PPS);
          const failSection = failIndex === null ? null : first + failIndex;
          const want = walk(a, order, budget ?? Infinity, failSection);
          const got = activateSections({
            plans: sectionPlans(a),
            first,
            last,
            order,
            budget: budget ?? Infinity,
            failSection,
            altmap: a.altmap,
            pmdFails: a.pmdFails === true,
            earlySections: a.earlySections,
            costs: COSTS,
            constants: X86_64,
          });
          const span = want.done.length ? { first: Math.min(...want.done), last: Math.max(...want.done) } : null;
          expect(got.done).toEqual(span);
          expect(got.failure).toEqual(want.failure);
          expect(got.allocated).toBe(want.allocated);
          expect(got.timeNs).toBe(want.timeNs);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('the state of a 4 PiB namespace is a handful of plans: 33 million sections, summed without visiting them', () => {
    const endPfn = 2 ** 52 / 4096;
    const a: SectionPlansArgs = { startPfn: 2 ** 38 / 4096, endPfn, altmap: false, vmemmapShift: 18, earlySections: [], constants: X86_64 };
    const first = a.startPfn / PPS;
    const last = endPfn / PPS - 1;
    expect(last - first + 1).toBeGreaterThan(33_000_000);
    let calls = 0;
    const plans = sectionPlans(a);
    const act = activateSections({
      plans,
      first,
      last,
      order: 'ascending',
      budget: 10_000_000,
      failSection: null,
      altmap: false,
      pmdFails: false,
      earlySections: [],
      costs: COSTS,
      constants: X86_64,
    });
    plans.sum(first, last, () => calls++);
    // One call per distinct plan (8 offsets in a 1 GiB compound page), not per section.
    expect(calls).toBe(8);
    expect(act.failure).not.toBeNull();
    expect(act.allocated).toBeLessThanOrEqual(10_000_000);
    const freed = deactivateSections(plans, act.done!, COSTS);
    expect(freed.dataPages + freed.pageTablePages).toBe(act.allocated);
  });
});
