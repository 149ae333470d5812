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
    const published = new Map<string, TraceOf<'ns.published'>>();
    return {
      next(e) {
        if (e.type === 'pgmap.ref') refs.set(e.ns, (refs.get(e.ns) ?? 0) + e.count);
        else if (e.type === 'ns.published') published.set(e.ns, e);
      },
      complete(report) {
        for (const [ns, pub] of published) {
          const got = refs.get(ns) ?? 0;
          if (got !== pub.pages) {
            report({
              severity: 'violation',
              invariant: 'I5',
              kind: got < pub.pages ? 'refcount-short' : 'refcount-excess',
              place: ns,
              atNs: pub.t,
              message: `${ns}: pgmap holds ${got} references for ${pub.pages} published pages`,
              pages: pub.pages - got,
              history: [pub],
            });
          }
        }
      },
    };
  });
}
