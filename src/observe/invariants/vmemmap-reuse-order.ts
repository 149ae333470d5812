import type { OperatorFunction } from 'rxjs';
import type { TraceEvent, TraceOf } from '../../model/trace-events.js';
import { IntervalSet } from '../../sim/interval-set.js';
import { checker, type Issue } from '../issues.js';

/**
 * I7 `tail-reuse-before-populate` (hazard H15): a section that starts inside
 * a compound page (reuse_compound_section: a 1 GiB compound page spans 8
 * sections) maps the tail vmemmap page of the section before it, found
 * through the PTE of `start - PAGE_SIZE`, "assuming sections are populated
 * sequentially". The section before must therefore be populated first.
 *
 * Recomputed from section numbers, the population order and the geometry the
 * section actor reports, independently of how the actor chose to reuse.
 * O(sections) per population event; one report per compound page.
 */
export function vmemmapReuseOrder(): OperatorFunction<TraceEvent, Issue> {
  return checker(() => {
    const populated = new Map<string, IntervalSet>();
    const last = new Map<string, TraceOf<'vmemmap.populate'>>();
    const reported = new Map<string, Set<number>>();
    return {
      next(e, report) {
        if (e.type !== 'vmemmap.populate') return;
        let set = populated.get(e.ns);
        if (!set) populated.set(e.ns, (set = new IntervalSet()));
        let seen = reported.get(e.ns);
        if (!seen) reported.set(e.ns, (seen = new Set()));
        const n = e.compoundPfns;
        const pps = e.pagesPerSection;
        const early = new Set(e.earlySections);
        const count = e.lastSection - e.firstSection + 1;
        for (let k = 0; k < count; k++) {
          const s = e.order === 'ascending' ? e.firstSection + k : e.lastSection - k;
          const start = s * pps;
          const reuses = e.optimized && !early.has(s) && start % n !== 0;
          if (reuses && !set.has(s - 1)) {
            const head = Math.floor(start / n) * n;
            if (!seen.has(head)) {
              seen.add(head);
              const before = last.get(e.ns);
              report({
                severity: 'violation',
                invariant: 'I7',
                kind: 'tail-reuse-before-populate',
                place: e.ns,
                atNs: e.t,
                message:
                  `${e.ns}: section ${s} (pfns ${start}..${start + pps - 1}) of compound page ${head} reuses the tail vmemmap page of section ${s - 1}, ` +
                  `which was not populated yet (${e.actor} populates ${e.order}): its PTEs map whatever the missing PTE points to (H15)`,
                pfns: [start, start + pps],
                actors: [e.actor],
                history: before ? [before, e] : [e],
              });
            }
          }
          set.add(s, s + 1);
        }
        last.set(e.ns, e);
      },
    };
  });
}
