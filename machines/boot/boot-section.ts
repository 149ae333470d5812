import type { AnyActorRef } from 'xstate';
import { PfnMap } from '../../src/model/pfn-map.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { Message, StepResult } from '../shared/step.js';

/**
 * Pageblock migratetypes set by deferred init in a run of sections, pure.
 * A section's usemap packs 16 pageblocks into a 64-bit word; a step sets the
 * pageblocks whose first pfn it covers. Interior words have one writer; a
 * word at a step's edge may be shared with the thread next to it (false
 * sharing), and when both write it close together in time the cache line
 * bounces between their cores (H13, seed 004): the writer is charged.
 */
export interface UsemapWrite {
  readonly worker: string;
  readonly firstNs: number;
  readonly lastNs: number;
}

export interface BootSectionState {
  /** Usemap words written at a step's edge: word id -> its last write. */
  readonly edgeWords: PfnMap<UsemapWrite>;
}

export const NO_EDGE_WORDS: BootSectionState = { edgeWords: PfnMap.empty() };

export interface PageblocksWrite {
  readonly worker: string;
  readonly startPfn: number;
  readonly endPfn: number;
  /** When the worker started and finished this step: pageblock writes are spread evenly over it. */
  readonly startNs: number;
  readonly endNs: number;
  /** The writing thread, charged bounceNs per bounce. */
  readonly writer?: AnyActorRef;
}

export interface UsemapGeometry {
  readonly pagesPerSection: number;
  readonly pageblockNrPages: number;
  readonly pageblocksPerUsemapWord: number;
}

export interface UsemapParams extends UsemapGeometry {
  readonly node: number;
  readonly bounceWindowNs: number;
  readonly bounceNs: number;
  readonly nowNs: number;
}

export function writePageblocks(state: BootSectionState, write: PageblocksWrite, params: UsemapParams): StepResult<BootSectionState> {
  const pb = params.pageblockNrPages;
  const firstPb = Math.ceil(write.startPfn / pb);
  const lastPb = Math.ceil(write.endPfn / pb) - 1;
  if (lastPb < firstPb) return { state, trace: [], send: [] };
  const span = Math.max(1, write.endPfn - write.startPfn);
  const at = (pfn: number) => write.startNs + ((write.endNs - write.startNs) * (pfn - write.startPfn)) / span;
  let { edgeWords } = state;
  const trace: TraceEvent[] = [];
  const send: Message[] = [];
  for (const w of new Set([wordOf(firstPb, params), wordOf(lastPb, params)])) {
    const lo = Math.max(firstPb, firstPbOfWord(w, params));
    const hi = Math.min(lastPb, lastPbOfWord(w, params));
    const mine: UsemapWrite = { worker: write.worker, firstNs: at(lo * pb), lastNs: at(hi * pb) };
    const other = edgeWords.get(w);
    if (other && other.worker !== mine.worker) {
      const gap = Math.max(0, Math.max(mine.firstNs, other.firstNs) - Math.min(mine.lastNs, other.lastNs));
      const bounce = gap < params.bounceWindowNs;
      if (bounce && write.writer) send.push({ to: write.writer, event: { type: 'BOUNCE', stallNs: params.bounceNs } });
      const section = Math.floor(lo / pageblocksPerSection(params));
      trace.push({ type: 'usemap.shared', t: params.nowNs, node: params.node, section, word: w, workers: [other.worker, mine.worker], gapNs: gap, bounce });
    }
    edgeWords = edgeWords.set(w, mine);
  }
  return { state: { edgeWords }, trace, send };
}

const pageblocksPerSection = (g: UsemapGeometry) => g.pagesPerSection / g.pageblockNrPages;
const wordsPerSection = (g: UsemapGeometry) => Math.ceil(pageblocksPerSection(g) / g.pageblocksPerUsemapWord);

/** Usemaps are per section: word = section * words-per-section + index within the section. */
export function wordOf(pageblock: number, g: UsemapGeometry): number {
  const perSection = pageblocksPerSection(g);
  return Math.floor(pageblock / perSection) * wordsPerSection(g) + Math.floor((pageblock % perSection) / g.pageblocksPerUsemapWord);
}

function firstPbOfWord(word: number, g: UsemapGeometry): number {
  return Math.floor(word / wordsPerSection(g)) * pageblocksPerSection(g) + (word % wordsPerSection(g)) * g.pageblocksPerUsemapWord;
}

function lastPbOfWord(word: number, g: UsemapGeometry): number {
  return Math.min(firstPbOfWord(word, g) + g.pageblocksPerUsemapWord, Math.floor(word / wordsPerSection(g) + 1) * pageblocksPerSection(g)) - 1;
}
