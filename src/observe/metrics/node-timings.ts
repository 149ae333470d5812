import { metric, type Metric } from './metric.js';

export interface NodeTiming {
  readonly id: number;
  /** Duration of deferred_init_memmap ("node N deferred pages initialised in X ms"). */
  readonly deferredInitNs: number;
  readonly doneAtNs: number;
  readonly early: boolean;
  readonly pages: number;
  /** padata max_threads, and the most threads any of its jobs used (1 without a job: pgdatinit, or the boot CPU, alone). */
  readonly maxThreads: number;
  readonly threads: number;
  readonly jobs: number;
  readonly chunks: number;
  /** Usemap words written by two workers, and those written close enough in time to bounce. */
  readonly sharedUsemapWords: number;
  readonly bounces: number;
  readonly grow: { readonly pages: number; readonly irqsOffNs: number; readonly stopPfn: number } | null;
}

/** Folds the boot trace into per-node deferred-init figures, by node id. */
export function nodeTimings(): Metric<NodeTiming[]> {
  return metric(['deferred.start', 'deferred.end', 'padata.start', 'padata.chunk', 'usemap.shared', 'grow.end'], () => {
    const acc = new Map<number, { -readonly [K in keyof NodeTiming]: NodeTiming[K] }>();
    const get = (id: number) => {
      let a = acc.get(id);
      if (!a) {
        acc.set(
          id,
          (a = {
            id,
            deferredInitNs: 0,
            doneAtNs: 0,
            early: false,
            pages: 0,
            maxThreads: 0,
            threads: 0,
            jobs: 0,
            chunks: 0,
            sharedUsemapWords: 0,
            bounces: 0,
            grow: null,
          }),
        );
      }
      return a;
    };
    return {
      next(e) {
        switch (e.type) {
          case 'deferred.start': {
            const a = get(e.node);
            a.early = e.early;
            a.maxThreads = e.maxThreads;
            a.jobs = e.jobs;
            break;
          }
          case 'deferred.end': {
            const a = get(e.node);
            a.deferredInitNs = e.durationNs;
            a.doneAtNs = e.t;
            a.pages = e.pages;
            // No padata job (nothing deferred, or no-defer): the node's one thread did it all.
            a.threads = Math.max(1, a.threads);
            break;
          }
          case 'padata.start': {
            const a = get(e.node);
            if (!e.job.endsWith('/grow')) a.threads = Math.max(a.threads, e.nworks);
            break;
          }
          case 'padata.chunk':
            if (!e.job.endsWith('/grow')) get(e.node).chunks++;
            break;
          case 'usemap.shared': {
            const a = get(e.node);
            a.sharedUsemapWords++;
            if (e.bounce) a.bounces++;
            break;
          }
          case 'grow.end':
            get(e.node).grow = { pages: e.pages, irqsOffNs: e.irqsOffNs, stopPfn: e.stopPfn };
            break;
        }
      },
      result: () => [...acc.values()].sort((a, b) => a.id - b.id),
    };
  });
}
