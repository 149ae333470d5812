import type { AnyActorRef } from 'xstate';
import type { InitWork, LockMode, TraceEvent } from '../../src/model/trace-events.js';
import type { At, Message } from '../shared/step.js';

/**
 * A probe thread's work, pure (the CPU thread itself is
 * machines/shared/cpu-thread.ts): the steps of one init pass over a
 * namespace's range, one per section actor; each step's flow (its bytes and
 * the CPU's rate of struct-page stores) and what its end does to pages.
 */
export interface WorkStep {
  readonly startPfn: number;
  readonly endPfn: number;
  readonly section: AnyActorRef;
  /**
   * Compound pages: the struct pages this step really writes (compound_nr_pages
   * per compound page), its bytes on the channel and its CPU time on a lone
   * thread. Absent for base pages: every pfn is one struct page at perPageNs.
   */
  readonly cost?: { readonly structPages: number; readonly bytes: number; readonly cpuNs: number };
  /**
   * pgmap references a step with refPerPage takes: one per loop iteration,
   * which with compound pages is one per compound head (the pfn_len() unit).
   * Absent: one per pfn.
   */
  readonly refs?: number;
  /** Compound geometry of the step, traced so the checker can verify head/tail order. */
  readonly compound?: { readonly compoundPfns: number; readonly nrPerCompound: number; readonly foreignHeadSetup?: number };
  /** How this step sets pageblock migratetypes (absent: it sets none, e.g. the pgmap pass). */
  readonly pageblocks?: { readonly how: 'range' | 'visited'; readonly compoundPfns: number; readonly nrPerCompound: number };
}

/** What a probe thread's work is: one init pass of a namespace, over the steps it is given when spawned. */
export interface ProbeWork {
  readonly kind: 'probe';
  readonly namespace: string;
  readonly pass: number;
  readonly work: InitWork;
  /** CPU ns per struct page on a lone thread. */
  readonly perPageNs: number;
  /** Bytes per page this pass moves on the channel. */
  readonly bytesPerPage: number;
  readonly refPerPage: boolean;
  readonly lockMode: LockMode | null;
}

/** A step's flow: its bytes on the channel (before jitter) and this CPU's rate of struct-page stores at speed 1, bytes per ns. */
export function probeFlow(w: ProbeWork, s: WorkStep): { bytes: number; capPerSpeed: number } {
  const cost = s.cost;
  const bytes = cost ? cost.bytes : (s.endPfn - s.startPfn) * w.bytesPerPage;
  // A compound step mixes struct pages, tails and pageblocks: its own bytes per CPU ns.
  if (cost && cost.bytes > 0 && cost.cpuNs > 0) return { bytes, capPerSpeed: cost.bytes / cost.cpuNs };
  return { bytes, capPerSpeed: w.bytesPerPage / w.perPageNs };
}

/** Who ended a step, and when it started. */
export interface ProbeStepEnd {
  readonly worker: string;
  readonly startedAtNs: number;
  readonly at: At;
}

// The pages.

/** What the step did to pages, traced: the struct pages, compound heads and tails, pageblocks, per-page references. */
function stepTrace(w: ProbeWork, s: WorkStep, e: ProbeStepEnd): TraceEvent[] {
  const { startPfn, endPfn } = s;
  const { at } = e;
  const where = { t: at.now, namespace: w.namespace, worker: e.worker };
  const trace: TraceEvent[] = [
    {
      type: 'pages.init',
      ...where,
      pass: w.pass,
      work: w.work,
      startPfn,
      endPfn,
      startedAt: e.startedAtNs,
      ...(s.cost ? { structPages: s.cost.structPages } : {}),
    },
  ];
  if (s.compound) {
    const { compoundPfns, nrPerCompound, foreignHeadSetup } = s.compound;
    const structPages = s.cost?.structPages ?? endPfn - startPfn;
    trace.push({
      type: 'compound.init',
      ...where,
      pass: w.pass,
      startPfn,
      endPfn,
      startedAt: e.startedAtNs,
      compoundPfns,
      nrPerCompound,
      structPages,
      ...(foreignHeadSetup === undefined ? {} : { foreignHeadSetup }),
    });
  }
  if (s.pageblocks)
    trace.push({ type: 'pageblock.migratetype', ...where, startPfn, endPfn, pageblockPfns: at.scenario.derived.pageblockNrPages, ...s.pageblocks });
  if (w.refPerPage) trace.push({ type: 'pgmap.ref', t: at.now, namespace: w.namespace, count: s.refs ?? endPfn - startPfn, how: 'per-page' });
  return trace;
}

/** A step's flow is done: its pages traced, and the section actor told which pfns are done. */
export function probeStepEnd(w: ProbeWork, s: WorkStep, e: ProbeStepEnd): { pages: number; trace: TraceEvent[]; send: Message[] } {
  const send: Message[] = [{ to: s.section, event: { type: 'PAGES_DONE', startPfn: s.startPfn, endPfn: s.endPfn, pass: w.pass, work: w.work } }];
  return { pages: s.endPfn - s.startPfn, trace: stepTrace(w, s, e), send };
}
