import { X86_64, type KernelConstants } from '../../model/constants.js';
import { namespaceVmemmapPages } from '../../model/namespace-vmemmap.js';
import type { TraceOf } from '../../model/trace-events.js';
import { checker, type Checker } from '../issues.js';

/**
 * I8 `vmemmap-mismatch`: when a namespace is published, the vmemmap its
 * section actors hold (data pages and page-table pages populated, minus any
 * freed) equals the closed-form geometry of its size (model/namespace-vmemmap.ts).
 * Catches a section populated twice or skipped, or an accounting slip in an
 * unwinding. Failed probes are probe-unwind's.
 */
export function vmemmapBytes(constants: KernelConstants = X86_64): Checker {
  return checker(['probe.start', 'vmemmap.populate', 'vmemmap.depopulate', 'namespace.published'], () => {
    const probes = new Map<string, TraceOf<'probe.start'>>();
    const live = new Map<string, { data: number; pt: number; last: TraceOf<'vmemmap.populate'> | null; early: number[] }>();
    return {
      next(e, report) {
        if (e.type === 'probe.start') probes.set(e.namespace, e);
        else if (e.type === 'vmemmap.populate' || e.type === 'vmemmap.depopulate') {
          let l = live.get(e.namespace);
          if (!l) live.set(e.namespace, (l = { data: 0, pt: 0, last: null, early: [] }));
          const sign = e.type === 'vmemmap.populate' ? 1 : -1;
          l.data += sign * e.dataPages;
          l.pt += sign * e.pageTablePages;
          if (e.type === 'vmemmap.populate') {
            l.last = e;
            l.early.push(...e.earlySections);
          }
        } else if (e.type === 'namespace.published') {
          const probe = probes.get(e.namespace);
          const l = live.get(e.namespace);
          if (!probe || !l?.last) return;
          const want = namespaceVmemmapPages({
            startPfn: probe.startPfn,
            endPfn: probe.endPfn,
            altmap: l.last.altmap,
            compoundPfns: l.last.compoundPfns,
            earlySections: l.early,
            pmdFails: l.last.pmdFails === true,
            constants,
          });
          if (want.dataPages === l.data && want.pageTablePages === l.pt) return;
          report({
            severity: 'violation',
            invariant: 'I8',
            kind: 'vmemmap-mismatch',
            place: e.namespace,
            atNs: e.t,
            message: `${e.namespace}: its sections hold ${l.data} vmemmap data pages and ${l.pt} page-table pages; the geometry says ${want.dataPages} and ${want.pageTablePages}`,
            pfns: [probe.startPfn, probe.endPfn],
            pages: l.data + l.pt - want.dataPages - want.pageTablePages,
            history: [probe, l.last, e],
          });
        }
      },
    };
  });
}
