import { setup, assign, enqueueActions, assertEvent } from 'xstate';
import type { SimEnv } from '../shared/sim-env.js';
import { NO_EDGE_WORDS, writePageblocks, type BootSectionState, type PageblocksWrite } from './boot-section.js';
import { NO_OUTPUT, emitStepTrace, sendOptions, type StepOutput } from '../shared/step.js';

/**
 * A run of boot (early) sections of a node's deferred zone. Pages are data,
 * and so are sections: the run owns its sections' usemaps (pageblock bits)
 * and `writePageblocks` (boot-section.ts) notices two threads sharing a
 * usemap word; the machine assigns, emits the trace and charges the bounces.
 * It waits in `deferred` until the first step sets pageblocks in it.
 */
export interface BootSectionContext extends BootSectionState, StepOutput {
  readonly env: SimEnv;
  readonly node: number;
  readonly actorId: string;
  readonly firstSection: number;
  readonly lastSection: number;
}

export type BootSectionEvent = { type: 'PAGEBLOCKS' } & PageblocksWrite;

export interface BootSectionInput {
  env: SimEnv;
  node: number;
  actorId: string;
  firstSection: number;
  lastSection: number;
}

const RECORD = ['record', 'emitTrace', 'sendOutbox'] as const;

export const bootSectionMachine = setup({
  types: { context: {} as BootSectionContext, events: {} as BootSectionEvent, input: {} as BootSectionInput },
  actions: {
    record: assign(({ context, event }) => {
      assertEvent(event, 'PAGEBLOCKS');
      const { env } = context;
      const d = env.scenario.derived;
      const step = writePageblocks(context, event, {
        node: context.node,
        pagesPerSection: d.pagesPerSection,
        pageblockNrPages: d.pageblockNrPages,
        pageblocksPerUsemapWord: d.pageblocksPerUsemapWord,
        bounceWindowNs: env.scenario.costs.bounceWindowNs,
        bounceNs: env.scenario.costs.bounceNs,
        nowNs: env.clock.now(),
      });
      return { ...step.state, trace: step.trace, outbox: step.send };
    }),
    emitTrace: emitStepTrace,
    sendOutbox: enqueueActions(({ context, enqueue }) => {
      for (const m of context.outbox) enqueue.sendTo(m.to, m.event, sendOptions(context.env, m));
    }),
  },
}).createMachine({
  id: 'bootSection',
  context: ({ input }) => ({ ...input, ...NO_EDGE_WORDS, ...NO_OUTPUT }),
  initial: 'deferred',
  states: {
    /** No deferred-init step has set a pageblock here yet. */
    deferred: { on: { PAGEBLOCKS: { target: 'initializing', actions: [...RECORD] } } },
    /** Threads are setting the run's pageblock migratetypes. */
    initializing: { on: { PAGEBLOCKS: { actions: [...RECORD] } } },
  },
});
