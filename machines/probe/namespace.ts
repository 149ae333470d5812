import type { AnyActorRef } from 'xstate';
import type { PfnRange, ResolvedNamespace } from '../../src/model/scenario.js';
import type { ProbeLock, ProbeStep } from '../../src/model/strategies.js';
import type { LockMode, TraceEvent } from '../../src/model/trace-events.js';
import { step, type At, type Step } from '../shared/step.js';

/**
 * The kernel steps of a pmem namespace probe (memremap_pages ->
 * pagemap_range), as pure functions of the probe's state: which strategy
 * step comes next, the lock requests and releases, the section runs and
 * their activation, the init workers, the pgmap references and publishing.
 * Each returns the changed state, the trace events and the messages; the
 * namespace machine applies them. Spawning is the machine's: a step returns
 * what to spawn (ids and inputs), never an actor.
 */

/** A run of consecutive sections of the namespace, owned by one section actor. */
export interface SectionRun extends PfnRange {
  readonly ref: AnyActorRef;
  readonly firstSection: number;
  readonly lastSection: number;
}

export interface ProbeFailure {
  readonly section: number;
  readonly pfn: number;
  readonly partialPages: number;
}

/** What the probe keeps while it runs. */
export interface ProbeState {
  readonly stepIndex: number;
  readonly sections: readonly SectionRun[];
  /** Indices into `sections`, in the order the activate step populates them. */
  readonly activationOrder: readonly number[];
  /** Position in activationOrder (activating), then of the unwinding. */
  readonly activateIndex: number;
  /** Vmemmap pages allocated so far (an injected ENOMEM counts against it). */
  readonly vmemmapAllocated: number;
  readonly failure: ProbeFailure | null;
  readonly pendingWorkers: number;
  readonly lockMode: LockMode | null;
  readonly resizeLocked: boolean;
  readonly initPages: number;
}

/** The probe as its steps see it: what it was spawned with, and its state. */
export interface Probe extends ProbeState {
  readonly namespace: ResolvedNamespace;
  readonly steps: readonly ProbeStep[];
  readonly threads: number;
  readonly lock: AnyActorRef;
  /** The node's pgdat_resize_lock; present when the strategy takes it. */
  readonly resizeLock?: AnyActorRef;
  readonly zone: AnyActorRef;
  readonly node: AnyActorRef;
  readonly channel: AnyActorRef;
  readonly daxUser: AnyActorRef;
  readonly sectionsPerActor: number;
}

export const INITIAL: ProbeState = {
  stepIndex: 0,
  sections: [],
  activationOrder: [],
  activateIndex: 0,
  vmemmapAllocated: 0,
  failure: null,
  pendingWorkers: 0,
  lockMode: null,
  resizeLocked: false,
  initPages: 0,
};

/** What the machine does next: the statechart state a strategy step maps to. */
export type Move = 'lock' | 'unlock' | 'activate' | 'resize' | 'init' | 'skip' | 'instant' | 'done';

export const current = (p: Probe): ProbeStep | undefined => p.steps[p.stepIndex];

/** The next strategy step, as a move: a step without work (no altmap-hosting pages) is skipped. */
export function nextMove(p: Probe): Move {
  const s = current(p);
  switch (s?.kind) {
    case 'lock':
    case 'unlock':
    case 'activate':
    case 'resize':
      return s.kind;
    case 'init-hosting':
      return p.namespace.dataStartPfn === p.namespace.startPfn ? 'skip' : 'init';
    case 'init':
      return 'init';
    case 'ref-get-many':
    case 'ref-put':
    case 'publish':
      return 'instant';
    default:
      return 'done';
  }
}

export const advance = (p: Probe): Step<ProbeState> => step({ stepIndex: p.stepIndex + 1 });

export function probeStart(p: Probe, at: At): Step<ProbeState> {
  const { name, node, startPfn, endPfn, dataStartPfn } = p.namespace;
  return step({ activateIndex: 0 }, [{ type: 'probe.start', t: at.now, namespace: name, node, startPfn, endPfn, dataStartPfn }]);
}

/** The lock a lock or unlock step names. */
const lockOf = (s: ProbeStep | undefined): ProbeLock => (s && (s.kind === 'lock' || s.kind === 'unlock') && s.lock) || 'mem_hotplug';

function resizeLockOf(p: Probe): AnyActorRef {
  if (!p.resizeLock) throw new Error(`${p.namespace.name}: the strategy takes pgdat_resize_lock, but node ${p.namespace.node} has no lock actor for it`);
  return p.resizeLock;
}

/** mem_hotplug_begin (or the resize lock): ask the lock the step names, in the step's mode. */
export function lockRequest(p: Probe, self: AnyActorRef): Step<ProbeState> {
  const s = current(p);
  if (s?.kind !== 'lock') return step({});
  const to = lockOf(s) === 'pgdat_resize' ? resizeLockOf(p) : p.lock;
  return step({}, [], [{ to, event: { type: 'ACQUIRE', holder: p.namespace.name, mode: s.mode, ref: self } }]);
}

export function lockGranted(p: Probe, mode: LockMode): Step<ProbeState> {
  const held = lockOf(current(p)) === 'pgdat_resize' ? { resizeLocked: true } : { lockMode: mode };
  return step<ProbeState>({ ...held, stepIndex: p.stepIndex + 1 });
}

const release = (p: Probe, to: AnyActorRef) => ({ to, event: { type: 'RELEASE', holder: p.namespace.name } });

/** mem_hotplug_done traces the end of the write-locked part of the probe. */
const lockedDone = (p: Probe, at: At): TraceEvent[] => (p.lockMode === 'write' ? [{ type: 'probe.locked-done', t: at.now, namespace: p.namespace.name }] : []);

/** An unlock step: release the lock it names, if held. */
export function unlock(p: Probe, at: At): Step<ProbeState> {
  if (lockOf(current(p)) === 'pgdat_resize') return step({ resizeLocked: false }, [], p.resizeLocked ? [release(p, resizeLockOf(p))] : []);
  if (p.lockMode === null) return step({});
  return step({ lockMode: null }, lockedDone(p, at), [release(p, p.lock)]);
}

/** A failed probe lets go of every lock it holds. */
export function unlockAll(p: Probe, at: At): Step<ProbeState> {
  const resize = p.resizeLocked ? [release(p, resizeLockOf(p))] : [];
  if (p.lockMode === null) return step({}, [], resize);
  return step({ lockMode: null, resizeLocked: false }, lockedDone(p, at), [...resize, release(p, p.lock)]);
}
