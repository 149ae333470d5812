import { pfnHex } from '../../model/pfn-hex.js';
import type { TraceOf } from '../../model/trace-events.js';
import { IntervalSet } from '../../sim/interval-set.js';
import { EXAMPLES_KEPT, checker, type Checker, type Issue } from '../issues.js';

/**
 * I7 `tail-reuse-before-populate` (hazard H15): a section that starts inside
 * a compound page (reuse_compound_section: a 1 GiB compound page spans 8
 * sections) maps the tail vmemmap page of the section before it, found
 * through the PTE of `start - PAGE_SIZE`, "assuming sections are populated
 * sequentially". The section before must therefore be populated first.
 *
 * Recomputed from section numbers, the population order and the geometry the
 * section actor reports, independently of how the actor chose to reuse. One
 * report per compound page. The state is interval sets (populated sections,
 * reported compound pages), and an event costs its runs of unpopulated
 * neighbours, not its sections: ascending, only the first section can find
 * its predecessor missing; descending, every reusing section whose
 * predecessor was not populated before the event does. Past the first few
 * reports of an event, the rest are folded into one with a weight.
 */
export function vmemmapReuseOrder(): Checker {
  return checker(['vmemmap.populate'], () => {
    const populated = new Map<string, IntervalSet>();
    const last = new Map<string, TraceOf<'vmemmap.populate'>>();
    const reported = new Map<string, IntervalSet>();
    return {
      next(e, report) {
        if (e.type !== 'vmemmap.populate') return;
        let set = populated.get(e.namespace);
        if (!set) populated.set(e.namespace, (set = new IntervalSet()));
        let seen = reported.get(e.namespace);
        if (!seen) reported.set(e.namespace, (seen = new IntervalSet()));
        const perCompound = e.compoundPfns / e.pagesPerSection;
        if (e.optimized && perCompound > 1) {
          const found = offenders(e, set, perCompound);
          const before = last.get(e.namespace);
          reportAll(e, found, seen, perCompound, (s, weight) => report(issueOf(e, s, before, weight)));
        }
        set.add(e.firstSection, e.lastSection + 1);
        last.set(e.namespace, e);
      },
    };
  });
}

/** Sections [first, last] whose predecessor was not populated when they were, as spans. */
function offenders(e: TraceOf<'vmemmap.populate'>, set: IntervalSet, perCompound: number): [number, number][] {
  const early = new Set(e.earlySections);
  const reuses = (s: number) => !early.has(s) && s % perCompound !== 0;
  if (e.order === 'ascending') {
    // Each later section's predecessor was populated just before it.
    const s = e.firstSection;
    return reuses(s) && !set.has(s - 1) ? [[s, s]] : [];
  }
  // Descending: a section's predecessor comes after it, so only what was populated before counts.
  return set.gaps(e.firstSection - 1, e.lastSection).map(([a, b]) => [a + 1, b] as [number, number]);
}

/**
 * Reports, in population order, each compound page not reported before that
 * holds an offending reusing section: the first few one by one, the rest as
 * one occurrence standing for all of them.
 */
