import { Observable, type OperatorFunction } from 'rxjs';
import type { TraceEvent } from '../../model/trace-events.js';

export interface VmemmapUsage {
  /** Vmemmap data pages populated and still live at the end of the run. */
  readonly dataPages: number;
  /** PTE-table pages populated and still live. */
  readonly pageTablePages: number;
  /** The probe failed (vmemmap population ran out of memory), or null. */
  readonly failed: { readonly reason: string; readonly atNs: number } | null;
}

/** Folds vmemmap population, unwinding and probe failures into per-namespace usage. */
export function vmemmapUsage(): OperatorFunction<TraceEvent, Map<string, VmemmapUsage>> {
  return (source) =>
    new Observable((sub) => {
      const byNs = new Map<string, { dataPages: number; pageTablePages: number; failed: VmemmapUsage['failed'] }>();
      const of = (ns: string) => {
        let u = byNs.get(ns);
        if (!u) byNs.set(ns, (u = { dataPages: 0, pageTablePages: 0, failed: null }));
        return u;
      };
      return source.subscribe({
        next(e) {
          if (e.type === 'vmemmap.populate' || e.type === 'vmemmap.depopulate') {
            const u = of(e.namespace);
            const sign = e.type === 'vmemmap.populate' ? 1 : -1;
            u.dataPages += sign * e.dataPages;
            u.pageTablePages += sign * e.pageTablePages;
          } else if (e.type === 'probe.failed') {
            of(e.namespace).failed = { reason: e.reason, atNs: e.t };
          }
        },
        error: (err) => sub.error(err),
        complete() {
          sub.next(byNs);
          sub.complete();
        },
      });
    });
}
