import { setup, assertEvent, enqueueActions } from 'xstate';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';
import { touchPublished, type Published } from './dax-user.js';
import { applyStep } from '../shared/step.js';

/**
 * A DAX user: as soon as a namespace is published it maps and touches some
 * of its data pfns (dax-user.ts says which). It keeps nothing, so it has one
 * state.
 */
export interface DaxUserContext {
  readonly env: SimEnv;
  readonly name: string;
}

export type DaxUserEvent = { type: 'PUBLISHED' } & Published;

const daxUserSetup = setup({
  types: { context: {} as DaxUserContext, events: {} as DaxUserEvent, input: {} as { env: SimEnv; name: string } },
  actions: {
    /** The one action that traces: it runs when the actions execute, never in a pure transition. */
    emitTrace: ({ context }, params: { trace: readonly TraceEvent[] }) => {
      for (const e of params.trace) context.env.emit(e);
    },
  },
});

const touch = daxUserSetup.createAction(
  enqueueActions(({ context, event, enqueue }) => {
    assertEvent(event, 'PUBLISHED');
    applyStep(enqueue, touchPublished(context.name, event, context.env.clock.now()));
  }),
);

export const daxUserMachine = daxUserSetup.extend({ actions: { touch } }).createMachine({
  id: 'daxUser',
  context: ({ input }) => ({ env: input.env, name: input.name }),
  initial: 'watching',
  states: { watching: { on: { PUBLISHED: { actions: 'touch' } } } },
});
