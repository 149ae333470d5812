import type { AnyActorRef } from 'xstate';
import { bootChunk, bootFlow, bootStepEnd, type BootWork } from '../boot/padata-helper.js';
import type { InitStep } from '../boot/padata-helper.js';
import { probeFlow, probeStepEnd, type ProbeWork, type WorkStep } from '../probe/worker.js';
import { step, type At, type Step } from './step.js';

/**
 * The kernel steps of one CPU thread initializing struct pages, pure: the
 * probing thread or an async worker of a namespace (probe), or a thread of a
 * padata job running deferred_init_memmap_chunk (boot). Every thread asks
 * its node for a CPU, walks steps (each one flow of struct-page stores on a
 * memory channel, capped by its CPU's rate at its SMT speed) and gives the
 * CPU back. What a step is, and what its end does to pages, is the work's
 * (`probeStepEnd` in probe/worker.ts, `bootStepEnd` in boot/padata-helper.ts).
 * A probe thread is given its steps when spawned; a boot thread grabs chunks
 * from its job until none remain.
 */
export type ThreadWork = ProbeWork | BootWork;

/** What a thread is spawned with (besides the run's env). */
export interface CpuThreadSpec {
  readonly id: string;
  /** Its node's CPU pool. */
  readonly cpus: AnyActorRef;
  readonly channel: AnyActorRef;
  /** A queued helper waits for a kworker; the probing thread and a padata job's caller start at once. */
  readonly startDelayNs: number;
  readonly work: ThreadWork;
  /** A probe thread's steps, given when spawned; a boot thread's come chunk by chunk. */
  readonly steps?: readonly WorkStep[];
}

export interface CpuThreadState {
  readonly steps: readonly (WorkStep | InitStep)[];
  /** The step being walked. */
  readonly index: number;
  /** The CPU's speed: 1 alone on its core, the profile's smtFactor beside a busy sibling. */
  readonly speed: number;
  /** Cache-line bounces charged to this thread, paid before its next step. */
  readonly stallNs: number;
  readonly stepStartedAt: number;
  readonly pages: number;
  /** Batches of steps taken: a probe thread's one, or the chunks a boot thread grabbed. */
  readonly chunks: number;
}

export type CpuThread = Omit<CpuThreadSpec, 'steps'> & CpuThreadState;

/** What a finished thread hands its parent (the namespace or the padata job). */
export interface CpuThreadOutput {
  readonly id: string;
  readonly pages: number;
  readonly chunks: number;
}

export interface CpuGrant {
  readonly cpu: number;
  readonly core: number;
  readonly node: number;
  readonly speed: number;
}

export function startThread(spec: CpuThreadSpec): CpuThread {
  const { steps, ...rest } = spec;
  return { ...rest, steps: steps ?? [], index: 0, speed: 1, stallNs: 0, stepStartedAt: 0, pages: 0, chunks: steps ? 1 : 0 };
}

export const threadOutput = (t: CpuThread): CpuThreadOutput => ({ id: t.id, pages: t.pages, chunks: t.chunks });

export const hasSteps = (t: CpuThread): boolean => t.index < t.steps.length;

/** A boot thread asks its job for the next chunk when its steps are done; a probe thread is done. */
export const grabs = (t: CpuThread): boolean => t.work.kind === 'boot';

// The CPU.

export const cpuRequest = (t: CpuThread, self: AnyActorRef): Step<CpuThreadState> =>
  step({}, [], [{ to: t.cpus, event: { type: 'CPU_REQUEST', id: t.id, ref: self } }]);

/** The CPU granted: its speed; a probe thread traces worker.start. */
export function cpuGranted(t: CpuThread, grant: CpuGrant, at: At): Step<CpuThreadState> {
  if (t.work.kind !== 'probe') return step({ speed: grant.speed });
  const { cpu, core, node } = grant;
  return step({ speed: grant.speed }, [{ type: 'worker.start', t: at.now, worker: t.id, namespace: t.work.namespace, cpu, core, node }]);
}

/** A sibling started or stopped: the CPU's rate, and so the cap of the step's flow (if one is to run), changes. */
export function speedChanged(t: CpuThread, speed: number, at: At): Step<CpuThreadState> {
  if (!hasSteps(t)) return step({ speed });
  return step({ speed }, [], [{ to: t.channel, event: { type: 'FLOW_CAP', id: flowId(t), cap: flowOf(t, at).capPerSpeed * speed } }]);
}

/** Every step done: a probe thread traces worker.end; the CPU goes back. */
export function finish(t: CpuThread, at: At): Step<CpuThreadState> {
  const release = { to: t.cpus, event: { type: 'CPU_RELEASE', id: t.id } };
  if (t.work.kind !== 'probe') return step({}, [], [release]);
  return step({}, [{ type: 'worker.end', t: at.now, worker: t.id, namespace: t.work.namespace, pages: t.pages }], [release]);
}

// Chunks (boot) and bounces.

export const grab = (t: CpuThread, self: AnyActorRef): Step<CpuThreadState> =>
  t.work.kind === 'boot' ? step({}, [], [{ to: t.work.job, event: { type: 'GRAB', id: t.id, ref: self } }]) : step({});

export function chunkTaken(t: CpuThread, chunk: { startPfn: number; endPfn: number }, at: At): Step<CpuThreadState> {
  if (t.work.kind !== 'boot') throw new Error(`${t.id}: a probe thread takes no chunk`);
  return step({ steps: bootChunk(t.work, chunk, at.scenario), index: 0, chunks: t.chunks + 1 });
}

export const bounced = (t: CpuThread, stallNs: number): Step<CpuThreadState> => step({ stallNs: t.stallNs + stallNs });

// The flow of a step.

export const flowId = (t: Pick<CpuThread, 'id' | 'chunks' | 'index'>) => `${t.id}#${t.chunks}.${t.index}`;

/** The current step's bytes on the channel (before jitter) and its cap at speed 1, by the work's kind. */
function flowOf(t: CpuThread, at: At): { bytes: number; capPerSpeed: number } {
  const s = t.steps[t.index];
  return t.work.kind === 'probe' ? probeFlow(t.work, s as WorkStep) : bootFlow(s as InitStep, at.scenario);
}

export function flowStart(t: CpuThread, self: AnyActorRef, at: At): Step<CpuThreadState> {
  const flow = flowOf(t, at);
  const event = { type: 'FLOW_START', id: flowId(t), owner: self, bytes: at.cost(flow.bytes), cap: flow.capPerSpeed * t.speed };
  return step({ stepStartedAt: at.now }, [], [{ to: t.channel, event }]);
}

/** The step's flow is done: what it did to pages, traced and told to its peers; on to the next step. */
export function stepDone(t: CpuThread, self: AnyActorRef, at: At): Step<CpuThreadState> {
  const s = t.steps[t.index];
  const end =
    t.work.kind === 'probe'
      ? probeStepEnd(t.work, s as WorkStep, { worker: t.id, startedAtNs: t.stepStartedAt, at })
      : bootStepEnd(t.work, s as InitStep, { worker: t.id, writer: self, startedAtNs: t.stepStartedAt, nowNs: at.now });
  return step({ index: t.index + 1, pages: t.pages + end.pages }, end.trace, end.send);
}
