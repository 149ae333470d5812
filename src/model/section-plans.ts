/**
 * The population plans of a run of sections, summed without visiting each
 * section. Full sections differ only by their offset in a compound page, so
 * their plans repeat with a period of max(compound page, section) / section
 * sections (1, or 8 for 1 GiB pages); only the namespace's partial first and
 * last sections and its early sections have plans of their own. A sum over
 * any span of sections is then a handful of products, whatever the size of
 * the namespace: a 4 PiB namespace has 33 million sections.
 */
import type { KernelConstants } from './constants.js';
import { planSectionPopulation, type SectionPopulation } from './section-populate.js';

export interface SectionPlansArgs {
  /** The namespace's pfns (its first and last sections may be partial). */
  readonly startPfn: number;
  readonly endPfn: number;
  readonly altmap: boolean;
  readonly vmemmapShift: number;
  /** Sections of the namespace that are early (boot) sections. */
  readonly earlySections: readonly number[];
  /** Injected: no PMD-sized vmemmap block can be allocated (section-populate.ts). */
  readonly pmdFails?: boolean;
  readonly constants: KernelConstants;
}

export interface SectionPlans {
  /** The plan of one section. */
  planOf(s: number): SectionPopulation;
  /**
   * Σ f(plan) over sections [first, last]. Full sections are summed as
   * count × f per distinct plan, so the sum is exact for integer-valued f.
   */
  sum(first: number, last: number, f: (p: SectionPopulation) => number): number;
}

export function sectionPlans(a: SectionPlansArgs): SectionPlans {
  const pps = 2 ** (a.constants.sectionSizeBits - a.constants.pageShift);
  const period = Math.max(1, 2 ** a.vmemmapShift / pps);
  const firstSection = Math.floor(a.startPfn / pps);
  const lastSection = Math.floor((a.endPfn - 1) / pps);
  const planOf = (s: number): SectionPopulation => {
    const pfn = Math.max(a.startPfn, s * pps);
    const nrPages = Math.min(a.endPfn, (s + 1) * pps) - pfn;
    return planSectionPopulation({
      pfn,
      nrPages,
      altmap: a.altmap,
      vmemmapShift: a.vmemmapShift,
      early: a.earlySections.includes(s),
      pmdFails: a.pmdFails,
      constants: a.constants,
    });
  };
  // Sections whose plan is not the periodic full-section one.
  const special = (s: number) => a.earlySections.includes(s) || (s === firstSection && a.startPfn % pps !== 0) || (s === lastSection && a.endPfn % pps !== 0);
  const specials = [...new Set([firstSection, lastSection, ...a.earlySections])].filter(special).sort((x, y) => x - y);
  // The full-section plan of each residue mod `period`, by absolute section number.
  const full = new Map<number, SectionPopulation>();
  const fullPlan = (r: number) => {
    let p = full.get(r);
    if (!p) {
      const s = r + period * Math.ceil((firstSection - r) / period);
      full.set(
        r,
        (p = planSectionPopulation({
          pfn: s * pps,
          nrPages: pps,
          altmap: a.altmap,
          vmemmapShift: a.vmemmapShift,
          early: false,
          pmdFails: a.pmdFails,
          constants: a.constants,
        })),
      );
    }
    return p;
  };
  return {
    planOf,
    sum(first, last, f) {
      if (last < first) return 0;
      let total = 0;
      for (let r = 0; r < period; r++) {
        let count = countResidue(first, last, period, r);
        for (const s of specials) if (s >= first && s <= last && s % period === r) count--;
        if (count > 0) total += count * f(fullPlan(r));
      }
      for (const s of specials) if (s >= first && s <= last) total += f(planOf(s));
      return total;
    },
  };
}

/** Sections s in [first, last] with s mod period = r. */
function countResidue(first: number, last: number, period: number, r: number): number {
  const lo = first + ((((r - first) % period) + period) % period);
  return lo > last ? 0 : Math.floor((last - lo) / period) + 1;
}
