import { setup, assign, enqueueActions, type AnyActorRef } from 'xstate';
import type { PfnRange, ResolvedNamespace } from '../src/model/scenario.js';
import type { ProbeStep } from '../src/model/strategies.js';
import type { InitWork, LockMode } from '../src/model/trace-events.js';
import { sectionMachine } from './section.machine.js';
import type { SimEnv } from './sim-env.js';
import { workerMachine, type WorkStep } from './worker.machine.js';
import { cutAt, splitBySection, splitEqual } from './work-split.js';

/**
 * A pmem namespace being probed: memremap_pages -> pagemap_range, as the
 * strategy orders its steps (lock, activate sections, resize the zone, init
 * the memmap in one or more passes, take the pgmap reference, publish).
 * Each step is a message to another actor and each is timed.
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
  zone: AnyActorRef;
  node: AnyActorRef;
  channel: AnyActorRef;
  daxUser: AnyActorRef;
  /** Sections per section actor (see docs/architecture.md). */
  sectionsPerActor: number;
}

export interface NamespaceContext extends NamespaceInput {
  readonly stepIndex: number;
  readonly sections: readonly SectionRun[];
  readonly activateIndex: number;
  readonly pendingWorkers: number;
  readonly lockMode: LockMode | null;
  readonly initPages: number;
}

export type NamespaceEvent =
  | { type: 'START' }
  | { type: 'LOCK_GRANTED'; lock: string; mode: LockMode }
  | { type: 'ACTIVATED'; actor: string }
  | { type: 'RESIZED' }
  | { type: 'WORKER_DONE'; id: string };

type StepKind = ProbeStep['kind'];

const current = (ctx: NamespaceContext): ProbeStep | undefined => ctx.steps[ctx.stepIndex];

function initPlan(ctx: NamespaceContext): { work: InitWork; pass: number; range: PfnRange; ranges: PfnRange[]; refPerPage: boolean } {
  const step = current(ctx)!;
  const { ns, env } = ctx;
  if (step.kind === 'init-hosting') {
    const range = { startPfn: ns.startPfn, endPfn: ns.dataStartPfn };
    return { work: 'hosting', pass: 1, range, ranges: splitEqual(range, 1), refPerPage: false };
  }
  if (step.kind !== 'init') throw new Error(`not an init step: ${step.kind}`);
  const range = { startPfn: ns.dataStartPfn, endPfn: ns.endPfn };
  const threads = step.threads === 'one' ? 1 : ctx.threads;
  const ranges = step.split === 'equal' ? splitEqual(range, threads) : splitBySection(range, threads, env.scenario.derived.pagesPerSection);
  return { work: step.work, pass: step.pass, range, ranges, refPerPage: step.refPerPage };
}

