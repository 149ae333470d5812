import { setup, assertEvent, enqueueActions, type AnyActorRef } from 'xstate';
import { poolLoad, releaseCpu, requestCpu, type CpuPool, type PoolLoad } from './node.js';
import type { SimEnv } from './sim-env.js';

export type { CpuHolder, CpuRequest } from './node.js';

/**
 * A NUMA node as a pool of logical CPUs with SMT siblings paired (node.ts).
 * Its states say what the next thread gets: a whole idle core, an SMT
 * sibling of a busy core (both then slow to smtFactor), or a place in the
 * FIFO queue. `cpus[i]` names the core and thread each holder got.
 */
export interface NodeContext extends CpuPool {
  readonly env: SimEnv;
}

export type NodeEvent = { type: 'CPU_REQUEST'; id: string; ref: AnyActorRef } | { type: 'CPU_RELEASE'; id: string };

export interface NodeInput {
  env: SimEnv;
  nodeId: number;
  cores: number;
  threadsPerCore: number;
}

const LOADS: readonly PoolLoad[] = ['hasIdleCores', 'siblingsOnly', 'allCpusBusy'];

/** From a state, the moves to the others once a request or a release has changed the load. */
const leave = (from: PoolLoad) => LOADS.filter((load) => load !== from).map((load) => ({ guard: { type: 'loadIs', params: { load } } as const, target: load }));

export const nodeMachine = setup({
  types: { context: {} as NodeContext, events: {} as NodeEvent, input: {} as NodeInput },
  guards: {
    loadIs: ({ context }, params: { load: PoolLoad }) => poolLoad(context) === params.load,
  },
  actions: {
    request: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'CPU_REQUEST');
      const step = requestCpu(context, { id: event.id, ref: event.ref });
      enqueue.assign(step.state);
      for (const m of step.send) enqueue.sendTo(m.to, m.event);
    }),
    release: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'CPU_RELEASE');
      const step = releaseCpu(context, event.id);
      enqueue.assign(step.state);
      for (const m of step.send) enqueue.sendTo(m.to, m.event);
    }),
  },
}).createMachine({
  id: 'node',
  context: ({ input }) => ({
    env: input.env,
    nodeId: input.nodeId,
    cores: input.cores,
    smtFactor: input.env.scenario.costs.smtFactor,
    cpus: new Array(input.cores * input.threadsPerCore).fill(null),
    waiting: [],
  }),
  initial: 'hasIdleCores',
  on: {
    CPU_REQUEST: { actions: 'request' },
    CPU_RELEASE: { actions: 'release' },
  },
  states: {
    // A new thread gets a core to itself and runs at full speed.
    hasIdleCores: { always: leave('hasIdleCores') },
    // Every core runs a thread: a new one shares a core with its SMT sibling, both at smtFactor.
    siblingsOnly: { always: leave('siblingsOnly') },
    // Every CPU is held: requests wait in FIFO order for a release.
    allCpusBusy: { always: leave('allCpusBusy') },
  },
});
