import { pfnHex } from '../../model/pfn-hex.js';
import { initPlace } from '../../model/trace-events.js';
import type { TraceOf } from '../../model/trace-events.js';
import { IntervalSet } from '../../sim/interval-set.js';
import { checker, type Checker } from '../issues.js';

/**
 * I3: every struct page of a namespace is initialized exactly once per pass.
 * Twice in one pass is a violation; a page never initialized by a published
 * namespace is a violation; a whole second pass (the pre-4.20 pgmap loop) is a
 * finding that carries its cost.
 */
const MAX_STEPS_KEPT = 16384;

export function initOnce(): Checker {
  return checker(['probe.start', 'namespace.published', 'init.start', 'init.end', 'pages.init'], () => {
    const probes = new Map<string, TraceOf<'probe.start'>>();
    const passes = new Map<string, { set: IntervalSet; last: TraceOf<'pages.init'>[] }>();
    const initStarts = new Map<string, TraceOf<'init.start'>>();
    const published = new Set<string>();
    return {
      next(e, report) {
        if (e.type === 'probe.start') probes.set(e.namespace, e);
        else if (e.type === 'namespace.published') published.add(e.namespace);
        else if (e.type === 'init.start') initStarts.set(`${e.namespace}|${e.pass}`, e);
        else if (e.type === 'init.end' && e.pass > 1) {
          const start = initStarts.get(`${e.namespace}|${e.pass}`);
          report({
            severity: 'finding',
            invariant: 'I3',
            kind: 'redundant-pass',
            place: e.namespace,
            atNs: e.t,
            message: `${e.namespace}: pass ${e.pass} (${e.work}) revisits ${e.pages} struct pages already initialized, costing ${((e.t - (start?.t ?? e.t)) / 1e6).toFixed(1)} ms`,
            pages: e.pages,
            costNs: e.t - (start?.t ?? e.t),
            history: start ? [start, e] : [e],
          });
        } else if (e.type === 'pages.init') {
          // Hosting and full init make up pass 1 together: one page set.
          const key = `${initPlace(e)}|${e.work === 'pgmap' ? `p${e.pass}` : e.pass}`;
          let p = passes.get(key);
          if (!p) passes.set(key, (p = { set: new IntervalSet(), last: [] }));
          for (const [s, t] of p.set.overlap(e.startPfn, e.endPfn)) {
            const earlier = p.last.find((x) => x.startPfn < t && s < x.endPfn);
            report({
              severity: 'violation',
              invariant: 'I3',
              kind: 'double-init',
              place: initPlace(e),
              atNs: e.t,
              message: `${initPlace(e)}: pfns ${pfnHex(s)}..${pfnHex(t - 1)} initialized twice in pass ${e.pass} (by ${e.worker})`,
              pfns: [s, t],
              actors: earlier ? [earlier.worker, e.worker] : [e.worker],
              history: earlier ? [earlier, e] : [e],
            });
          }
          p.set.add(e.startPfn, e.endPfn);
          // Kept to name the first initializer: a run has a few hundred steps, and
          // a double init may meet a step of the run's first moments.
          p.last.push(e);
          if (p.last.length > MAX_STEPS_KEPT) p.last.shift();
        }
      },
      complete(report) {
        for (const ns of published) {
          const probe = probes.get(ns);
          const p = passes.get(`${ns}|1`);
          if (!probe) continue;
          const gaps = p ? p.set.gaps(probe.startPfn, probe.endPfn) : [[probe.startPfn, probe.endPfn] as [number, number]];
          for (const [s, t] of gaps) {
            report({
              severity: 'violation',
              invariant: 'I3',
              kind: 'missed-pages',
              place: ns,
              atNs: probe.t,
              message: `${ns}: pfns ${pfnHex(s)}..${pfnHex(t - 1)} (${t - s} struct pages) were never initialized`,
              pfns: [s, t],
              history: [probe],
            });
          }
        }
      },
    };
  });
}