export const namespaceMachine = setup({
  types: { context: {} as NamespaceContext, events: {} as NamespaceEvent, input: {} as NamespaceInput },
  actors: { section: sectionMachine, worker: workerMachine },
  guards: {
    stepIs: ({ context }, params: { kind: StepKind }) => current(context)?.kind === params.kind,
    noHostingPages: ({ context }) => current(context)?.kind === 'init-hosting' && context.ns.dataStartPfn === context.ns.startPfn,
    moreSections: ({ context }) => context.activateIndex + 1 < context.sections.length,
    lastWorker: ({ context }) => context.pendingWorkers <= 1,
  },
  actions: {
    advance: assign({ stepIndex: ({ context }) => context.stepIndex + 1 }),
    spawnSections: assign(({ context, spawn }) => {
      const { ns, env } = context;
      const pps = env.scenario.derived.pagesPerSection;
      const sections: SectionRun[] = [];
      for (let first = ns.firstSection; first <= ns.lastSection; first += context.sectionsPerActor) {
        const last = Math.min(ns.lastSection, first + context.sectionsPerActor - 1);
        const actorId = first === last ? `${ns.name}/s${first}` : `${ns.name}/s${first}-${last}`;
        const startPfn = Math.max(ns.startPfn, first * pps);
        const endPfn = Math.min(ns.endPfn, (last + 1) * pps);
        const ref = spawn('section', {
          id: actorId,
          systemId: actorId,
          input: { env, ns: ns.name, actorId, firstSection: first, lastSection: last, startPfn, endPfn },
        });
        sections.push({ ref, firstSection: first, lastSection: last, startPfn, endPfn });
      }
      env.emit({ type: 'probe.start', t: env.clock.now(), ns: ns.name, node: ns.node, startPfn: ns.startPfn, endPfn: ns.endPfn, dataStartPfn: ns.dataStartPfn });
      return { sections, activateIndex: 0 };
    }),
    acquire: enqueueActions(({ context, enqueue, self }) => {
      const step = current(context);
      if (step?.kind !== 'lock') return;
      enqueue.sendTo(context.lock, { type: 'ACQUIRE', holder: context.ns.name, mode: step.mode, ref: self });
    }),
    release: enqueueActions(({ context, enqueue }) => {
      enqueue.sendTo(context.lock, { type: 'RELEASE', holder: context.ns.name });
      if (context.lockMode === 'write') context.env.emit({ type: 'probe.locked-done', t: context.env.clock.now(), ns: context.ns.name });
      enqueue.assign({ lockMode: null });
    }),
    activateNext: enqueueActions(({ context, enqueue, self }) => {
      enqueue.sendTo(context.sections[context.activateIndex].ref, { type: 'ACTIVATE', replyTo: self });
    }),
    resize: enqueueActions(({ context, enqueue, self }) => {
      enqueue.sendTo(context.zone, { type: 'RESIZE', by: context.ns.name, startPfn: context.ns.startPfn, endPfn: context.ns.endPfn, replyTo: self });
    }),
    spawnWorkers: assign(({ context, spawn }) => {
      const { env, ns } = context;
      const costs = env.scenario.costs;
      const plan = initPlan(context);
      const multi = plan.ranges.length > 1;
      const prefix = plan.work === 'hosting' ? `${ns.name}/hosting` : plan.pass === 1 ? `${ns.name}/w` : `${ns.name}/pass${plan.pass}/w`;
      const perPageNs =
        (plan.work === 'pgmap' ? costs.pgmapPassPageNs : costs.zoneDevicePageInitNs) + (plan.refPerPage ? costs.percpuRefGetNs : 0);
      env.emit({ type: 'init.start', t: env.clock.now(), ns: ns.name, pass: plan.pass, work: plan.work, threads: plan.ranges.length, lockMode: context.lockMode });
      plan.ranges.forEach((range, k) => {
        const id = plan.work === 'hosting' ? prefix : `${prefix}${k}`;
        const steps: WorkStep[] = cutAt(range, context.sections).map((c) => ({ startPfn: c.startPfn, endPfn: c.endPfn, section: c.piece.ref }));
        spawn('worker', {
          id,
          systemId: id,
          input: {
            env,
            id,
            ns: ns.name,
            pass: plan.pass,
            work: plan.work,
            steps,
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
      return { pendingWorkers: plan.ranges.length, initPages: plan.range.endPfn - plan.range.startPfn };
    }),
    endInit: ({ context }) => {
      const plan = initPlan(context);
      context.env.emit({ type: 'init.end', t: context.env.clock.now(), ns: context.ns.name, pass: plan.pass, work: plan.work, pages: context.initPages });
    },
    refGetMany: ({ context }) => {
      context.env.emit({ type: 'pgmap.ref', t: context.env.clock.now(), ns: context.ns.name, count: context.ns.dataPages, how: 'bulk' });
    },
    publish: enqueueActions(({ context, enqueue }) => {
      const { env, ns } = context;
      env.emit({ type: 'ns.published', t: env.clock.now(), ns: ns.name, pages: ns.dataPages });
      enqueue.sendTo(context.daxUser, { type: 'PUBLISHED', ns: ns.name, startPfn: ns.dataStartPfn, endPfn: ns.endPfn });
    }),
    available: ({ context }) => {
      context.env.emit({ type: 'ns.available', t: context.env.clock.now(), ns: context.ns.name });
    },
  },
}).createMachine({
  id: 'namespace',
  context: ({ input }) => ({ ...input, stepIndex: 0, sections: [], activateIndex: 0, pendingWorkers: 0, lockMode: null, initPages: 0 }),
  initial: 'idle',
  states: {
    idle: { on: { START: { target: 'dispatch', actions: 'spawnSections' } } },
    dispatch: {
      always: [
        { guard: { type: 'stepIs', params: { kind: 'lock' } }, target: 'locking' },
        { guard: { type: 'stepIs', params: { kind: 'unlock' } }, target: 'dispatch', reenter: true, actions: ['release', 'advance'] },
        { guard: { type: 'stepIs', params: { kind: 'activate' } }, target: 'activating' },
        { guard: { type: 'stepIs', params: { kind: 'resize' } }, target: 'resizing' },
        { guard: 'noHostingPages', target: 'dispatch', reenter: true, actions: 'advance' },
        { guard: { type: 'stepIs', params: { kind: 'init-hosting' } }, target: 'initializing' },
        { guard: { type: 'stepIs', params: { kind: 'init' } }, target: 'initializing' },
        { guard: { type: 'stepIs', params: { kind: 'ref-get-many' } }, target: 'dispatch', reenter: true, actions: ['refGetMany', 'advance'] },
        { guard: { type: 'stepIs', params: { kind: 'publish' } }, target: 'dispatch', reenter: true, actions: ['publish', 'advance'] },
        { target: 'available' },
      ],
    },
    locking: {
      entry: 'acquire',
      on: {
        LOCK_GRANTED: { target: 'dispatch', actions: [assign({ lockMode: ({ event }) => event.mode }), 'advance'] },
      },
    },
    activating: {
      entry: 'activateNext',
      on: {
        ACTIVATED: [
          { guard: 'moreSections', target: 'activating', reenter: true, actions: assign({ activateIndex: ({ context }) => context.activateIndex + 1 }) },
          { target: 'dispatch', actions: 'advance' },
        ],
      },
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
  },
});
