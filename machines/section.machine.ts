import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import { allocationsOf, partialPopulateNs, planSectionPopulation, populateNs, type SectionPopulation } from '../src/model/section-populate.js';
import type { SimEnv } from './sim-env.js';

/**
 * A run of consecutive sparsemem sections of one namespace (one section per
 * actor on small machines; runs bound the actor count on big ones, see
 * docs/architecture.md). Pages are data here, never actors: per section it
 * keeps the vmemmap data and page-table pages it populated and how many
 * struct pages each pass has initialized.
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
  readonly ns: string;
  readonly actorId: string;
  readonly firstSection: number;
  readonly lastSection: number;
  /** The namespace's pfns within these sections. */
  readonly startPfn: number;
  readonly endPfn: number;
  readonly geometry: SectionGeometry;
  readonly activated: boolean;
  /** Per section: vmemmap data pages populated (0 until populated, and after deactivation). */
  readonly vmemmapPages: readonly number[];
  /** Per section: PTE-table pages populated. */
  readonly pageTablePages: readonly number[];
  /** Per section: the memmap is populated and live. */
  readonly live: readonly boolean[];
  /** Struct pages initialized by the full (or hosting) pass, per section. */
  readonly initialized: readonly number[];
  /** Struct pages revisited by later passes, per section. */
  readonly revisited: readonly number[];
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
  ns: string;
  actorId: string;
  firstSection: number;
  lastSection: number;
  startPfn: number;
  endPfn: number;
  geometry?: SectionGeometry;
}

/** Base pages with an altmap: what every section was before compound pages were modelled. */
const BASE_GEOMETRY: SectionGeometry = { altmap: true, vmemmapShift: 0, compoundPfns: 1, optimized: false, earlySections: [] };

function pieceOf(ctx: SectionContext, s: number): { pfn: number; nrPages: number } {
  const pps = ctx.env.scenario.derived.pagesPerSection;
  const pfn = Math.max(ctx.startPfn, s * pps);
  return { pfn, nrPages: Math.min(ctx.endPfn, (s + 1) * pps) - pfn };
}

/**
 * The population plan of each section, by section number. Full sections
 * differ only by their offset in a compound page, so their plans are shared
 * (a 12 TiB namespace has 98304 sections and one or eight distinct plans):
 * no allocation per section.
 */
