import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import { activateSections, deactivateSections, type SectionSpan } from '../../src/model/section-activation.js';
import { sectionPlans, type SectionPlans } from '../../src/model/section-plans.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * A run of consecutive sparsemem sections of one namespace (one section per
 * actor on small machines; runs bound the actor count on big ones, see
 * docs/architecture.md). Pages are data here, never actors, and so are
 * sections: it keeps the span of sections it populated (what each holds is
 * its population plan, summed in closed form) and how many struct pages each
 * pass has initialized, so its state is the same size for 1 section or 500,000.
 *
 * ACTIVATE populates its sections one after the other, in the order asked
 * (sparse_add_section per section in __add_pages; ascending is the kernel's,
 * which reuse_compound_section relies on). An injected ENOMEM stops it at the
 * failing section, whose partial allocation section_activate frees at once;
 * DEACTIVATE (the failed probe unwinding) frees every section it populated.
 */
export interface SectionGeometry {
  readonly altmap: boolean;
  readonly vmemmapShift: number;
  readonly compoundPfns: number;
  readonly optimized: boolean;
  /** Sections of the namespace that are early (boot) sections. */
  readonly earlySections: readonly number[];
}

export interface SectionContext {
  readonly env: SimEnv;
  readonly namespace: string;
  readonly actorId: string;
  readonly firstSection: number;
  readonly lastSection: number;
  /** The namespace's pfns within these sections. */
  readonly startPfn: number;
  readonly endPfn: number;
  readonly geometry: SectionGeometry;
  readonly activated: boolean;
  /**
   * The sections whose memmap is populated and live: a population stops at
   * its failing section, so they are one span (null: none). What each holds
   * follows from its plan, so nothing is kept per section.
   */
  readonly live: SectionSpan | null;
  /** Struct pages initialized by the full (or hosting) pass. */
  readonly initialized: number;
  /** Struct pages revisited by later passes. */
  readonly revisited: number;
  readonly ready: boolean;
}

export type SectionEvent =
  | {
      type: 'ACTIVATE';
      replyTo: AnyActorRef;
      order?: 'ascending' | 'descending';
      /** Vmemmap pages that may still be allocated before an injected ENOMEM; null: unlimited. */
      budget?: number | null;
      /** Absolute section whose population fails (injected ENOMEM); null: none. */
      failSection?: number | null;
    }
  | { type: 'DEACTIVATE'; replyTo: AnyActorRef }
  | { type: 'PAGES_DONE'; startPfn: number; endPfn: number; pass: number; work: 'full' | 'pgmap' | 'hosting' };

/** Replies to the namespace. */
export type SectionReply =
  | { type: 'ACTIVATED'; actor: string; pages: number }
  | { type: 'ACTIVATE_FAILED'; actor: string; section: number; pfn: number; partialPages: number; pages: number }
  | { type: 'DEACTIVATED'; actor: string };

export interface SectionInput {
  env: SimEnv;
  namespace: string;
  actorId: string;
  firstSection: number;
  lastSection: number;
  startPfn: number;
  endPfn: number;
  geometry?: SectionGeometry;
}

/** Base pages with an altmap: what every section was before compound pages were modelled. */
const BASE_GEOMETRY: SectionGeometry = { altmap: true, vmemmapShift: 0, compoundPfns: 1, optimized: false, earlySections: [] };

/** The population plans of these sections (see model/section-plans.ts). */
function plansOf(ctx: SectionContext): SectionPlans {
  const g = ctx.geometry;
  return sectionPlans({
    startPfn: ctx.startPfn,
    endPfn: ctx.endPfn,
    altmap: g.altmap,
    vmemmapShift: g.vmemmapShift,
    earlySections: g.earlySections,
    constants: ctx.env.scenario.constants,
  });
}

/** Pfns of [startPfn, endPfn) inside these sections. */
function overlapPfns(ctx: SectionContext, startPfn: number, endPfn: number): number {
  const pps = ctx.env.scenario.derived.pagesPerSection;
  return Math.max(0, Math.min(endPfn, (ctx.lastSection + 1) * pps) - Math.max(startPfn, ctx.firstSection * pps));
}

