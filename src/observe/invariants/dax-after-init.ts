import { pfnHex } from '../../model/pfn-hex.js';
import { initPlace } from '../../model/trace-events.js';
import type { TraceOf } from '../../model/trace-events.js';
import { IntervalSet } from '../../sim/interval-set.js';
import { checker, type Checker } from '../issues.js';

/**
 * I1 for DAX: no struct page is handed to a DAX user before it is
 * initialized (dax is mapped directly, so any published pfn may be touched).
 */
export function daxAfterInit(): Checker {
  return checker(['pages.init', 'namespace.published', 'dax.access'], () => {
    const inited = new Map<string, IntervalSet>();
    const published = new Map<string, TraceOf<'namespace.published'>>();
    return {
      next(e, report) {
        if (e.type === 'pages.init' && e.work !== 'pgmap') {
          let s = inited.get(initPlace(e));
          if (!s) inited.set(initPlace(e), (s = new IntervalSet()));
          s.add(e.startPfn, e.endPfn);
        } else if (e.type === 'namespace.published') published.set(e.namespace, e);
        else if (e.type === 'dax.access' && !inited.get(e.namespace)?.has(e.pfn)) {
          const pub = published.get(e.namespace);
          report({
            severity: 'violation',
            invariant: 'I1',
            kind: 'dax-before-init',
            place: e.namespace,
            atNs: e.t,
            message: `${e.user} touched pfn ${pfnHex(e.pfn)} of ${e.namespace} before its struct page was initialized`,
            pfns: [e.pfn, e.pfn + 1],
            actors: [e.user, e.namespace],
            history: pub ? [pub, e] : [e],
          });
        }
      },
    };
  });
}