function planner(ctx: SectionContext): (s: number) => SectionPopulation {
  const g = ctx.geometry;
  const pps = ctx.env.scenario.derived.pagesPerSection;
  const period = Math.max(g.compoundPfns, pps);
  const full = new Map<number, SectionPopulation>();
  const plan = (s: number, pfn: number, nrPages: number) =>
    planSectionPopulation({ pfn, nrPages, altmap: g.altmap, vmemmapShift: g.vmemmapShift, early: g.earlySections.includes(s), constants: ctx.env.scenario.constants });
  return (s) => {
    const pfn = Math.max(ctx.startPfn, s * pps);
    const nrPages = Math.min(ctx.endPfn, (s + 1) * pps) - pfn;
    if (nrPages !== pps || g.earlySections.length) return plan(s, pfn, nrPages);
    const phase = pfn % period;
    let p = full.get(phase);
    if (!p) full.set(phase, (p = plan(s, pfn, nrPages)));
    return p;
  };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export const sectionMachine = setup({
  types: { context: {} as SectionContext, events: {} as SectionEvent, input: {} as SectionInput },
  actions: {
    activate: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'ACTIVATE') return;
      const { env } = context;
      const costs = env.scenario.costs;
      const order = event.order ?? 'ascending';
      const n = context.lastSection - context.firstSection + 1;
      const vmemmapPages = [...context.vmemmapPages];
      const pageTablePages = [...context.pageTablePages];
      const live = [...context.live];
      let budget = event.budget ?? Infinity;
      let timeNs = 0;
      let allocated = 0;
      let reuseSections = 0;
      const early: number[] = [];
      const done: number[] = [];
      let failure: { section: number; partialPages: number } | null = null;
      const planOf = planner(context);
      for (let k = 0; k < n; k++) {
        const s = order === 'ascending' ? context.firstSection + k : context.lastSection - k;
        const i = s - context.firstSection;
        const plan = planOf(s);
        const need = allocationsOf(plan);
        if (s === event.failSection || need > budget) {
          // A PMD block is one allocation: it fails whole. PTE-mapped memmaps fail page by page.
          const partialPages = s === event.failSection || plan.pmdMapped ? 0 : budget;
          timeNs += partialPopulateNs(plan, partialPages, costs) + partialPages * costs.vmemmapPageFreeNs;
          failure = { section: s, partialPages };
          break;
        }
        budget -= need;
        allocated += need;
        timeNs += populateNs(plan, costs);
        vmemmapPages[i] = plan.dataPages;
        pageTablePages[i] = plan.pageTablePages;
        live[i] = true;
        if (plan.reuse) reuseSections++;
        if (plan.early) early.push(s);
        done.push(s);
      }
      const now = env.clock.now();
      const delay = env.cost(timeNs);
      if (!failure) {
        env.emit({
          type: 'section.activate',
          t: now,
          ns: context.ns,
          actor: context.actorId,
          firstSection: context.firstSection,
          lastSection: context.lastSection,
          vmemmapPages: sum(vmemmapPages),
        });
      }
      if (done.length) {
        const g = context.geometry;
        env.emit({
          type: 'vmemmap.populate',
          t: now,
          ns: context.ns,
          actor: context.actorId,
          firstSection: order === 'ascending' ? done[0] : done[done.length - 1],
          lastSection: order === 'ascending' ? done[done.length - 1] : done[0],
          order,
          pagesPerSection: env.scenario.derived.pagesPerSection,
          compoundPfns: g.compoundPfns,
          optimized: g.optimized,
          altmap: g.altmap,
          dataPages: done.reduce((a, s) => a + vmemmapPages[s - context.firstSection], 0),
          pageTablePages: done.reduce((a, s) => a + pageTablePages[s - context.firstSection], 0),
          reuseSections,
          earlySections: early,
          endsAt: now + delay,
        });
      }
      enqueue.assign({ activated: true, vmemmapPages, pageTablePages, live });
      const reply = failure
        ? { type: 'ACTIVATE_FAILED', actor: context.actorId, section: failure.section, pfn: pieceOf(context, failure.section).pfn, partialPages: failure.partialPages, pages: allocated }
        : { type: 'ACTIVATED', actor: context.actorId, pages: allocated };
      enqueue.sendTo(event.replyTo, reply as SectionReply, { delay, id: `activated:${context.actorId}` });
    }),
    deactivate: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'DEACTIVATE') return;
      const { env } = context;
      const costs = env.scenario.costs;
      const idx = context.live.flatMap((l, i) => (l ? [i] : []));
      let timeNs = 0;
      const planOf = planner(context);
      for (const i of idx) {
        const plan = planOf(context.firstSection + i);
        // section_deactivate: depopulate_section_memmap frees the memmap (a PMD block in one free_pages).
        timeNs += costs.sectionActivateNs + (plan.pmdMapped ? 1 : context.vmemmapPages[i] + context.pageTablePages[i]) * costs.vmemmapPageFreeNs;
      }
      if (idx.length) {
        env.emit({
          type: 'vmemmap.depopulate',
          t: env.clock.now(),
          ns: context.ns,
          actor: context.actorId,
          firstSection: context.firstSection + idx[0],
          lastSection: context.firstSection + idx[idx.length - 1],
          sections: idx.length,
          dataPages: idx.reduce((a, i) => a + context.vmemmapPages[i], 0),
          pageTablePages: idx.reduce((a, i) => a + context.pageTablePages[i], 0),
        });
      }
      const zeros = context.live.map(() => 0);
      enqueue.assign({ activated: false, vmemmapPages: zeros, pageTablePages: zeros, live: context.live.map(() => false) });
      enqueue.sendTo(event.replyTo, { type: 'DEACTIVATED', actor: context.actorId } satisfies SectionReply, {
        delay: env.cost(timeNs),
        id: `deactivated:${context.actorId}`,
      });
    }),
    record: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'PAGES_DONE') return;
      const pps = context.env.scenario.derived.pagesPerSection;
      const initialized = [...context.initialized];
      const revisited = [...context.revisited];
      for (let s = Math.floor(event.startPfn / pps); s * pps < event.endPfn; s++) {
        const i = s - context.firstSection;
        if (i < 0 || i >= initialized.length) continue;
        const n = Math.min(event.endPfn, (s + 1) * pps) - Math.max(event.startPfn, s * pps);
        if (event.work === 'pgmap') revisited[i] += n;
        else initialized[i] += n;
      }
      const total = initialized.reduce((a, b) => a + b, 0);
      const ready = total >= context.endPfn - context.startPfn;
      if (ready && !context.ready) {
        context.env.emit({
          type: 'section.ready',
          t: context.env.clock.now(),
          ns: context.ns,
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
  context: ({ input }) => {
    const n = input.lastSection - input.firstSection + 1;
    return {
      ...input,
      geometry: input.geometry ?? BASE_GEOMETRY,
      activated: false,
      vmemmapPages: new Array(n).fill(0),
      pageTablePages: new Array(n).fill(0),
      live: new Array(n).fill(false),
      initialized: new Array(n).fill(0),
      revisited: new Array(n).fill(0),
      ready: false,
    };
  },
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