export const sectionMachine = setup({
  types: { context: {} as SectionContext, events: {} as SectionEvent, input: {} as SectionInput },
  actions: {
    activate: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'ACTIVATE') return;
      const { env } = context;
      const order = event.order ?? 'ascending';
      const plans = plansOf(context);
      const a = activateSections({
        plans,
        first: context.firstSection,
        last: context.lastSection,
        order,
        budget: event.budget ?? Infinity,
        failSection: event.failSection ?? null,
        earlySections: context.geometry.earlySections,
        costs: env.scenario.costs,
      });
      const now = env.clock.now();
      const delay = env.cost(a.timeNs);
      if (!a.failure) {
        env.emit({
          type: 'section.activate',
          t: now,
          namespace: context.namespace,
          actor: context.actorId,
          firstSection: context.firstSection,
          lastSection: context.lastSection,
          vmemmapPages: a.dataPages,
        });
      }
      if (a.done) {
        const g = context.geometry;
        env.emit({
          type: 'vmemmap.populate',
          t: now,
          namespace: context.namespace,
          actor: context.actorId,
          firstSection: a.done.first,
          lastSection: a.done.last,
          order,
          pagesPerSection: env.scenario.derived.pagesPerSection,
          compoundPfns: g.compoundPfns,
          optimized: g.optimized,
          altmap: g.altmap,
          dataPages: a.dataPages,
          pageTablePages: a.pageTablePages,
          reuseSections: a.reuseSections,
          earlySections: [...a.early],
          endsAt: now + delay,
        });
      }
      enqueue.assign({ activated: true, live: a.done });
      const pfnOf = (s: number) => Math.max(context.startPfn, s * env.scenario.derived.pagesPerSection);
      const reply = a.failure
        ? {
            type: 'ACTIVATE_FAILED',
            actor: context.actorId,
            section: a.failure.section,
            pfn: pfnOf(a.failure.section),
            partialPages: a.failure.partialPages,
            pages: a.allocated,
          }
        : { type: 'ACTIVATED', actor: context.actorId, pages: a.allocated };
      enqueue.sendTo(event.replyTo, reply as SectionReply, { delay, id: `activated:${context.actorId}` });
    }),
    deactivate: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DEACTIVATE') return;
      const { env } = context;
      const live = context.live;
      const freed = live ? deactivateSections(plansOf(context), live, env.scenario.costs) : null;
      if (live && freed) {
        env.emit({
          type: 'vmemmap.depopulate',
          t: env.clock.now(),
          namespace: context.namespace,
          actor: context.actorId,
          firstSection: live.first,
          lastSection: live.last,
          sections: live.last - live.first + 1,
          dataPages: freed.dataPages,
          pageTablePages: freed.pageTablePages,
        });
      }
      enqueue.assign({ activated: false, live: null });
      enqueue.sendTo(event.replyTo, { type: 'DEACTIVATED', actor: context.actorId } satisfies SectionReply, {
        delay: env.cost(freed?.timeNs ?? 0),
        id: `deactivated:${context.actorId}`,
      });
    }),
    record: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'PAGES_DONE') return;
      const n = overlapPfns(context, event.startPfn, event.endPfn);
      const initialized = context.initialized + (event.work === 'pgmap' ? 0 : n);
      const revisited = context.revisited + (event.work === 'pgmap' ? n : 0);
      const ready = initialized >= context.endPfn - context.startPfn;
      if (ready && !context.ready) {
        context.env.emit({
          type: 'section.ready',
          t: context.env.clock.now(),
          namespace: context.namespace,
          actor: context.actorId,
          firstSection: context.firstSection,
          lastSection: context.lastSection,
        });
      }
      enqueue.assign({ initialized, revisited, ready: context.ready || ready });
    }),
  },
}).createMachine({
  id: 'section',
  context: ({ input }) => ({
    ...input,
    geometry: input.geometry ?? BASE_GEOMETRY,
    activated: false,
    live: null,
    initialized: 0,
    revisited: 0,
    ready: false,
  }),
  initial: 'offline',
  states: {
    offline: { on: { ACTIVATE: { target: 'populated', actions: 'activate' } } },
    populated: {
      on: {
        PAGES_DONE: { actions: 'record' },
        DEACTIVATE: { target: 'offline', actions: 'deactivate' },
      },
    },
  },
});
