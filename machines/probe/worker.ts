import type { AnyActorRef } from 'xstate';
import type { InitWork, LockMode, TraceEvent } from '../../src/model/trace-events.js';
import { step, type At, type Step } from '../shared/step.js';

/**
 * The kernel steps of one thread initializing struct pages. The CPU part
 * (ask the node for a CPU, take its SMT speed, give it back) and the flow
 * part (a step's struct-page stores as a flow on the memmap's channel,
 * capped by the CPU's rate) are small functions of their own, apart from
 * what a step does to pages (stepDone), so another thread kind can share them.
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

/** What a worker is spawned with (besides the run's env). */
export interface WorkerSpec {
  readonly id: string;
  readonly namespace: string;
  readonly pass: number;
  readonly work: InitWork;
  readonly steps: readonly WorkStep[];
  /** CPU ns per struct page on a lone thread. */
  readonly perPageNs: number;
  /** Bytes per page this pass moves on the channel. */
  readonly bytesPerPage: number;
  readonly refPerPage: boolean;
  readonly startDelayNs: number;
  readonly node: AnyActorRef;
  readonly channel: AnyActorRef;
  readonly lockMode: LockMode | null;
}

export interface WorkerState {
  /** The step being walked. */
  readonly index: number;
  /** The CPU's speed: 1 alone on its core, the profile's smtFactor beside a busy sibling. */
  readonly speed: number;
  readonly stepStartedAt: number;
  readonly pagesDone: number;
}

export type Worker = WorkerSpec & WorkerState;

/** What a finished worker hands its namespace. */
export interface WorkerOutput {
  readonly id: string;
  readonly pages: number;
}

export const IDLE: WorkerState = { index: 0, speed: 1, stepStartedAt: 0, pagesDone: 0 };

// The CPU.

export const cpuRequest = (w: Worker, self: AnyActorRef): Step<WorkerState> =>
  step({}, [], [{ to: w.node, event: { type: 'CPU_REQUEST', id: w.id, ref: self } }]);

export interface CpuGrant {
  readonly cpu: number;
  readonly core: number;
  readonly node: number;
  readonly speed: number;
}

export function cpuGranted(w: Worker, grant: CpuGrant, at: At): Step<WorkerState> {
  const { cpu, core, node } = grant;
  return step({ speed: grant.speed }, [{ type: 'worker.start', t: at.now, worker: w.id, namespace: w.namespace, cpu, core, node }]);
}

/** A sibling started or stopped: the CPU's rate, and so the running flow's cap, changes. */
export function speedChanged(w: Worker, speed: number): Step<WorkerState> {
  return step({ speed }, [], [{ to: w.channel, event: { type: 'FLOW_CAP', id: flowId(w), cap: flowCap({ ...w, speed }) } }]);
}

export const cpuRelease = (w: Worker): Step<WorkerState> => step({}, [], [{ to: w.node, event: { type: 'CPU_RELEASE', id: w.id } }]);

// The flow of a step.

export const flowId = (w: Pick<Worker, 'id' | 'index'>) => `${w.id}#${w.index}`;

/** The flow's cap: this CPU's rate of struct-page stores, in bytes per ns. */
export function flowCap(w: Pick<Worker, 'bytesPerPage' | 'perPageNs' | 'speed' | 'steps' | 'index'>): number {
  const cost = w.steps[w.index]?.cost;
  // A compound step mixes struct pages, tails and pageblocks: its own bytes per CPU ns.
  if (cost && cost.bytes > 0 && cost.cpuNs > 0) return (cost.bytes / cost.cpuNs) * w.speed;
  return (w.bytesPerPage / w.perPageNs) * w.speed;
}

export function flowStart(w: Worker, self: AnyActorRef, at: At): Step<WorkerState> {
  const s = w.steps[w.index];
  const bytes = at.cost(s.cost ? s.cost.bytes : (s.endPfn - s.startPfn) * w.bytesPerPage);
  return step({ stepStartedAt: at.now }, [], [{ to: w.channel, event: { type: 'FLOW_START', id: flowId(w), owner: self, bytes, cap: flowCap(w) } }]);
}

// The pages.

/** What the step did to pages, traced: the struct pages, compound heads and tails, pageblocks, per-page references. */
function stepTrace(w: Worker, s: WorkStep, at: At): TraceEvent[] {
  const { startPfn, endPfn } = s;
  const where = { t: at.now, namespace: w.namespace, worker: w.id };
  const trace: TraceEvent[] = [
    {
      type: 'pages.init',
      ...where,
      pass: w.pass,
      work: w.work,
      startPfn,
      endPfn,
      startedAt: w.stepStartedAt,
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
      startedAt: w.stepStartedAt,
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

/** The step's flow is done: trace it, tell the section actor which pfns are done, go to the next step. */
export function stepDone(w: Worker, at: At): Step<WorkerState> {
  const s = w.steps[w.index];
  const pages = s.endPfn - s.startPfn;
  return step({ index: w.index + 1, pagesDone: w.pagesDone + pages }, stepTrace(w, s, at), [
    { to: s.section, event: { type: 'PAGES_DONE', startPfn: s.startPfn, endPfn: s.endPfn, pass: w.pass, work: w.work } },
  ]);
}

/** Every step done: trace worker.end and give the CPU back. */
export function finish(w: Worker, at: At): Step<WorkerState> {
  return step({}, [{ type: 'worker.end', t: at.now, worker: w.id, namespace: w.namespace, pages: w.pagesDone }], cpuRelease(w).send);
}
