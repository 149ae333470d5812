import { headsIn, pageblocksIn, structPagesIn, visitedPageblocksIn } from '../../src/model/compound-init.js';
import type { PfnRange, ResolvedNamespace, ResolvedScenario } from '../../src/model/scenario.js';
import type { ProbeStep } from '../../src/model/strategies.js';
import type { InitWork } from '../../src/model/trace-events.js';
import { compoundNrPages } from '../../src/model/vmemmap-geometry.js';
import type { WorkStep } from './worker.js';
import { cutAt, cutAtPfns, splitBySection, splitEqual } from './work-split.js';

/**
 * What one init step of a probe does: which pfns, split among how many
 * workers, and for each worker the steps it walks (one per section actor)
 * with the struct pages each really writes. Base pages keep the seed-000
 * shape (every pfn one struct page, no cost override); compound pages follow
 * memmap_init_zone_device + memmap_init_compound (kernel-facts.md §2.4).
 */
export interface InitPlan {
  readonly work: InitWork;
  readonly pass: number;
  readonly range: PfnRange;
  readonly refPerPage: boolean;
  /** One entry per worker: its range and its steps. */
  readonly workers: readonly { readonly range: PfnRange; readonly steps: readonly WorkStep[] }[];
}

type InitStep = Extract<ProbeStep, { kind: 'init' }>;
type Section = PfnRange & { readonly ref: WorkStep['section'] };

export function initPlan(step: ProbeStep, ns: ResolvedNamespace, sc: ResolvedScenario, threads: number, sections: readonly Section[]): InitPlan {
  const pps = sc.derived.pagesPerSection;
  if (step.kind === 'init-hosting') {
    // memmap_init_range over the pfns hosting the memmap: base pages, one thread.
    const range = { startPfn: ns.startPfn, endPfn: ns.dataStartPfn };
    const workers = splitEqual(range, 1).map((r) => ({ range: r, steps: baseSteps(r, sections, 'range') }));
    return { work: 'hosting', pass: 1, range, refPerPage: false, workers };
  }
  if (step.kind !== 'init') throw new Error(`not an init step: ${step.kind}`);
  const range = { startPfn: ns.dataStartPfn, endPfn: ns.endPfn };
  const n = step.threads === 'one' ? 1 : threads;
  const compound = ns.compoundPfns;
  const ranges =
    step.split === 'equal' ? splitEqual(range, n, compound) : splitBySection(range, n, pps, step.split === 'section' ? Math.max(pps, compound) : pps);
  const pageblocks = step.work === 'pgmap' ? null : (step.pageblocks ?? 'range');
  const workers = ranges.map((r) => ({
    range: r,
    steps: compound === 1 ? baseSteps(r, sections, pageblocks) : compoundSteps(r, step, ns, sc, sections, pageblocks),
  }));
  return { work: step.work, pass: step.pass, range, refPerPage: step.refPerPage, workers };
}

function baseSteps(range: PfnRange, sections: readonly Section[], pageblocks: 'range' | 'visited' | null): WorkStep[] {
  return cutAt(range, sections).map((c) => ({
    startPfn: c.startPfn,
    endPfn: c.endPfn,
    section: c.piece.ref,
    ...(pageblocks ? { pageblocks: { how: pageblocks, compoundPfns: 1, nrPerCompound: 1 } } : {}),
  }));
}

function compoundSteps(
  range: PfnRange,
  step: InitStep,
  ns: ResolvedNamespace,
  sc: ResolvedScenario,
  sections: readonly Section[],
  pageblocks: 'range' | 'visited' | null,
): WorkStep[] {
  const pps = sc.derived.pagesPerSection;
  const pb = sc.derived.pageblockNrPages;
  const c = sc.costs;
  const n = ns.compoundPfns;
  // Early sections get their own steps: compound_nr_pages differs there.
  const cuts = ns.earlySections.flatMap((s) => [s * pps, (s + 1) * pps]).sort((a, b) => a - b);
  const pieces = cutAtPfns(
    cutAt(range, sections).map((p) => ({ startPfn: p.startPfn, endPfn: p.endPfn, ref: p.piece.ref })),
    cuts,
  );
  const perPageNs = (step.work === 'pgmap' ? c.pgmapPassPageNs : c.zoneDevicePageInitNs) + (step.refPerPage ? c.percpuRefGetNs : 0);
  return pieces.map((p, k) => {
    const early = ns.earlySections.includes(Math.floor(p.startPfn / pps));
    // H11: the Apr 2026 fix treats early sections as unoptimized; the bug does not.
    const nr = compoundNrPages({
      altmap: ns.altmap,
      vmemmapShift: ns.vmemmapShift,
      earlySection: early && step.earlySections !== 'as-optimized',
      constants: sc.constants,
    });
    const structPages = structPagesIn(p.startPfn, p.endPfn, n, nr);
    const tails = step.work === 'full' ? structPages - headsIn(p.startPfn, p.endPfn, n) : 0;
    // The fitted per-page cost already pays the pageblocks the loop visits; the range init pays the rest.
    const extraPageblocks = pageblocks === 'range' ? pageblocksIn(p.startPfn, p.endPfn, pb) - visitedPageblocksIn(p.startPfn, p.endPfn, n, nr, pb) : 0;
    const head = Math.floor(p.startPfn / n) * n;
    // H14 bug: a chunk that starts inside a compound page sets up that page's head itself, first thing.
    const foreign = step.split === 'section-unaligned' && k === 0 && head !== p.startPfn && step.work === 'full';
    return {
      startPfn: p.startPfn,
      endPfn: p.endPfn,
      section: p.ref,
      ...(step.refPerPage ? { refs: headsIn(p.startPfn, p.endPfn, n) } : {}),
      cost: {
        structPages,
        bytes: structPages * sc.constants.structPageBytes + extraPageblocks * 8,
        cpuNs: structPages * perPageNs + tails * c.compoundTailInitNs + extraPageblocks * c.pageblockMigratetypeNs,
      },
      ...(step.work === 'full' ? { compound: { compoundPfns: n, nrPerCompound: nr, ...(foreign ? { foreignHeadSetup: head } : {}) } } : {}),
      ...(pageblocks ? { pageblocks: { how: pageblocks, compoundPfns: n, nrPerCompound: nr } } : {}),
    };
  });
}
