import { setup, assign, assertEvent } from 'xstate';
import type { PfnRange } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';
import { EMPTY_BUDDY, freeRange, type BuddyState, type FreeRequest } from './buddy.js';
import { emitStepTrace } from '../shared/step.js';

/**
 * The buddy allocator of a node's deferred zone. Threads report each step's
 * pages (initialized, then freed, in the strategy's order); `freeRange`
 * (buddy.ts) runs the merge loop and finds the hazards, and the machine
 * assigns the allocator and emits the trace. Its free lists hold no deferred
 * page until the first step frees some.
 */
export interface BuddyContext extends BuddyState {
  readonly env: SimEnv;
  readonly node: number;
  readonly zone: string;
  /** Deferred free ranges: every pfn outside them was initialized early. */
  readonly deferred: readonly PfnRange[];
  readonly trace: readonly TraceEvent[];
}

export type BuddyEvent = { type: 'PAGES_FREED' } & FreeRequest;

export interface BuddyInput {
  env: SimEnv;
  node: number;
  zone: string;
  deferred: readonly PfnRange[];
}

export const buddyMachine = setup({
  types: { context: {} as BuddyContext, events: {} as BuddyEvent, input: {} as BuddyInput },
  actions: {
    free: assign(({ context, event }) => {
      assertEvent(event, 'PAGES_FREED');
      const { env } = context;
      const step = freeRange(context, event, {
        node: context.node,
        zone: context.zone,
        deferred: context.deferred,
        maxOrderNrPages: env.scenario.derived.maxOrderNrPages,
        maxPageOrder: env.scenario.constants.maxPageOrder,
        nowNs: env.clock.now(),
      });
      return { ...step.state, trace: step.trace };
    }),
    emitTrace: emitStepTrace,
  },
}).createMachine({
  id: 'buddy',
  context: ({ input }) => ({ ...input, ...EMPTY_BUDDY, trace: [] }),
  initial: 'empty',
  states: {
    /** No deferred page freed yet: the free lists hold only what was initialized early. */
    empty: { on: { PAGES_FREED: { target: 'freeing', actions: ['free', 'emitTrace'] } } },
    /** Deferred init is handing pages over, step by step. */
    freeing: { on: { PAGES_FREED: { actions: ['free', 'emitTrace'] } } },
  },
});
