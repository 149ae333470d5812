import type { AnyActorRef } from 'xstate';
import { intersect } from '../../src/model/boot-layout.js';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import { maxorderReach } from '../../src/model/maxorder.js';
import type { PfnRange, ResolvedScenario } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { Message } from '../shared/step.js';

/**
 * deferred_init_memmap_chunk for one thread of a padata job, pure: a chunk
 * cut into steps (what a thread does between two looks at the clock), the
 * flow a step puts on the node's DRAM channel, and what the thread reports
 * when a step ends. The thread itself (its CPU, flows and states) is the
 * CPU thread of machines/shared/cpu-thread.ts, which probe threads share.
 */
export interface SectionRunRef extends PfnRange {
  readonly ref: AnyActorRef;
}

/**
 * The free pieces of a run of max-order blocks, in order. Every free piece of
 * one max-order block is in the same step, because deferred_init_maxorder
 * initializes all of them before it frees any.
 */
export interface InitStep extends PfnRange {
  readonly ranges: readonly PfnRange[];
  readonly pages: number;
  readonly section: AnyActorRef;
  readonly bytesPerPage: number;
}

/** What a boot thread's work is: chunks of its job's range, grabbed one after another. */
export interface BootWork {
  readonly kind: 'boot';
  readonly node: number;
  readonly job: AnyActorRef;
  readonly free: readonly PfnRange[];
  readonly sections: readonly SectionRunRef[];
  readonly buddy: AnyActorRef;
  readonly freeOrder: BootStrategy['freeOrder'];
}

export interface ChunkGeometry {
  readonly free: readonly PfnRange[];
  readonly sections: readonly SectionRunRef[];
  readonly freeOrder: BootStrategy['freeOrder'];
  readonly structPageBytes: number;
  readonly maxOrderNrPages: number;
  readonly l2Bytes: number;
}

/** A chunk's free pieces per section actor; a leading partial max-order block is a piece of its own. */
function piecesOf(g: ChunkGeometry, chunk: PfnRange): { range: PfnRange; section: AnyActorRef }[] {
  const mo = g.maxOrderNrPages;
  const reach = g.freeOrder === 'maxorder' ? maxorderReach(g.free, chunk, mo) : chunk;
  const parts: { range: PfnRange; section: AnyActorRef }[] = [];
  for (const f of g.free) {
    const piece = intersect(f, reach);
    if (!piece) continue;
    for (const s of g.sections) {
      const part = intersect(piece, s);
      if (!part) continue;
      // Its own step, so its free happens (and is checked) at the start of the chunk, where the kernel does it.
      const aligned = Math.ceil(part.startPfn / mo) * mo;
      if (aligned > part.startPfn && aligned < part.endPfn) {
        parts.push({ range: { startPfn: part.startPfn, endPfn: aligned }, section: s.ref });
        parts.push({ range: { startPfn: aligned, endPfn: part.endPfn }, section: s.ref });
      } else parts.push({ range: part, section: s.ref });
    }
  }
  return parts;
}

export function stepsOf(g: ChunkGeometry, chunk: PfnRange): InitStep[] {
  const mo = g.maxOrderNrPages;
  const bpp = g.structPageBytes;
  // Initializing a whole chunk before freeing it re-reads a memmap that no longer fits in L2.
  const bytesPerPage = g.freeOrder === 'chunk' && (chunk.endPfn - chunk.startPfn) * bpp > g.l2Bytes ? 2 * bpp : bpp;
  const out: InitStep[] = [];
  for (const { range, section } of piecesOf(g, chunk)) {
    const last = out.at(-1);
    // Same max-order block as the end of the previous step: one deferred_init_maxorder call.
    if (last && last.section === section && Math.floor((last.endPfn - 1) / mo) === Math.floor(range.startPfn / mo)) {
      out[out.length - 1] = { ...last, endPfn: range.endPfn, ranges: [...last.ranges, range], pages: last.pages + range.endPfn - range.startPfn };
    } else out.push({ ...range, ranges: [range], pages: range.endPfn - range.startPfn, section, bytesPerPage });
  }
  return out;
}

/** A chunk grabbed: its steps, cut by the run's geometry. */
export function bootChunk(w: BootWork, chunk: PfnRange, sc: ResolvedScenario): InitStep[] {
  const geometry = {
    free: w.free,
    sections: w.sections,
    freeOrder: w.freeOrder,
    structPageBytes: sc.constants.structPageBytes,
    maxOrderNrPages: sc.derived.maxOrderNrPages,
    l2Bytes: sc.costs.l2Bytes,
  };
  return stepsOf(geometry, chunk);
}

/** A step's rate cap on the channel: this CPU's struct-page stores per ns, at its SMT speed. */
export const capOf = (step: InitStep, speed: number, pageInitNs: number): number => (step.bytesPerPage / pageInitNs) * speed;

/** A step's flow: its bytes on the channel (before jitter) and its cap at speed 1 (capOf). */
export const bootFlow = (step: InitStep, sc: ResolvedScenario) => ({
  bytes: step.pages * step.bytesPerPage,
  capPerSpeed: step.bytesPerPage / sc.costs.pageInitNs,
});

export interface StepEnd {
  readonly worker: string;
  readonly node: number;
  readonly writer: AnyActorRef;
  readonly buddy: AnyActorRef;
  readonly freeOrder: BootStrategy['freeOrder'];
  readonly startedAtNs: number;
  readonly nowNs: number;
}

/** A step done: its pages traced as initialized, freed to the buddy, their pageblocks set in the section. */
export function endStep(step: InitStep, end: StepEnd): { trace: TraceEvent[]; send: Message[] } {
  const trace: TraceEvent[] = step.ranges.map((r) => ({
    type: 'pages.init',
    t: end.nowNs,
    node: end.node,
    worker: end.worker,
    pass: 1,
    work: 'full',
    startPfn: r.startPfn,
    endPfn: r.endPfn,
    startedAt: end.startedAtNs,
  }));
  const freed: Message = { to: end.buddy, event: { type: 'PAGES_FREED', worker: end.worker, ranges: step.ranges, freeOrder: end.freeOrder } };
  const pageblocks = step.ranges.map((r): Message => ({
    to: step.section,
    event: { type: 'PAGEBLOCKS', worker: end.worker, startPfn: r.startPfn, endPfn: r.endPfn, startNs: end.startedAtNs, endNs: end.nowNs, writer: end.writer },
  }));
  return { trace, send: [freed, ...pageblocks] };
}

/** A step's end for the CPU thread: endStep, and the pages it counts. */
export function bootStepEnd(
  w: BootWork,
  step: InitStep,
  e: { readonly worker: string; readonly writer: AnyActorRef; readonly startedAtNs: number; readonly nowNs: number },
): { pages: number; trace: TraceEvent[]; send: Message[] } {
  const { trace, send } = endStep(step, { ...e, node: w.node, buddy: w.buddy, freeOrder: w.freeOrder });
  return { pages: step.pages, trace, send };
}
