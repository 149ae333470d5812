import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * A run of boot (early) sections of a node's deferred zone. Pages are data,
 * and so are sections: it counts the struct pages initialized in the run (not
 * per section, so a run of 500,000 sections costs what one does); it owns the sections'
 * usemaps (pageblock bits, 16 pageblocks to a 64-bit word) and notices when
 * two workers write one word close together in time, which bounces the cache
 * line between their cores (H13, seed 004).
 */
export interface UsemapWrite {
  readonly worker: string;
  readonly firstNs: number;
  readonly lastNs: number;
}

export interface BootSectionContext {
  readonly env: SimEnv;
  readonly node: number;
  readonly actorId: string;
  readonly firstSection: number;
  readonly lastSection: number;
  /** Struct pages initialized in these sections so far. */
  readonly initialized: number;
  /** Usemap words written at a step's edge (interior words have one writer): word id -> last write. */
  readonly edgeWords: ReadonlyMap<number, UsemapWrite>;
  readonly bounces: number;
}

export type BootSectionEvent = {
  type: 'PAGEBLOCKS';
  worker: string;
  startPfn: number;
  endPfn: number;
  /** When the worker started and finished this step: pageblock writes are spread evenly over it. */
  startNs: number;
  endNs: number;
  /** The writing thread, charged bounceNs per bounce. */
  writer?: AnyActorRef;
};

export interface BootSectionInput {
  env: SimEnv;
  node: number;
  actorId: string;
  firstSection: number;
  lastSection: number;
}

export const bootSectionMachine = setup({
  types: { context: {} as BootSectionContext, events: {} as BootSectionEvent, input: {} as BootSectionInput },
  actions: {
    record: enqueueActions(({ context, event, enqueue }) => {
      const { env } = context;
      const d = env.scenario.derived;
      const pps = d.pagesPerSection;
      const initialized =
        context.initialized + Math.max(0, Math.min(event.endPfn, (context.lastSection + 1) * pps) - Math.max(event.startPfn, context.firstSection * pps));
      // Pageblocks whose first pfn lies in the step get their migratetype set by this worker.
      const pb = d.pageblockNrPages;
      const firstPb = Math.ceil(event.startPfn / pb);
      const lastPb = Math.ceil(event.endPfn / pb) - 1;
      if (lastPb < firstPb) {
        enqueue.assign({ initialized });
        return;
      }
      const perWord = d.pageblocksPerUsemapWord;
      const pbPerSection = pps / pb;
      // Usemaps are per section: word = section * words-per-section + index within the section.
      const wordOf = (pbIndex: number) =>
        Math.floor(pbIndex / pbPerSection) * Math.ceil(pbPerSection / perWord) + Math.floor((pbIndex % pbPerSection) / perWord);
      const span = Math.max(1, event.endPfn - event.startPfn);
      const at = (pfn: number) => event.startNs + ((event.endNs - event.startNs) * (pfn - event.startPfn)) / span;
      // The map belongs to this actor alone, so it is updated in place: copying
      // it on every step made a node of 10,000 ranges quadratic.
      const edgeWords = context.edgeWords as Map<number, UsemapWrite>;
      let bounces = context.bounces;
      const window = env.scenario.costs.bounceWindowNs;
      for (const w of new Set([wordOf(firstPb), wordOf(lastPb)])) {
        const lo = Math.max(firstPb, firstPbOfWord(w, pbPerSection, perWord));
        const hi = Math.min(lastPb, lastPbOfWord(w, pbPerSection, perWord));
        const mine: UsemapWrite = { worker: event.worker, firstNs: at(lo * pb), lastNs: at(hi * pb) };
        const other = edgeWords.get(w);
        if (other && other.worker !== mine.worker) {
          const gap = Math.max(0, Math.max(mine.firstNs, other.firstNs) - Math.min(mine.lastNs, other.lastNs));
          const bounce = gap < window;
          if (bounce) {
            bounces++;
            if (event.writer) enqueue.sendTo(event.writer, { type: 'BOUNCE', ns: env.scenario.costs.bounceNs });
          }
          env.emit({
            type: 'usemap.shared',
            t: env.clock.now(),
            node: context.node,
            section: Math.floor(lo / pbPerSection),
            word: w,
            workers: [other.worker, mine.worker],
            gapNs: gap,
            bounce,
          });
        }
        edgeWords.set(w, mine);
      }
      enqueue.assign({ initialized, bounces });
    }),
  },
}).createMachine({
  id: 'bootSection',
  context: ({ input }) => ({
    ...input,
    initialized: 0,
    edgeWords: new Map(),
    bounces: 0,
  }),
  initial: 'deferred',
  states: { deferred: { on: { PAGEBLOCKS: { actions: 'record' } } } },
});

function firstPbOfWord(word: number, pbPerSection: number, perWord: number): number {
  const wordsPerSection = Math.ceil(pbPerSection / perWord);
  return Math.floor(word / wordsPerSection) * pbPerSection + (word % wordsPerSection) * perWord;
}

function lastPbOfWord(word: number, pbPerSection: number, perWord: number): number {
  return Math.min(firstPbOfWord(word, pbPerSection, perWord) + perWord, Math.floor(word / Math.ceil(pbPerSection / perWord) + 1) * pbPerSection) - 1;
}
