import { growStopPfn, jobsFrom, type DeferredJob, type NodeBootLayout } from '../../src/model/boot-layout.js';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';

/**
 * deferred_init_memmap's own steps for one node, pure: the section runs of
 * the deferred zone, deferred_grow_zone's stop pfn and the jobs left after
 * it, and the trace of the claim of first_deferred_pfn and of the end
 * ("node N deferred pages initialised in Xms").
 */
export interface SectionRun extends PfnRange {
  readonly actorId: string;
  readonly firstSection: number;
  readonly lastSection: number;
}

/** Boot section actors per deferred zone, at most. */
export const MAX_BOOT_SECTION_ACTORS = 64;

export const zoneIdOf = (layout: NodeBootLayout) => `node${layout.node}/${layout.deferredZone}`;

/** The deferred zone's sections, from first_deferred_pfn's to the last free pfn's, cut into at most 64 runs. */
export function sectionRuns(layout: NodeBootLayout, pagesPerSection: number, sectionsPerActor?: number): SectionRun[] {
  const first = layout.firstDeferredPfn;
  if (first === null || layout.free.length === 0) return [];
  const zone = zoneIdOf(layout);
  const lo = Math.floor(first / pagesPerSection);
  const hi = Math.floor((layout.free.at(-1)!.endPfn - 1) / pagesPerSection);
  const per = sectionsPerActor ?? Math.max(1, Math.ceil((hi - lo + 1) / MAX_BOOT_SECTION_ACTORS));
  const runs: SectionRun[] = [];
  for (let s = lo; s <= hi; s += per) {
    const last = Math.min(hi, s + per - 1);
    const actorId = s === last ? `${zone}/s${s}` : `${zone}/s${s}-${last}`;
    runs.push({ actorId, firstSection: s, lastSection: last, startPfn: s * pagesPerSection, endPfn: (last + 1) * pagesPerSection });
  }
  return runs;
}

const pagesOf = (ranges: readonly PfnRange[]) => ranges.reduce((a, f) => a + f.endPfn - f.startPfn, 0);
export const deferredPagesOf = (jobs: readonly DeferredJob[]) => jobs.reduce((a, j) => a + pagesOf(j.free), 0);

export interface GrowPlan {
  readonly stopPfn: number;
  /** The one inline job deferred_grow_zone runs. */
  readonly range: PfnRange;
  readonly free: readonly PfnRange[];
  readonly trace: readonly TraceEvent[];
}

/** deferred_grow_zone: from first_deferred_pfn, at least `pages` free pages, to where growStop says it stops. */
export function growZone(layout: NodeBootLayout, pages: number, pagesPerSection: number, growStop: BootStrategy['growStop'], nowNs: number): GrowPlan {
  const first = layout.firstDeferredPfn!;
  const stopPfn = growStopPfn(layout.free, first, pages, pagesPerSection, growStop);
  const free = layout.free.map((f) => ({ startPfn: Math.max(f.startPfn, first), endPfn: Math.min(f.endPfn, stopPfn) })).filter((f) => f.startPfn < f.endPfn);
  const trace: TraceEvent[] = [{ type: 'grow.start', t: nowNs, node: layout.node, pages, firstDeferredPfn: first }];
  return { stopPfn, range: { startPfn: first, endPfn: stopPfn }, free, trace };
}

/** The zone grown: the pages it took with IRQs off, and the jobs deferred init has left from the stop pfn on. */
export function zoneGrown(layout: NodeBootLayout, stopPfn: number, startedAtNs: number, pagesPerSection: number, nowNs: number) {
  const first = layout.firstDeferredPfn!;
  const pages = layout.free.reduce((a, f) => a + Math.max(0, Math.min(f.endPfn, stopPfn) - Math.max(f.startPfn, first)), 0);
  const trace: TraceEvent[] = [{ type: 'grow.end', t: nowNs, node: layout.node, stopPfn, pages, irqsOffNs: nowNs - startedAtNs }];
  return { jobs: jobsFrom(layout.free, stopPfn, pagesPerSection), trace };
}

export interface ClaimParams {
  readonly maxThreads: number;
  readonly early: boolean;
  readonly nowNs: number;
}

/** first_deferred_pfn claimed under pgdat_resize_lock: what deferred init is about to do. */
export function claimDeferred(layout: NodeBootLayout, jobs: readonly DeferredJob[], p: ClaimParams): TraceEvent {
  const firstDeferredPfn = jobs[0]?.startPfn ?? layout.firstDeferredPfn ?? 0;
  return {
    type: 'deferred.start',
    t: p.nowNs,
    node: layout.node,
    firstDeferredPfn,
    pages: deferredPagesOf(jobs),
    jobs: jobs.length,
    maxThreads: p.maxThreads,
    early: p.early,
  };
}

export interface DeferredEnd {
  readonly node: number;
  readonly pages: number;
  readonly durationNs: number;
}

/** "node N deferred pages initialised in Xms". */
export function deferredEnd(
  layout: NodeBootLayout,
  jobs: readonly DeferredJob[],
  startedAtNs: number,
  nowNs: number,
): { output: DeferredEnd; trace: TraceEvent } {
  const output = { node: layout.node, pages: deferredPagesOf(jobs), durationNs: nowNs - startedAtNs };
  return { output, trace: { type: 'deferred.end', t: nowNs, ...output } };
}
