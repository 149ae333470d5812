import type { TraceOf } from '../../model/trace-events.js';
import { IntervalSet } from '../../sim/interval-set.js';
import { checker, type Checker } from '../issues.js';

/**
 * I3 for boot: when a node's deferred init ends, every deferred free page
 * (plus any the zone grew by first) has been initialized. Double
 * initialization is caught by initOnce, which sees the same pages.init events.
 */
export function deferredComplete(): Checker {
  return checker(['pages.init', 'grow.end', 'deferred.start', 'deferred.end'], () => {
    const inited = new Map<number, IntervalSet>();
    const grown = new Map<number, number>();
    const starts = new Map<number, TraceOf<'deferred.start'>>();
    return {
      next(e, report) {
        if (e.type === 'pages.init' && e.node !== undefined) {
          const node = e.node;
          let s = inited.get(node);
          if (!s) inited.set(node, (s = new IntervalSet()));
          s.add(e.startPfn, e.endPfn);
        } else if (e.type === 'grow.end') grown.set(e.node, e.pages);
        else if (e.type === 'deferred.start') starts.set(e.node, e);
        else if (e.type === 'deferred.end') {
          const expected = e.pages + (grown.get(e.node) ?? 0);
          const got = inited.get(e.node)?.size() ?? 0;
          if (got < expected) {
            const start = starts.get(e.node);
            report({
              severity: 'violation',
              invariant: 'I3',
              kind: 'deferred-missed-pages',
              place: `node${e.node}`,
              atNs: e.t,
              message: `node ${e.node}: deferred init ended with ${expected - got} of ${expected} deferred struct pages never initialized`,
              pages: expected - got,
              history: start ? [start, e] : [e],
            });
          }
        }
      },
    };
  });
}