function reportAll(
  e: TraceOf<'vmemmap.populate'>,
  spans: readonly [number, number][],
  seen: IntervalSet,
  perCompound: number,
  emit: (section: number, weight?: number) => void,
): void {
  const early = new Set(e.earlySections);
  const descending = e.order === 'descending';
  // The offending section population meets first in compound c, if any.
  const firstIn = (c: number, a: number, b: number): number | null => {
    const lo = Math.max(a, c * perCompound + 1);
    const hi = Math.min(b, (c + 1) * perCompound - 1);
    for (let k = 0; k <= hi - lo; k++) {
      const s = descending ? hi - k : lo + k;
      if (!early.has(s)) return s;
    }
    return null;
  };
  let emitted = 0;
  let folded: { section: number; weight: number } | null = null;
  const ordered = descending ? [...spans].reverse() : spans;
  for (const [a, b] of ordered) {
    const unseen = seen.gaps(Math.floor(a / perCompound), Math.floor(b / perCompound) + 1);
    for (const [cLo, cEnd] of descending ? unseen.reverse() : unseen) {
      const cHi = cEnd - 1;
      for (let i = 0; i <= cHi - cLo; i++) {
        const c = descending ? cHi - i : cLo + i;
        // Once the examples are out, compounds wholly inside the span all offend: count them at once.
        const inner = folded ? Math.min(innerRun(c, descending, a, b, perCompound, early), descending ? c - cLo + 1 : cHi - c + 1) : 0;
        if (folded && inner > 1) {
          folded.weight += inner;
          i += inner - 1;
          continue;
        }
        const s = firstIn(c, a, b);
        if (s === null) continue;
        if (emitted < EXAMPLES_KEPT) {
          emit(s);
          emitted++;
        } else if (!folded) folded = { section: s, weight: 1 };
        else folded.weight++;
      }
    }
    // Every compound of the span that offends is reported now (seen ones were before).
    addOffending(seen, a, b, perCompound, early);
  }
  if (folded) emit(folded.section, folded.weight);
}

/**
 * Compounds from c on, in walk order, whose reusing sections all lie in
 * [a, b] and hold no early section: each of them offends.
 */
function innerRun(c: number, descending: boolean, a: number, b: number, perCompound: number, early: ReadonlySet<number>): number {
  const first = Math.ceil((a - 1) / perCompound);
  const last = Math.floor((b + 1) / perCompound) - 1;
  if (c < first || c > last) return 0;
  const earlyCompounds = [...early].map((s) => Math.floor(s / perCompound));
  if (earlyCompounds.includes(c)) return 0;
  if (descending) return c - Math.max(first - 1, ...earlyCompounds.filter((x) => x < c));
  return Math.min(last + 1, ...earlyCompounds.filter((x) => x > c)) - c;
}

/** Marks as reported the compounds of [a, b] with a reusing, non-early section there. */
function addOffending(seen: IntervalSet, a: number, b: number, perCompound: number, early: ReadonlySet<number>): void {
  const cLo = Math.floor(a / perCompound);
  const cHi = Math.floor(b / perCompound);
  const first = Math.ceil((a - 1) / perCompound);
  const last = Math.floor((b + 1) / perCompound) - 1;
  const offends = (c: number) => {
    for (let s = Math.max(a, c * perCompound + 1); s <= Math.min(b, (c + 1) * perCompound - 1); s++) if (!early.has(s)) return true;
    return false;
  };
  // The compounds that need a look of their own: the span's ends and those holding an early section.
  const special = [...new Set([cLo, cHi, ...[...early].map((s) => Math.floor(s / perCompound))])].filter((c) => c >= cLo && c <= cHi).sort((x, y) => x - y);
  let from = first;
  for (const c of special) {
    if (c > from && from <= last) seen.add(from, Math.min(c, last + 1));
    from = Math.max(from, c + 1);
    if (offends(c)) seen.add(c, c + 1);
  }
  if (from <= last) seen.add(from, last + 1);
}

function issueOf(e: TraceOf<'vmemmap.populate'>, s: number, before: TraceOf<'vmemmap.populate'> | undefined, weight?: number): Issue {
  const pps = e.pagesPerSection;
  const start = s * pps;
  const head = Math.floor(start / e.compoundPfns) * e.compoundPfns;
  return {
    severity: 'violation',
    invariant: 'I7',
    kind: 'tail-reuse-before-populate',
    place: e.namespace,
    atNs: e.t,
    message:
      `${e.namespace}: section ${s} (pfns ${pfnHex(start)}..${pfnHex(start + pps - 1)}) of compound page ${pfnHex(head)} reuses the tail vmemmap page of section ${s - 1}, ` +
      `which was not populated yet (${e.actor} populates ${e.order}): its PTEs map whatever the missing PTE points to (H15)`,
    pfns: [start, start + pps],
    actors: [e.actor],
    history: before ? [before, e] : [e],
    ...(weight !== undefined && weight > 1 ? { weight } : {}),
  };
}
