import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * A node's ZONE_DEVICE zone. move_pfn_range_to_zone grows its span
 * (resize_zone_range, resize_pgdat_range); since v5.14 only mem_hotplug_lock
 * held for write serializes that, which the I4 checker verifies from the trace.
 */
export interface ZoneContext {
  readonly env: SimEnv;
  readonly name: string;
  readonly startPfn: number;
  readonly endPfn: number;
}

export type ZoneEvent = { type: 'RESIZE'; by: string; startPfn: number; endPfn: number; replyTo: AnyActorRef };

export interface ZoneInput {
  env: SimEnv;
  name: string;
}

export const zoneMachine = setup({
  types: { context: {} as ZoneContext, events: {} as ZoneEvent, input: {} as ZoneInput },
  actions: {
    resize: enqueueActions(({ context, event, enqueue }) => {
      const now = context.env.clock.now();
      const empty = context.endPfn <= context.startPfn;
      const startPfn = empty ? event.startPfn : Math.min(context.startPfn, event.startPfn);
      const endPfn = empty ? event.endPfn : Math.max(context.endPfn, event.endPfn);
      context.env.emit({ type: 'zone.resize', t: now, zone: context.name, by: event.by, startPfn, endPfn });
      enqueue.assign({ startPfn, endPfn });
      enqueue.sendTo(event.replyTo, { type: 'RESIZED' }, { delay: context.env.cost(context.env.scenario.costs.zoneResizeNs), id: `resized:${event.by}` });
    }),
  },
}).createMachine({
  id: 'zone',
  context: ({ input }) => ({ env: input.env, name: input.name, startPfn: 0, endPfn: 0 }),
  initial: 'active',
  states: { active: { on: { RESIZE: { actions: 'resize' } } } },
});
