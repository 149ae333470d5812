import { setup, assign, enqueueActions, assertEvent, type AnyActorRef } from 'xstate';
import type { SimEnv } from '../shared/sim-env.js';
import { NO_OUTPUT, emitStepTrace, sendOptions, type StepOutput } from '../shared/step.js';
import { resizeZone } from './zone.js';

/**
 * A node's ZONE_DEVICE zone. move_pfn_range_to_zone grows its span
 * (resize_zone_range, resize_pgdat_range); since v5.14 only mem_hotplug_lock
 * held for write serializes that, which the I4 checker verifies from the trace.
 * It is empty until the first namespace moves its range in, then spanned.
 */
export interface ZoneContext extends StepOutput {
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
    resize: assign(({ context, event }) => {
      assertEvent(event, 'RESIZE');
      const { env } = context;
      const step = resizeZone(context, event, { zone: context.name, nowNs: env.clock.now(), resizeNs: env.scenario.costs.zoneResizeNs });
      return { ...step.state, trace: step.trace, outbox: step.send };
    }),
    emitTrace: emitStepTrace,
    sendOutbox: enqueueActions(({ context, enqueue }) => {
      for (const m of context.outbox) enqueue.sendTo(m.to, m.event, sendOptions(context.env, m));
    }),
  },
}).createMachine({
  id: 'zone',
  context: ({ input }) => ({ env: input.env, name: input.name, startPfn: 0, endPfn: 0, ...NO_OUTPUT }),
  initial: 'empty',
  states: {
    /** No pfn spanned yet (zone_is_empty). */
    empty: { on: { RESIZE: { target: 'spanned', actions: ['resize', 'emitTrace', 'sendOutbox'] } } },
    /** Spans [startPfn, endPfn): every range moved in so far. */
    spanned: { on: { RESIZE: { actions: ['resize', 'emitTrace', 'sendOutbox'] } } },
  },
});
