import type { OperatorFunction } from 'rxjs';
import type { TraceEvent, TraceOf } from '../../model/trace-events.js';
import { checker, type Issue } from '../issues.js';

/**
 * I5: the pgmap reference count equals the pages published. Too few and
 * memunmap_pages' percpu_ref_put_many releases the pgmap early; too many and
 * its wait_for_completion never returns (H6).
 */
export function pgmapRefcount(): OperatorFunction<TraceEvent, Issue> {
  return checker(() => {
    const refs = new Map<string, number>();
    const lastRef = new Map<string, TraceOf<'pgmap.ref'>>();
    const probes = new Map<string, TraceOf<'probe.start'>>();
    const published = new Map<string, TraceOf<'ns.published'>>();
    return {
      next(e) {
        if (e.type === 'pgmap.ref') {
          refs.set(e.ns, (refs.get(e.ns) ?? 0) + e.count);
          lastRef.set(e.ns, e);
        } else if (e.type === 'probe.start') probes.set(e.ns, e);
        else if (e.type === 'ns.published') published.set(e.ns, e);
      },
      complete(report) {
        for (const [ns, pub] of published) {
          const got = refs.get(ns) ?? 0;
          if (got === pub.pages) continue;
          const probe = probes.get(ns);
          const last = lastRef.get(ns);
          report({
            severity: 'violation',
            invariant: 'I5',
            kind: got < pub.pages ? 'refcount-short' : 'refcount-excess',
            place: ns,
            atNs: pub.t,
            message: `${ns}: pgmap holds ${got} references for ${pub.pages} published pages`,
            pages: pub.pages - got,
            // The published pfns: pfn_first .. end, the range whose references memunmap_pages will drop.
            ...(probe ? { pfns: [probe.dataStartPfn, probe.endPfn] as const } : {}),
            actors: [ns],
            history: ([probe, last, pub] as (TraceEvent | undefined)[]).filter((x): x is TraceEvent => x !== undefined),
          });
        }
      },
    };
  });
}
