/**
 * What ACTIVATE does to a run of sections, in closed form: sparse_add_section
 * per section in the order asked, until an injected ENOMEM stops it. The
 * sections populated are always a contiguous span (a prefix of the walk), so
 * the outcome is a span and a few sums, found by a binary search over the
 * walk's allocation prefix sums instead of a walk over every section.
 */
import type { SectionPlans } from './section-plans.js';
import { allocationsOf, partialPopulateNs, populateNs, type PopulateCosts } from './section-populate.js';

export interface SectionSpan {
  readonly first: number;
  readonly last: number;
}

export interface ActivationArgs {
  readonly plans: SectionPlans;
  readonly first: number;
  readonly last: number;
  readonly order: 'ascending' | 'descending';
  /** Vmemmap pages that may still be allocated; Infinity: unlimited. */
  readonly budget: number;
  /** Absolute section whose population fails; null: none. */
  readonly failSection: number | null;
  /** Sections of the namespace that are early, ascending. */
  readonly earlySections: readonly number[];
  readonly costs: PopulateCosts & { readonly vmemmapPageFreeNs: number };
}

export interface Activation {
  /** The sections populated, or null when none was. */
  readonly done: SectionSpan | null;
  readonly failure: { readonly section: number; readonly partialPages: number } | null;
  /** Vmemmap pages allocated by the populated sections. */
  readonly allocated: number;
  readonly dataPages: number;
  readonly pageTablePages: number;
  readonly reuseSections: number;
  /** Populated sections that reuse the boot memmap, in walk order. */
  readonly early: readonly number[];
  /** CPU time, the failing section's partial work and its freeing included. */
  readonly timeNs: number;
}

export function activateSections(a: ActivationArgs): Activation {
  const n = a.last - a.first + 1;
  // The first k sections of the walk.
  const spanOf = (k: number): SectionSpan => (a.order === 'ascending' ? { first: a.first, last: a.first + k - 1 } : { first: a.last - k + 1, last: a.last });
  const prefix = (k: number) => {
    const s = spanOf(k);
    return a.plans.sum(s.first, s.last, allocationsOf);
  };
  const inRun = a.failSection !== null && a.failSection >= a.first && a.failSection <= a.last;
  const kFail = !inRun ? n : a.order === 'ascending' ? a.failSection! - a.first : a.last - a.failSection!;
  // The most sections of the walk, before the injected one, whose allocations fit the budget.
  let k = kFail;
  if (Number.isFinite(a.budget) && prefix(kFail) > a.budget) {
    let lo = 0;
    let hi = kFail;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (prefix(mid) <= a.budget) lo = mid;
      else hi = mid - 1;
    }
    k = lo;
  }
  const done = k > 0 ? spanOf(k) : null;
  const sum = (f: Parameters<SectionPlans['sum']>[2]) => (done ? a.plans.sum(done.first, done.last, f) : 0);
  const allocated = sum(allocationsOf);
  let timeNs = sum((p) => populateNs(p, a.costs));
  let failure: Activation['failure'] = null;
  if (k < n) {
    const section = spanOf(k + 1)[a.order === 'ascending' ? 'last' : 'first'];
    const plan = a.plans.planOf(section);
    // A PMD block is one allocation: it fails whole. PTE-mapped memmaps fail page by page.
    const partialPages = section === a.failSection || plan.pmdMapped ? 0 : a.budget - allocated;
    timeNs += partialPopulateNs(plan, partialPages, a.costs) + partialPages * a.costs.vmemmapPageFreeNs;
    failure = { section, partialPages };
  }
  const early = done ? a.earlySections.filter((s) => s >= done.first && s <= done.last && a.plans.planOf(s).early) : [];
  return {
    done,
    failure,
    allocated,
    dataPages: sum((p) => p.dataPages),
    pageTablePages: sum((p) => p.pageTablePages),
    reuseSections: sum((p) => (p.reuse ? 1 : 0)),
    early: a.order === 'ascending' ? early : early.reverse(),
    timeNs,
  };
}

/** What DEACTIVATE frees: section_deactivate per populated section (a PMD block in one free_pages). */
export function deactivateSections(plans: SectionPlans, live: SectionSpan, costs: { sectionActivateNs: number; vmemmapPageFreeNs: number }) {
  return {
    timeNs: plans.sum(live.first, live.last, (p) => costs.sectionActivateNs + (p.pmdMapped ? 1 : p.dataPages + p.pageTablePages) * costs.vmemmapPageFreeNs),
    dataPages: plans.sum(live.first, live.last, (p) => p.dataPages),
    pageTablePages: plans.sum(live.first, live.last, (p) => p.pageTablePages),
  };
}
