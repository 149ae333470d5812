import { pfnHex } from '../../model/pfn-hex.js';
import type { TraceEvent, TraceOf } from '../../model/trace-events.js';
import { checker, type Checker } from '../issues.js';

/**
 * I2, the other half: deferred init frees each page to the buddy allocator
 * once. A second __free_pages_core of a page already on a free list corrupts
 * the list (the page was also re-initialized under it). The report names
 * the worker that freed it first and the one freeing it again, and both
 * steps.
 */
export function buddyFreeOnce(): Checker {
  return checker(['pages.init', 'buddy.double-free'], () => {
    // Boot steps per node, in order: a step's pages are initialized and freed together,
    // so the first step over a pfn is the one that freed it first.
    const steps = new Map<number, TraceOf<'pages.init'>[]>();
    const lastStep = new Map<string, TraceOf<'pages.init'>>();
    return {
      next(e, report) {
        if (e.type === 'pages.init' && e.node !== undefined) {
          const node = e.node;
          let list = steps.get(node);
          if (!list) steps.set(node, (list = []));
          list.push(e);
          lastStep.set(e.worker, e);
        } else if (e.type === 'buddy.double-free') {
          const first = steps.get(e.node)?.find((p) => p.startPfn <= e.startPfn && e.startPfn < p.endPfn);
          const again = lastStep.get(e.worker);
          const pages = e.endPfn - e.startPfn;
          report({
            severity: 'violation',
            invariant: 'I2',
            kind: 'double-free',
            place: e.zone,
            atNs: e.t,
            message: `${e.worker} freed pfns ${pfnHex(e.startPfn)}..${pfnHex(e.endPfn - 1)} (${pages} pages) already free in the buddy allocator${first ? `, freed first by ${first.worker}` : ''}`,
            pfns: [e.startPfn, e.endPfn],
            actors: first && first.worker !== e.worker ? [first.worker, e.worker] : [e.worker],
            history: ([first, again !== first ? again : undefined, e] as (TraceEvent | undefined)[]).filter((x): x is TraceEvent => x !== undefined),
            pages,
          });
        }
      },
    };
  });
}
