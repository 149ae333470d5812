import type { TraceEvent, TraceOf } from '../../model/trace-events.js';
import { checker, type Checker, type Issue } from '../issues.js';

/**
 * I5: the pgmap reference count equals pfn_len() of the published pages: one
 * per compound page, (pfn_end - pfn_first) >> vmemmap_shift, so one per pfn
 * only at 4K. memunmap_pages drops exactly pfn_len() (percpu_ref_put_many)
 * and then waits for the count to reach zero: too few and the pgmap is
 * released early; too many (say, one per pfn of a 2 MiB compound page) and
 * its wait_for_completion never returns (H6). A put that takes the count
 * below the needed references while the pages are still published is
 * reported when it happens (the pgmap can go away under its users), and once.
 */
export function pgmapRefcount(): Checker {
  return checker(['pgmap.ref', 'probe.start', 'namespace.published'], () => {
    const refs = new Map<string, number>();
    const lastRef = new Map<string, TraceOf<'pgmap.ref'>>();
    const probes = new Map<string, TraceOf<'probe.start'>>();
    const published = new Map<string, TraceOf<'namespace.published'>>();
    const dropped = new Set<string>();
    return {
      next(e, report) {
        if (e.type === 'pgmap.ref') {
          const got = (refs.get(e.namespace) ?? 0) + e.count;
          refs.set(e.namespace, got);
          const pub = published.get(e.namespace);
          if (e.count < 0 && pub && got < pub.refs && !dropped.has(e.namespace)) {
            dropped.add(e.namespace);
            report(droppedEarly(e, pub, got, probes.get(e.namespace), lastRef.get(e.namespace)));
          }
          lastRef.set(e.namespace, e);
        } else if (e.type === 'probe.start') probes.set(e.namespace, e);
        else if (e.type === 'namespace.published') published.set(e.namespace, e);
      },
      complete(report) {
        for (const [ns, pub] of published) {
          const got = refs.get(ns) ?? 0;
          if (got === pub.refs || dropped.has(ns)) continue;
          const probe = probes.get(ns);
          const last = lastRef.get(ns);
          report({
            severity: 'violation',
            invariant: 'I5',
            kind: got < pub.refs ? 'refcount-short' : 'refcount-excess',
            place: ns,
            atNs: pub.t,
            message: `${ns}: pgmap holds ${got} references for ${pub.pages} published pages${unitOf(pub)}`,
            pages: shortPages(pub, got),
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

function droppedEarly(
  put: TraceOf<'pgmap.ref'>,
  pub: TraceOf<'namespace.published'>,
  got: number,
  probe: TraceOf<'probe.start'> | undefined,
  lastGet: TraceOf<'pgmap.ref'> | undefined,
): Issue {
  return {
    severity: 'violation',
    invariant: 'I5',
    kind: 'ref-dropped-while-published',
    place: put.namespace,
    atNs: put.t,
    message: `${put.namespace}: ${-put.count} pgmap references dropped while its ${pub.pages} pages are published, leaving ${got}${unitOf(pub)}: the pgmap can be released under its users`,
    pages: shortPages(pub, got),
    ...(probe ? { pfns: [probe.dataStartPfn, probe.endPfn] as const } : {}),
    actors: [put.namespace],
    history: ([lastGet, pub, put] as (TraceEvent | undefined)[]).filter((x): x is TraceEvent => x !== undefined),
  };
}

/**
 * The report's `pages`: with too few references, the published pages left
 * without one (missing references x pfns per reference); with too many, minus
 * the references in excess (at 4K both are pages).
 */
function shortPages(pub: TraceOf<'namespace.published'>, got: number): number {
  const missing = pub.refs - got;
  return missing > 0 && pub.refs > 0 ? Math.round((missing * pub.pages) / pub.refs) : missing;
}

/** ", which need N (one per compound page of M pfns)" when a reference covers more than one pfn; nothing at 4K. */
function unitOf(pub: TraceOf<'namespace.published'>): string {
  const per = pub.refs > 0 ? Math.floor(pub.pages / pub.refs) : 1;
  return per > 1 ? `, which need ${pub.refs} (one per compound page of ${per} pfns)` : '';
}
