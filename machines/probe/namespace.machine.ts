import { setup, assign, enqueueActions, type AnyActorRef } from 'xstate';
import type { PfnRange, ResolvedNamespace } from '../../src/model/scenario.js';
import type { ProbeLock, ProbeStep } from '../../src/model/strategies.js';
import type { LockMode } from '../../src/model/trace-events.js';
import { initPlan } from './init-plan.js';
import { sectionMachine, type SectionReply } from './section.machine.js';
import type { SimEnv } from '../shared/sim-env.js';
import { workerMachine } from './worker.machine.js';

/**
 * A pmem namespace being probed: memremap_pages -> pagemap_range, as the
 * strategy orders its steps (lock, activate sections, resize the zone, init
 * the memmap in one or more passes, take the pgmap reference, publish).
 * Each step is a message to another actor and each is timed.
 *
 * If vmemmap population fails (an injected ENOMEM), the probe unwinds: every
 * section run it activated is deactivated (vmemmap and page tables freed),
 * then mem_hotplug_lock is released and the probe ends in `failed`. The zone
 * span was never grown (move_pfn_range_to_zone runs after arch_add_memory).
 */
export interface SectionRun extends PfnRange {
  readonly ref: AnyActorRef;
  readonly firstSection: number;
  readonly lastSection: number;
}

export interface NamespaceInput {
  env: SimEnv;
  ns: ResolvedNamespace;
  steps: readonly ProbeStep[];
  threads: number;
  lock: AnyActorRef;
  /** The node's pgdat_resize_lock; present when the strategy takes it. */
  resizeLock?: AnyActorRef;
  zone: AnyActorRef;
  node: AnyActorRef;
  channel: AnyActorRef;
  daxUser: AnyActorRef;
  /** Sections per section actor (see docs/architecture.md); rounded up to whole 1 GiB compound pages. */
  sectionsPerActor: number;
}

export interface ProbeFailure {
  readonly section: number;
  readonly pfn: number;
  readonly partialPages: number;
}

