/**
 * What ACTIVATE does to a run of sections, in closed form: sparse_add_section
 * per section in the order asked, until an injected ENOMEM stops it. The
 * sections populated are always a contiguous span (a prefix of the walk), so
 * the outcome is a span and a few sums, found by a binary search over the
 * walk's allocation prefix sums instead of a walk over every section.
 */
import type { SectionPlans } from './section-plans.js';
import type { KernelConstants } from './constants.js';
import { allocationsOf, basePagesOf, partialPopulateNs, populateNs, type PopulateCosts } from './section-populate.js';

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
  /**
   * The memmap comes from an altmap: a PMD block that cannot be allocated
   * fails the section ("no fallback"). Without one, vmemmap_populate_hugepages
   * falls back to base pages (the plans already say so when PMD blocks are
   * made to fail; a budget too small for a block falls back here).
   */
  readonly altmap: boolean;
  /** Injected: no PMD-sized block can be allocated. With an altmap, the first PMD-mapped section fails. */
  readonly pmdFails: boolean;
  /** Sections of the namespace that are early, ascending. */
  readonly earlySections: readonly number[];
  readonly costs: PopulateCosts & { readonly vmemmapPageFreeNs: number };
  readonly constants: KernelConstants;
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
  // Walk position of a section of the run (n: not in it).
  const posOf = (s: number | null) => (s === null || s < a.first || s > a.last ? n : a.order === 'ascending' ? s - a.first : a.last - s);
  const noBlock = a.pmdFails && a.altmap ? firstPmdMapped(a, spanOf) : null;
  const kFail = Math.min(posOf(a.failSection), posOf(noBlock));
  const failSection = kFail < n ? (a.order === 'ascending' ? a.first + kFail : a.last - kFail) : null;
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
    const planned = a.plans.planOf(section);
    // A PMD block is one allocation: it fails whole; from an altmap there is no fallback. Without
    // one the block's vmemmap falls back to base pages, which fail page by page like any PTE-mapped memmap.
    const plan = planned.pmdMapped && !a.altmap ? basePagesOf(planned, a.constants) : planned;
    const partialPages = section === failSection || plan.pmdMapped ? 0 : a.budget - allocated;
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

/**
 * With an altmap and PMD blocks failing: the first section of the walk that
 * needs one. Only a namespace's end sections can be partial or early, so it is
 * among the walk's first three sections or there is none.
 */
function firstPmdMapped(a: ActivationArgs, spanOf: (k: number) => SectionSpan): number | null {
  const n = a.last - a.first + 1;
  for (let k = 1; k <= Math.min(n, 3); k++) {
    const s = a.order === 'ascending' ? spanOf(k).last : spanOf(k).first;
    if (a.plans.planOf(s).pmdMapped) return s;
  }
  return null;
}

/** What DEACTIVATE frees: section_deactivate per populated section (a PMD block in one free_pages). */
export function deactivateSections(plans: SectionPlans, live: SectionSpan, costs: { sectionActivateNs: number; vmemmapPageFreeNs: number }) {
  return {
    timeNs: plans.sum(live.first, live.last, (p) => costs.sectionActivateNs + (p.pmdMapped ? 1 : p.dataPages + p.pageTablePages) * costs.vmemmapPageFreeNs),
    dataPages: plans.sum(live.first, live.last, (p) => p.dataPages),
    pageTablePages: plans.sum(live.first, live.last, (p) => p.pageTablePages),
  };
}
