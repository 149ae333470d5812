import { metric, type Metric } from './metric.js';

export interface VmemmapUsage {
  /** Vmemmap data pages populated and still live at the end of the run. */
  readonly dataPages: number;
  /** PTE-table pages populated and still live. */
  readonly pageTablePages: number;
  /** The probe failed (vmemmap population ran out of memory), or null. */
  readonly failed: { readonly reason: string; readonly atNs: number } | null;
}

/** Folds vmemmap population, unwinding and probe failures into per-namespace usage. */
export function vmemmapUsage(): Metric<Map<string, VmemmapUsage>> {
  return metric(['vmemmap.populate', 'vmemmap.depopulate', 'probe.failed'], () => {
    const byNs = new Map<string, { dataPages: number; pageTablePages: number; failed: VmemmapUsage['failed'] }>();
    const of = (ns: string) => {
      let u = byNs.get(ns);
      if (!u) byNs.set(ns, (u = { dataPages: 0, pageTablePages: 0, failed: null }));
      return u;
    };
    return {
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
      result: () => byNs,
    };
  });
}
