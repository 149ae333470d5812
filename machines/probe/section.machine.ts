import { setup, assertEvent, enqueueActions, type AnyActorRef } from 'xstate';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';
import {
  EMPTY,
  completesInit,
  depopulateRun,
  pagesDone,
  populateRun,
  populationFails,
  type PagesDone,
  type PopulateRequest,
  type SectionGeometry,
  type SectionRun,
  type SectionRunSpec,
  type SectionRunState,
} from './section.js';
import { applyStep, type At, type Step } from '../shared/step.js';

export type { SectionGeometry, SectionReply } from './section.js';

/**
 * A run of consecutive sparsemem sections of one namespace (one section per
 * actor on small machines; runs bound the actor count on big ones, see
 * docs/architecture.md). Pages are data here, never actors, and so are
 * sections: its state is the span of sections it populated and the struct
 * pages initialized, the same size for 1 section or 500,000. The steps are
 * in section.ts.
 *
 * offline -ACTIVATE-> populated (initializing, then ready once every struct
 * page is initialized), or populateFailed when an injected ENOMEM stopped the
 * population; DEACTIVATE (the failed probe unwinding) frees what was
 * populated and takes it back offline.
 */
export interface SectionContext extends SectionRun {
  readonly env: SimEnv;
}

export type SectionEvent =
  ({ type: 'ACTIVATE' } & PopulateRequest) | { type: 'DEACTIVATE'; replyTo: AnyActorRef } | ({ type: 'PAGES_DONE'; pass: number } & PagesDone);

export interface SectionInput extends Omit<SectionRunSpec, 'geometry'> {
  env: SimEnv;
  geometry?: SectionGeometry;
}

/** Base pages with an altmap: what every section was before compound pages were modelled. */
const BASE_GEOMETRY: SectionGeometry = { altmap: true, vmemmapShift: 0, compoundPfns: 1, optimized: false, earlySections: [] };

const atOf = ({ env }: SectionContext): At => ({ now: env.clock.now(), scenario: env.scenario, cost: env.cost });

const sectionSetup = setup({
  types: { context: {} as SectionContext, events: {} as SectionEvent, input: {} as SectionInput },
  guards: {
    /** An injected ENOMEM stops this population (the step itself is applied by `populate`). */
    populationFails: ({ context, event }) => {
      assertEvent(event, 'ACTIVATE');
      return populationFails(context, event, context.env);
    },
    completesInit: ({ context, event }) => {
      assertEvent(event, 'PAGES_DONE');
      return completesInit(context, event, context.env);
    },
  },
  actions: {
    /** The one action that traces: it runs when the actions execute, never in a pure transition. */
    emitTrace: ({ context }, params: { trace: readonly TraceEvent[] }) => {
      for (const e of params.trace) context.env.emit(e);
    },
  },
});

/** An action that applies a kernel step of the run. */
const apply = (f: (context: SectionContext, event: SectionEvent) => Step<SectionRunState>) =>
  sectionSetup.createAction(enqueueActions(({ context, event, enqueue }) => applyStep(enqueue, f(context, event))));

export const sectionMachine = sectionSetup
  .extend({
    actions: {
      populate: apply((c, e) => (assertEvent(e, 'ACTIVATE'), populateRun(c, e, atOf(c)))),
      depopulate: apply((c, e) => (assertEvent(e, 'DEACTIVATE'), depopulateRun(c, e.replyTo, atOf(c)))),
      countPages: apply((c, e) => (assertEvent(e, 'PAGES_DONE'), pagesDone(c, e, atOf(c)))),
    },
  })
  .createMachine({
    id: 'section',
    context: ({ input }) => ({ ...input, geometry: input.geometry ?? BASE_GEOMETRY, ...EMPTY }),
    initial: 'offline',
    states: {
      // The population is computed at once; its reply is sent after its time.
      offline: {
        on: {
          ACTIVATE: [
            { guard: 'populationFails', target: 'populateFailed', actions: 'populate' },
            { target: 'populated', actions: 'populate' },
          ],
        },
      },
      populated: {
        initial: 'initializing',
        on: { DEACTIVATE: { target: 'offline', actions: 'depopulate' } },
        states: {
          initializing: {
            on: { PAGES_DONE: [{ guard: 'completesInit', target: 'ready', actions: 'countPages' }, { actions: 'countPages' }] },
          },
          // Every struct page is initialized; later passes (the pgmap pass) only revisit them.
          ready: {},
        },
      },
      // ENOMEM: the sections before the failing one stay populated until the probe unwinds.
      populateFailed: { on: { DEACTIVATE: { target: 'offline', actions: 'depopulate' } } },
    },
  });
