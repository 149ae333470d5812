import { pfnHex } from '../../model/pfn-hex.js';
import { pageblocksIn, visitedPageblocksIn } from '../../model/compound-init.js';
import type { TraceOf } from '../../model/trace-events.js';
import { IntervalSet } from '../../sim/interval-set.js';
import { checker, type Checker } from '../issues.js';

/**
 * I6: every pageblock of a namespace gets its migratetype exactly once
 * (hazard H12). A step sets the pageblocks whose first pfn it owns: all of
 * them with pageblock_migratetype_init_range (Apr 2026), or, before that, only
 * those at pageblock-aligned pfns the init loop visits, which with 1 GiB
 * compound pages is 1 of 512.
 *
 * `migratetype-twice`: two steps set one pageblock. `migratetype-unset`: a
 * pageblock of an initialized namespace never got one; reported per step for
 * a visited-only step (with the first compound page's gap), per gap otherwise.
 */
export function pageblockMigratetype(): Checker {
  return checker(['probe.start', 'probe.failed', 'init.end', 'pageblock.migratetype'], () => {
    const sets = new Map<string, { set: IntervalSet; pb: number; last: TraceOf<'pageblock.migratetype'>[] }>();
    const probes = new Map<string, TraceOf<'probe.start'>>();
    const initEnd = new Map<string, TraceOf<'init.end'>>();
    const strided = new Set<string>();
    const failed = new Set<string>();
    return {
      next(e, report) {
        if (e.type === 'probe.start') probes.set(e.namespace, e);
        else if (e.type === 'probe.failed') failed.add(e.namespace);
        else if (e.type === 'init.end' && e.work === 'full' && e.pass === 1) initEnd.set(e.namespace, e);
        if (e.type !== 'pageblock.migratetype') return;
        const pb = e.pageblockPfns;
        const n = e.compoundPfns;
        if (e.how === 'visited' && e.nrPerCompound < n && n > pb) {
          strided.add(e.namespace);
          const missing = pageblocksIn(e.startPfn, e.endPfn, pb) - visitedPageblocksIn(e.startPfn, e.endPfn, n, e.nrPerCompound, pb);
          if (missing <= 0) return;
          const head = Math.ceil(e.startPfn / n) * n;
          const from = head + Math.ceil(e.nrPerCompound / pb) * pb;
          report({
            severity: 'violation',
            invariant: 'I6',
            kind: 'migratetype-unset',
            place: e.namespace,
            atNs: e.t,
            message:
              `${e.namespace}: ${e.worker} set the migratetype only at the pageblock-aligned pfns it visited (${e.nrPerCompound} of ${n} per compound page): ` +
              `${missing} of ${pageblocksIn(e.startPfn, e.endPfn, pb)} pageblocks in pfns ${pfnHex(e.startPfn)}..${pfnHex(e.endPfn - 1)} keep none, first pfns ${pfnHex(from)}..${pfnHex(head + n - 1)} (H12)`,
            pfns: [from, Math.min(e.endPfn, head + n)],
            actors: [e.worker],
            pages: missing * pb,
            history: [e],
          });
          return;
        }
        let s = sets.get(e.namespace);
        if (!s) sets.set(e.namespace, (s = { set: new IntervalSet(), pb, last: [] }));
        // The pageblocks whose first pfn lies in the step.
        const lo = Math.ceil(e.startPfn / pb) * pb;
        const hi = Math.ceil(e.endPfn / pb) * pb;
        for (const [a, b] of s.set.overlap(lo, hi)) {
          const earlier = s.last.find((x) => Math.ceil(x.startPfn / pb) * pb < b && a < Math.ceil(x.endPfn / pb) * pb);
          report({
            severity: 'violation',
            invariant: 'I6',
            kind: 'migratetype-twice',
            place: e.namespace,
            atNs: e.t,
            message: `${e.namespace}: the migratetype of pageblocks in pfns ${pfnHex(a)}..${pfnHex(b - 1)} was set twice (by ${earlier?.worker ?? '?'} and ${e.worker})`,
            pfns: [a, b],
            actors: earlier ? [earlier.worker, e.worker] : [e.worker],
            history: earlier ? [earlier, e] : [e],
          });
        }
        s.set.add(lo, hi);
        s.last.push(e);
        if (s.last.length > 64) s.last.shift();
      },
      complete(report) {
        for (const [ns, end] of initEnd) {
          const probe = probes.get(ns);
          if (!probe || failed.has(ns) || strided.has(ns)) continue;
          const s = sets.get(ns);
          const pb = s?.pb ?? 512;
          const lo = Math.ceil(probe.startPfn / pb) * pb;
          const hi = Math.ceil(probe.endPfn / pb) * pb;
          const gaps = s ? s.set.gaps(lo, hi) : [[lo, hi] as [number, number]];
          for (const [a, b] of gaps) {
            report({
              severity: 'violation',
              invariant: 'I6',
              kind: 'migratetype-unset',
              place: ns,
              atNs: end.t,
              message: `${ns}: ${(b - a) / pb} pageblocks in pfns ${pfnHex(a)}..${pfnHex(b - 1)} never got a migratetype`,
              pfns: [a, b],
              pages: b - a,
              history: [probe, end],
            });
          }
        }
      },
    };
  });
}
