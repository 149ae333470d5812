import { pfnHex } from '../../model/pfn-hex.js';
import { structPagesIn } from '../../model/compound-init.js';
import type { TraceOf } from '../../model/trace-events.js';
import { checker, type Checker } from '../issues.js';

/**
 * I1 `compound-tail-uninitialized` (hazard H11): initializing only
 * compound_nr_pages struct pages per compound page is right only where the
 * vmemmap is deduplicated, so every other tail struct page aliases one of
 * the two initialized vmemmap pages. Where it is not (an altmap, or an early
 * section whose boot memmap section_activate reused), the remaining tails are
 * distinct struct pages that nobody initializes, yet they are reachable.
 *
 * Cross-checks two actors: the section actors say (vmemmap.populate) which
 * sections are deduplicated; the workers say (compound.init) how many struct
 * pages per compound page they wrote.
 */
export function compoundTails(): Checker {
  return checker(['vmemmap.populate', 'compound.init'], () => {
    const populated = new Map<string, TraceOf<'vmemmap.populate'>[]>();
    return {
      next(e, report) {
        if (e.type === 'vmemmap.populate') {
          let l = populated.get(e.namespace);
          if (!l) populated.set(e.namespace, (l = []));
          l.push(e);
          return;
        }
        if (e.type !== 'compound.init' || e.nrPerCompound >= e.compoundPfns) return;
        const pops = populated.get(e.namespace) ?? [];
        const pps = pops[0]?.pagesPerSection;
        if (pps === undefined) return;
        // Pieces of the step whose memmap is not deduplicated, with the population that says so.
        const plain: { lo: number; hi: number; why: TraceOf<'vmemmap.populate'>; early: boolean }[] = [];
        for (const p of pops) {
          const lo = Math.max(e.startPfn, p.firstSection * pps);
          const hi = Math.min(e.endPfn, (p.lastSection + 1) * pps);
          if (lo >= hi) continue;
          if (!p.optimized) plain.push({ lo, hi, why: p, early: false });
          else {
            for (const s of p.earlySections) {
              const a = Math.max(lo, s * pps);
              const b = Math.min(hi, (s + 1) * pps);
              if (a < b) plain.push({ lo: a, hi: b, why: p, early: true });
            }
          }
        }
        for (const { lo, hi, why, early } of plain) {
          const missing = hi - lo - structPagesIn(lo, hi, e.compoundPfns, e.nrPerCompound);
          if (missing <= 0) continue;
          // The first compound page in the piece with an uninitialized tail.
          let head = Math.floor(lo / e.compoundPfns) * e.compoundPfns;
          if (Math.max(lo, head + e.nrPerCompound) >= Math.min(hi, head + e.compoundPfns)) head += e.compoundPfns;
          const first = Math.max(lo, head + e.nrPerCompound);
          const last = Math.min(hi, head + e.compoundPfns);
          report({
            severity: 'violation',
            invariant: 'I1',
            kind: 'compound-tail-uninitialized',
            place: e.namespace,
            atNs: e.t,
            message:
              `${e.namespace}: ${e.worker} initialized ${e.nrPerCompound} of ${e.compoundPfns} struct pages per compound page in pfns ${pfnHex(lo)}..${pfnHex(hi - 1)}, ` +
              `whose memmap is ${early ? 'the unoptimized boot memmap of an early section (H11)' : 'not deduplicated'}: ${missing} tail struct pages stay uninitialized, first pfns ${pfnHex(first)}..${pfnHex(last - 1)}`,
            pfns: [first, last],
            actors: [why.actor, e.worker],
            pages: missing,
            history: [why, e],
          });
        }
      },
    };
  });
}