export interface NamespaceContext extends NamespaceInput {
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

export type NamespaceEvent =
  { type: 'START' } | { type: 'LOCK_GRANTED'; lock: string; mode: LockMode } | SectionReply | { type: 'RESIZED' } | { type: 'WORKER_DONE'; id: string };

type StepKind = ProbeStep['kind'];

const current = (ctx: NamespaceContext): ProbeStep | undefined => ctx.steps[ctx.stepIndex];

/** The lock a lock or unlock step names. */
const lockOf = (step: ProbeStep | undefined): ProbeLock => (step && (step.kind === 'lock' || step.kind === 'unlock') && step.lock) || 'mem_hotplug';

function resizeLockOf(ctx: NamespaceContext): AnyActorRef {
  if (!ctx.resizeLock) throw new Error(`${ctx.ns.name}: the strategy takes pgdat_resize_lock, but node ${ctx.ns.node} has no lock actor for it`);
  return ctx.resizeLock;
}

/** pfn_len(): the references percpu_ref_get_many takes and memunmap_pages' percpu_ref_put_many drops. */
const pfnLen = (ctx: NamespaceContext) => ctx.ns.dataPages;

const planOf = (ctx: NamespaceContext) => initPlan(current(ctx)!, ctx.ns, ctx.env.scenario, ctx.threads, ctx.sections);

export const namespaceMachine = setup({
  types: { context: {} as NamespaceContext, events: {} as NamespaceEvent, input: {} as NamespaceInput },
  actors: { section: sectionMachine, worker: workerMachine },
  guards: {
    stepIs: ({ context }, params: { kind: StepKind }) => current(context)?.kind === params.kind,
    noHostingPages: ({ context }) => current(context)?.kind === 'init-hosting' && context.ns.dataStartPfn === context.ns.startPfn,
    moreSections: ({ context }) => context.activateIndex + 1 < context.activationOrder.length,
    moreToUnwind: ({ context }) => context.activateIndex > 0,
    lastWorker: ({ context }) => context.pendingWorkers <= 1,
  },
  actions: {
    advance: assign({ stepIndex: ({ context }) => context.stepIndex + 1 }),
    spawnSections: assign(({ context, spawn }) => {
      const { ns, env } = context;
      const pps = env.scenario.derived.pagesPerSection;
      // A 1 GiB compound page spans 8 sections: keep each inside one actor.
      const compoundSections = Math.max(1, ns.compoundPfns / pps);
      const perActor = Math.ceil(context.sectionsPerActor / compoundSections) * compoundSections;
      const geometry = {
        altmap: ns.altmap,
        vmemmapShift: ns.vmemmapShift,
        compoundPfns: ns.compoundPfns,
        optimized: ns.optimized,
        earlySections: ns.earlySections,
      };
      const sections: SectionRun[] = [];
      for (let first = ns.firstSection; first <= ns.lastSection; first += perActor) {
        const last = Math.min(ns.lastSection, first + perActor - 1);
        const actorId = first === last ? `${ns.name}/s${first}` : `${ns.name}/s${first}-${last}`;
        const startPfn = Math.max(ns.startPfn, first * pps);
        const endPfn = Math.min(ns.endPfn, (last + 1) * pps);
        const ref = spawn('section', {
          id: actorId,
          systemId: actorId,
          input: { env, ns: ns.name, actorId, firstSection: first, lastSection: last, startPfn, endPfn, geometry },
        });
        sections.push({ ref, firstSection: first, lastSection: last, startPfn, endPfn });
      }
      env.emit({
        type: 'probe.start',
        t: env.clock.now(),
        namespace: ns.name,
        node: ns.node,
        startPfn: ns.startPfn,
        endPfn: ns.endPfn,
        dataStartPfn: ns.dataStartPfn,
      });
      return { sections, activateIndex: 0 };
    }),
    planActivation: assign(({ context }) => {
      const step = current(context);
      const order = context.sections.map((_, i) => i);
      if (step?.kind === 'activate' && step.order === 'descending') order.reverse();
      return { activationOrder: order, activateIndex: 0 };
    }),
    acquire: enqueueActions(({ context, enqueue, self }) => {
      const step = current(context);
      if (step?.kind !== 'lock') return;
      const lock = lockOf(step) === 'pgdat_resize' ? resizeLockOf(context) : context.lock;
      enqueue.sendTo(lock, { type: 'ACQUIRE', holder: context.ns.name, mode: step.mode, ref: self });
    }),
    granted: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'LOCK_GRANTED') return;
      if (lockOf(current(context)) === 'pgdat_resize') enqueue.assign({ resizeLocked: true });
      else enqueue.assign({ lockMode: event.mode });
    }),
    release: enqueueActions(({ context, enqueue }) => {
      if (lockOf(current(context)) === 'pgdat_resize') {
        if (context.resizeLocked) enqueue.sendTo(resizeLockOf(context), { type: 'RELEASE', holder: context.ns.name });
        enqueue.assign({ resizeLocked: false });
        return;
      }
      if (context.lockMode === null) return;
      enqueue.sendTo(context.lock, { type: 'RELEASE', holder: context.ns.name });
      if (context.lockMode === 'write') context.env.emit({ type: 'probe.locked-done', t: context.env.clock.now(), namespace: context.ns.name });
      enqueue.assign({ lockMode: null });
    }),
    releaseAll: enqueueActions(({ context, enqueue }) => {
      if (context.resizeLocked) enqueue.sendTo(resizeLockOf(context), { type: 'RELEASE', holder: context.ns.name });
      if (context.lockMode === null) return;
      enqueue.sendTo(context.lock, { type: 'RELEASE', holder: context.ns.name });
      if (context.lockMode === 'write') context.env.emit({ type: 'probe.locked-done', t: context.env.clock.now(), namespace: context.ns.name });
      enqueue.assign({ lockMode: null, resizeLocked: false });
    }),
    activateNext: enqueueActions(({ context, enqueue, self }) => {
      const step = current(context);
      const oom = context.ns.vmemmapOom;
      enqueue.sendTo(context.sections[context.activationOrder[context.activateIndex]].ref, {
        type: 'ACTIVATE',
        replyTo: self,
        order: step?.kind === 'activate' ? (step.order ?? 'ascending') : 'ascending',
        budget: oom && 'afterPages' in oom ? oom.afterPages - context.vmemmapAllocated : null,
        failSection: oom && 'sectionIndex' in oom ? context.ns.firstSection + oom.sectionIndex : null,
      });
    }),
    countPages: assign(({ context, event }) => ({
      vmemmapAllocated: context.vmemmapAllocated + (event.type === 'ACTIVATED' || event.type === 'ACTIVATE_FAILED' ? event.pages : 0),
    })),
    fail: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'ACTIVATE_FAILED') return;
      const { env, ns } = context;
      const allocated = context.vmemmapAllocated + event.pages + event.partialPages;
      env.emit({
        type: 'probe.failed',
        t: env.clock.now(),
        namespace: ns.name,
        reason: `ENOMEM: vmemmap population of section ${event.section} failed after ${allocated} vmemmap pages`,
        section: event.section,
        pfn: event.pfn,
        partialPages: event.partialPages,
      });
      enqueue.assign({ failure: { section: event.section, pfn: event.pfn, partialPages: event.partialPages } });
    }),
    deactivateNext: enqueueActions(({ context, enqueue, self }) => {
      enqueue.sendTo(context.sections[context.activationOrder[context.activateIndex]].ref, { type: 'DEACTIVATE', replyTo: self });
    }),
    resize: enqueueActions(({ context, enqueue, self }) => {
      enqueue.sendTo(context.zone, { type: 'RESIZE', by: context.ns.name, startPfn: context.ns.startPfn, endPfn: context.ns.endPfn, replyTo: self });
    }),
    spawnWorkers: assign(({ context, spawn }) => {
      const { env, ns } = context;
      const costs = env.scenario.costs;
      const plan = planOf(context);
      const multi = plan.workers.length > 1;
      const prefix = plan.work === 'hosting' ? `${ns.name}/hosting` : plan.pass === 1 ? `${ns.name}/w` : `${ns.name}/pass${plan.pass}/w`;
      const perPageNs = (plan.work === 'pgmap' ? costs.pgmapPassPageNs : costs.zoneDevicePageInitNs) + (plan.refPerPage ? costs.percpuRefGetNs : 0);
      env.emit({
        type: 'init.start',
        t: env.clock.now(),
        namespace: ns.name,
        pass: plan.pass,
        work: plan.work,
        threads: plan.workers.length,
        lockMode: context.lockMode,
      });
      plan.workers.forEach((w, k) => {
        const id = plan.work === 'hosting' ? prefix : `${prefix}${k}`;
        spawn('worker', {
          id,
          systemId: id,
          input: {
            env,
            id,
            ns: ns.name,
            pass: plan.pass,
            work: plan.work,
            steps: w.steps,
            perPageNs,
            bytesPerPage: env.scenario.constants.structPageBytes,
            refPerPage: plan.refPerPage,
            startDelayNs: multi ? env.cost(costs.workerStartNs) : 0,
            node: context.node,
            channel: context.channel,
            lockMode: context.lockMode,
          },
        });
      });
      return { pendingWorkers: plan.workers.length, initPages: plan.range.endPfn - plan.range.startPfn };
    }),
    endInit: ({ context }) => {
      const plan = planOf(context);
      context.env.emit({
        type: 'init.end',
        t: context.env.clock.now(),
        namespace: context.ns.name,
        pass: plan.pass,
        work: plan.work,
        pages: context.initPages,
      });
    },
    refGetMany: ({ context }) => {
      context.env.emit({ type: 'pgmap.ref', t: context.env.clock.now(), namespace: context.ns.name, count: pfnLen(context), how: 'bulk' });
    },
    refPut: ({ context }) => {
      context.env.emit({ type: 'pgmap.ref', t: context.env.clock.now(), namespace: context.ns.name, count: -pfnLen(context), how: 'put' });
    },
    publish: enqueueActions(({ context, enqueue }) => {
      const { env, ns } = context;
      env.emit({ type: 'namespace.published', t: env.clock.now(), namespace: ns.name, pages: ns.dataPages });
      enqueue.sendTo(context.daxUser, { type: 'PUBLISHED', ns: ns.name, startPfn: ns.dataStartPfn, endPfn: ns.endPfn });
    }),
    available: ({ context }) => {
      context.env.emit({ type: 'namespace.available', t: context.env.clock.now(), namespace: context.ns.name });
    },
  },
}).createMachine({
  id: 'namespace',
  context: ({ input }) => ({
    ...input,
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
  }),
  initial: 'idle',
  states: {
    idle: { on: { START: { target: 'dispatch', actions: 'spawnSections' } } },
    dispatch: {
      always: [
        { guard: { type: 'stepIs', params: { kind: 'lock' } }, target: 'waitingForLock' },
        { guard: { type: 'stepIs', params: { kind: 'unlock' } }, target: 'unlocking' },
        { guard: { type: 'stepIs', params: { kind: 'activate' } }, target: 'activating', actions: 'planActivation' },
        { guard: { type: 'stepIs', params: { kind: 'resize' } }, target: 'resizing' },
        { guard: 'noHostingPages', target: 'dispatch', reenter: true, actions: 'advance' },
        { guard: { type: 'stepIs', params: { kind: 'init-hosting' } }, target: 'initializing' },
        { guard: { type: 'stepIs', params: { kind: 'init' } }, target: 'initializing' },
        { guard: { type: 'stepIs', params: { kind: 'ref-get-many' } }, target: 'dispatch', reenter: true, actions: ['refGetMany', 'advance'] },
        { guard: { type: 'stepIs', params: { kind: 'ref-put' } }, target: 'dispatch', reenter: true, actions: ['refPut', 'advance'] },
        { guard: { type: 'stepIs', params: { kind: 'publish' } }, target: 'dispatch', reenter: true, actions: ['publish', 'advance'] },
        { target: 'available' },
      ],
    },
    waitingForLock: {
      entry: 'acquire',
      on: {
        LOCK_GRANTED: { target: 'dispatch', actions: ['granted', 'advance'] },
      },
    },
    activating: {
      entry: 'activateNext',
      on: {
        ACTIVATED: [
          {
            guard: 'moreSections',
            target: 'activating',
            reenter: true,
            actions: ['countPages', assign({ activateIndex: ({ context }) => context.activateIndex + 1 })],
          },
          { target: 'dispatch', actions: ['countPages', 'advance'] },
        ],
        ACTIVATE_FAILED: { target: 'unwinding', actions: 'fail' },
      },
    },
    // Deactivate, newest first, every section run that was sent ACTIVATE (the failing one included).
    unwinding: {
      entry: 'deactivateNext',
      on: {
        DEACTIVATED: [
          { guard: 'moreToUnwind', target: 'unwinding', reenter: true, actions: assign({ activateIndex: ({ context }) => context.activateIndex - 1 }) },
          { target: 'failed' },
        ],
      },
    },
    // RELEASE reaches the lock after this macrostep; a zero-delay step lets the lock
    // process it (and trace lock.released) before the probe's next step is traced.
    unlocking: {
      entry: 'release',
      after: { 0: { target: 'dispatch', actions: 'advance' } },
    },
    resizing: {
      entry: 'resize',
      on: { RESIZED: { target: 'dispatch', actions: 'advance' } },
    },
    initializing: {
      entry: 'spawnWorkers',
      on: {
        WORKER_DONE: [
          { guard: 'lastWorker', target: 'dispatch', actions: ['endInit', assign({ pendingWorkers: 0 }), 'advance'] },
          { actions: assign({ pendingWorkers: ({ context }) => context.pendingWorkers - 1 }) },
        ],
      },
    },
    available: { entry: 'available' },
    // mem_hotplug_done, then memremap_pages returns the error: nothing of the namespace is left.
    failed: { entry: 'releaseAll' },
  },
});
