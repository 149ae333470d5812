import { initPlace } from '../../model/trace-events.js';
import type { InitWork } from '../../model/trace-events.js';
import { metric, type Metric } from './metric.js';

export interface PassTiming {
  readonly pass: number;
  readonly work: InitWork;
  readonly threads: number;
  readonly pages: number;
  readonly startNs: number;
  readonly endNs: number;
  /** mem_hotplug_lock mode held while it ran, or null. */
  readonly lockMode: 'write' | 'read' | null;
}

export interface NamespaceTiming {
  readonly name: string;
  readonly probeStartNs: number;
  /** End of the probe's write-locked part (mem_hotplug_done). */
  readonly lockedDoneNs: number | null;
  readonly lockWaitNs: number;
  readonly publishedNs: number | null;
  readonly availableNs: number | null;
  readonly passes: readonly PassTiming[];
  /** Distinct struct pages initialized (hosting + full passes). */
  readonly structPagesInitialized: number;
  /** All struct-page visits, redundant passes included. */
  readonly structPageVisits: number;
  /** pgmap references held at the end: gets minus puts. */
  readonly pgmapRefs: number;
}

/** Folds the trace into per-namespace timings, in probe order. */
export function namespaceTimings(): Metric<NamespaceTiming[]> {
  return metric(
    ['probe.start', 'lock.acquired', 'probe.locked-done', 'init.start', 'init.end', 'pages.init', 'namespace.published', 'namespace.available', 'pgmap.ref'],
    () => {
      type Acc = {
        -readonly [K in keyof NamespaceTiming]: K extends 'passes' ? PassTiming[] : NamespaceTiming[K];
      };
      const byNs = new Map<string, Acc>();
      const open = new Map<string, { pass: number; work: InitWork; threads: number; startNs: number; lockMode: 'write' | 'read' | null }>();
      return {
        next(e) {
          switch (e.type) {
            case 'probe.start':
              byNs.set(e.namespace, {
                name: e.namespace,
                probeStartNs: e.t,
                lockedDoneNs: null,
                lockWaitNs: 0,
                publishedNs: null,
                availableNs: null,
                passes: [],
                structPagesInitialized: 0,
                structPageVisits: 0,
                pgmapRefs: 0,
              });
              break;
            case 'lock.acquired': {
              const a = byNs.get(e.holder);
              if (a) a.lockWaitNs += e.waitNs;
              break;
            }
            case 'probe.locked-done': {
              const a = byNs.get(e.namespace);
              if (a) a.lockedDoneNs = e.t;
              break;
            }
            case 'init.start':
              open.set(`${e.namespace}|${e.pass}|${e.work}`, { pass: e.pass, work: e.work, threads: e.threads, startNs: e.t, lockMode: e.lockMode });
              break;
            case 'init.end': {
              const o = open.get(`${e.namespace}|${e.pass}|${e.work}`);
              const a = byNs.get(e.namespace);
              if (o && a) a.passes.push({ ...o, pages: e.pages, endNs: e.t });
              break;
            }
            case 'pages.init': {
              const a = byNs.get(initPlace(e));
              if (!a) break;
              // Compound pages write fewer struct pages than they cover (structPages).
              const written = e.structPages ?? e.endPfn - e.startPfn;
              a.structPageVisits += written;
              if (e.work !== 'pgmap') a.structPagesInitialized += written;
              break;
            }
            case 'namespace.published': {
              const a = byNs.get(e.namespace);
              if (a) a.publishedNs = e.t;
              break;
            }
            case 'pgmap.ref': {
              const a = byNs.get(e.namespace);
              if (a) a.pgmapRefs += e.count;
              break;
            }
            case 'namespace.available': {
              const a = byNs.get(e.namespace);
              if (a) a.availableNs = e.t;
              break;
            }
          }
        },
        result: () => [...byNs.values()],
      };
    },
  );
}
