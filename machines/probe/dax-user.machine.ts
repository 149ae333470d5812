import { setup } from 'xstate';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * A DAX user: as soon as a namespace is published it maps and touches the
 * first, middle and last data pfn (dax is mapped directly, so "any address may
 * be directly accessed at any time", seed 000). The checker verifies each
 * touched struct page was initialized first.
 */
export interface DaxUserContext {
  readonly env: SimEnv;
  readonly name: string;
}

export type DaxUserEvent = { type: 'PUBLISHED'; ns: string; startPfn: number; endPfn: number };

export const daxUserMachine = setup({
  types: { context: {} as DaxUserContext, events: {} as DaxUserEvent, input: {} as { env: SimEnv; name: string } },
  actions: {
    touch: ({ context, event }) => {
      const t = context.env.clock.now();
      const pfns = [event.startPfn, event.startPfn + Math.floor((event.endPfn - event.startPfn) / 2), event.endPfn - 1];
      for (const pfn of new Set(pfns)) context.env.emit({ type: 'dax.access', t, namespace: event.ns, pfn, user: context.name });
    },
  },
}).createMachine({
  id: 'daxUser',
  context: ({ input }) => ({ env: input.env, name: input.name }),
  initial: 'watching',
  states: { watching: { on: { PUBLISHED: { actions: 'touch' } } } },
});
