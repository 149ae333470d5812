import { pfnHex } from '../../model/pfn-hex.js';
import { initPlace } from '../../model/trace-events.js';
import type { TraceEvent, TraceOf } from '../../model/trace-events.js';
import { checker, type Checker } from '../issues.js';

/**
 * A probe that failed (vmemmap population ran out of memory) leaves nothing
 * behind and nothing reachable:
 * - I8 `vmemmap-leak`: every vmemmap data and page-table page it populated is freed;
 * - I8 `section-leak`: every section it activated is deactivated;
 * - I4 `zone-span-not-restored`: the zone span does not keep its range;
 * - I4 `lock-not-released`: mem_hotplug_lock is released;
 * - I1 `failed-probe-reachable`: none of its struct pages is initialized,
 *   published, referenced or touched after the failure (half-initialized
 *   pages must not be reachable).
 */
export function probeUnwind(): Checker {
  return checker(
    [
      'probe.failed',
      'vmemmap.populate',
      'vmemmap.depopulate',
      'zone.resize',
      'lock.acquired',
      'lock.released',
      'pages.init',
      'namespace.published',
      'dax.access',
      'pgmap.ref',
    ],
    () => {
      const failed = new Map<string, TraceOf<'probe.failed'>>();
      const live = new Map<string, { data: number; pt: number; sections: number; last: TraceEvent | null }>();
      const resized = new Map<string, TraceOf<'zone.resize'>>();
      const held = new Map<string, TraceOf<'lock.acquired'>>();
      const liveOf = (ns: string) => {
        let l = live.get(ns);
        if (!l) live.set(ns, (l = { data: 0, pt: 0, sections: 0, last: null }));
        return l;
      };
      return {
        next(e, report) {
          switch (e.type) {
            case 'probe.failed':
              failed.set(e.namespace, e);
              return;
            case 'vmemmap.populate': {
              const l = liveOf(e.namespace);
              l.data += e.dataPages;
              l.pt += e.pageTablePages;
              l.sections += e.lastSection - e.firstSection + 1;
              l.last = e;
              return;
            }
            case 'vmemmap.depopulate': {
              const l = liveOf(e.namespace);
              l.data -= e.dataPages;
              l.pt -= e.pageTablePages;
              l.sections -= e.sections;
              l.last = e;
              return;
            }
            case 'zone.resize':
              resized.set(e.by, e);
              return;
            case 'lock.acquired':
              held.set(e.holder, e);
              return;
            case 'lock.released':
              held.delete(e.holder);
              return;
            case 'pages.init':
            case 'namespace.published':
            case 'dax.access':
            case 'pgmap.ref': {
              const place = e.type === 'pages.init' ? initPlace(e) : e.namespace;
              const f = failed.get(place);
              if (!f) return;
              const pfns: [number, number] | undefined =
                e.type === 'pages.init' ? [e.startPfn, e.endPfn] : e.type === 'dax.access' ? [e.pfn, e.pfn + 1] : undefined;
              report({
                severity: 'violation',
                invariant: 'I1',
                kind: 'failed-probe-reachable',
                place,
                atNs: e.t,
                message: `${place}: ${e.type} after its probe failed (${f.reason}): its memmap is gone or half-initialized`,
                ...(pfns ? { pfns } : {}),
                history: [f, e],
              });
            }
          }
        },
        complete(report) {
          for (const [ns, f] of failed) {
            const l = live.get(ns);
            if (l && (l.data !== 0 || l.pt !== 0)) {
              report({
                severity: 'violation',
                invariant: 'I8',
                kind: 'vmemmap-leak',
                place: ns,
                atNs: f.t,
                message: `${ns}: its probe failed but ${l.data} vmemmap data pages and ${l.pt} page-table pages are still populated`,
                pages: l.data + l.pt,
                history: l.last ? [f, l.last] : [f],
              });
            }
            if (l && l.sections !== 0) {
              report({
                severity: 'violation',
                invariant: 'I8',
                kind: 'section-leak',
                place: ns,
                atNs: f.t,
                message: `${ns}: its probe failed but ${l.sections} sections are still active`,
                history: l.last ? [f, l.last] : [f],
              });
            }
            const r = resized.get(ns);
            if (r) {
              report({
                severity: 'violation',
                invariant: 'I4',
                kind: 'zone-span-not-restored',
                place: r.zone,
                atNs: r.t,
                message: `${r.zone}: its span still includes ${ns} (pfns ${pfnHex(r.startPfn)}..${pfnHex(r.endPfn - 1)}), whose probe failed`,
                pfns: [r.startPfn, r.endPfn],
                history: [r, f],
              });
            }
            const h = held.get(ns);
            if (h) {
              report({
                severity: 'violation',
                invariant: 'I4',
                kind: 'lock-not-released',
                place: h.lock,
                atNs: h.t,
                message: `${h.lock}: still held (${h.mode}) by ${ns}, whose probe failed`,
                history: [h, f],
              });
            }
          }
        },
      };
    },
  );
}
