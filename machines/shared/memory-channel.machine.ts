import { setup, enqueueActions } from 'xstate';
import type { Sharing } from '../../src/model/profile.js';
import { replanFlows, type ChannelState, type FlowChange } from './memory-channel.js';
import { emitTrace, type SimEnv } from './sim-env.js';

export { shareRates, type Flow, type FlowChange as ChannelEvent } from './memory-channel.js';
export type { Sharing };

/**
 * A memory channel: idle with no flow on it, busy while flows share its
 * bandwidth. Every FLOW_START, FLOW_CAP and planned completion (TICK)
 * re-plans the flows (replanFlows, in memory-channel.ts); the machine stores
 * the new flows, traces the new total rate, tells the owners of finished
 * flows and plans the next completion.
 */
export interface ChannelContext extends ChannelState {
  readonly env: SimEnv;
}

export interface ChannelInput {
  env: SimEnv;
  name: string;
  capacity: number;
  sharing?: Sharing;
  streamCap?: number;
}

const TICK_ID = 'channel-next-completion';

export const memoryChannelMachine = setup({
  types: {
    context: {} as ChannelContext,
    events: {} as FlowChange,
    input: {} as ChannelInput,
  },
  guards: {
    noFlows: ({ context }) => context.flows.length === 0,
  },
  actions: {
    emitTrace,
    // The trace goes out before the owners hear FLOW_DONE: they react at once, and trace their own steps.
    replan: enqueueActions(({ context, event, enqueue }) => {
      const step = replanFlows(context, context.env.clock.now(), event);
      enqueue.assign(step.state);
      enqueue({ type: 'emitTrace', params: { trace: step.trace } });
      // Exploring, flows that finish together tell their owners in an order the chooser picks.
      const options = context.env.interleave ? { delay: 0 } : undefined;
      for (const m of step.send) enqueue.sendTo(m.to, m.event, options);
      enqueue.cancel(TICK_ID);
      if (step.next) enqueue.raise({ type: 'TICK', flow: step.next.flow }, { delay: step.next.delayNs, id: TICK_ID });
    }),
  },
}).createMachine({
  id: 'memoryChannel',
  context: ({ input }) => ({
    env: input.env,
    name: input.name,
    capacity: input.capacity,
    sharing: input.sharing ?? 'maxmin',
    streamCap: input.streamCap ?? Infinity,
    flows: [],
    lastNs: input.env.clock.now(),
  }),
  initial: 'idle',
  on: {
    FLOW_CAP: { actions: 'replan' },
    TICK: { actions: 'replan' },
  },
  states: {
    idle: {
      on: { FLOW_START: { target: 'busy', actions: 'replan' } },
    },
    // Until the last flow finishes; a flow of no bytes finishes as it starts.
    busy: {
      always: { guard: 'noFlows', target: 'idle' },
      on: { FLOW_START: { actions: 'replan' } },
    },
  },
});
