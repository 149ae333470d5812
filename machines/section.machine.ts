import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import { sectionNrVmemmapPages } from '../src/model/vmemmap-geometry.js';
import type { SimEnv } from './sim-env.js';

/**
 * A run of consecutive sparsemem sections of one namespace (one section per
 * actor on small machines; runs bound the actor count on big ones, see
 * docs/architecture.md). Pages are data here, never actors: per section it
 * keeps the vmemmap pages populated and how many struct pages each pass has
 * initialized. sparse_add_section populates the sections in pfn order.
 */
export interface SectionContext {
  readonly env: SimEnv;
  readonly ns: string;
  readonly actorId: string;
  readonly firstSection: number;
  readonly lastSection: number;
  /** The namespace's pfns within these sections. */
  readonly startPfn: number;
  readonly endPfn: number;
  readonly activated: boolean;
  readonly vmemmapPages: readonly number[];
  /** Struct pages initialized by the full (or hosting) pass, per section. */
  readonly initialized: readonly number[];
  /** Struct pages revisited by later passes, per section. */
  readonly revisited: readonly number[];
  readonly ready: boolean;
}

export type SectionEvent =
  | { type: 'ACTIVATE'; replyTo: AnyActorRef }
  | { type: 'PAGES_DONE'; startPfn: number; endPfn: number; pass: number; work: 'full' | 'pgmap' | 'hosting' };

export interface SectionInput {
  env: SimEnv;
  ns: string;
  actorId: string;
  firstSection: number;
  lastSection: number;
  startPfn: number;
  endPfn: number;
}

export const sectionMachine = setup({
  types: { context: {} as SectionContext, events: {} as SectionEvent, input: {} as SectionInput },
  actions: {
    activate: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'ACTIVATE') return;
      const { env } = context;
      const pps = env.scenario.derived.pagesPerSection;
      const vmemmapPages = context.vmemmapPages.map((_, i) => {
        const s = context.firstSection + i;
        const lo = Math.max(context.startPfn, s * pps);
        const hi = Math.min(context.endPfn, (s + 1) * pps);
        return sectionNrVmemmapPages({ pfn: lo, nrPages: hi - lo, altmap: true, vmemmapShift: 0, constants: env.scenario.constants });
      });
      const n = context.lastSection - context.firstSection + 1;
      env.emit({
        type: 'section.activate',
        t: env.clock.now(),
        ns: context.ns,
        actor: context.actorId,
        firstSection: context.firstSection,
        lastSection: context.lastSection,
        vmemmapPages: vmemmapPages.reduce((a, b) => a + b, 0),
      });
      enqueue.assign({ activated: true, vmemmapPages });
      enqueue.sendTo(event.replyTo, { type: 'ACTIVATED', actor: context.actorId }, { delay: env.cost(n * env.scenario.costs.sectionActivateNs), id: `activated:${context.actorId}` });
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
      activated: false,
      vmemmapPages: new Array(n).fill(0),
      initialized: new Array(n).fill(0),
      revisited: new Array(n).fill(0),
      ready: false,
    };
  },
  initial: 'offline',
  states: {
    offline: { on: { ACTIVATE: { target: 'populated', actions: 'activate' } } },
    populated: { on: { PAGES_DONE: { actions: 'record' } } },
  },
});
