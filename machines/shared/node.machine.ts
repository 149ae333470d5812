import { setup, enqueueActions, type AnyActorRef } from 'xstate';
import type { SimEnv } from './sim-env.js';

/**
 * A NUMA node as a pool of logical CPUs. CPU i sits on core i % cores (Linux
 * numbers the first SMT sibling of every core before the second ones). A
 * worker gets an idle core when there is one, else a sibling of a busy core;
 * both siblings of a busy core then run at the profile's smtFactor, and the
 * node tells the other sibling's worker its new speed. Workers beyond the
 * node's CPUs wait in FIFO order.
 */
interface Request {
  readonly id: string;
  readonly ref: AnyActorRef;
}

export interface NodeContext {
  readonly env: SimEnv;
  readonly nodeId: number;
  readonly cores: number;
  /** cpu -> worker id holding it */
  readonly cpus: readonly (Request | null)[];
  readonly waiting: readonly Request[];
}

export type NodeEvent = { type: 'CPU_REQUEST'; id: string; ref: AnyActorRef } | { type: 'CPU_RELEASE'; id: string };

export interface NodeInput {
  env: SimEnv;
  nodeId: number;
  cores: number;
  threadsPerCore: number;
}

const coreOf = (ctx: Pick<NodeContext, 'cores'>, cpu: number) => cpu % ctx.cores;

function siblings(ctx: Pick<NodeContext, 'cores' | 'cpus'>, cpu: number): number[] {
  const out: number[] = [];
  for (let c = coreOf(ctx, cpu); c < ctx.cpus.length; c += ctx.cores) if (c !== cpu) out.push(c);
  return out;
}

function busyOnCore(cpus: readonly (Request | null)[], ctx: Pick<NodeContext, 'cores'>, core: number): number {
  let n = 0;
  for (let c = core; c < cpus.length; c += ctx.cores) if (cpus[c]) n++;
  return n;
}

export const nodeMachine = setup({
  types: { context: {} as NodeContext, events: {} as NodeEvent, input: {} as NodeInput },
  actions: {
    allocate: enqueueActions(({ context, event, enqueue }) => {
      const smt = context.env.scenario.costs.smtFactor;
      const cpus = [...context.cpus];
      let waiting = [...context.waiting];
      const speedOf = (busy: number) => (busy > 1 ? smt : 1);
      const notifySiblings = (cpu: number) => {
        const core = coreOf(context, cpu);
        const speed = speedOf(busyOnCore(cpus, context, core));
        for (const s of siblings(context, cpu)) {
          const holder = cpus[s];
          if (holder) enqueue.sendTo(holder.ref, { type: 'SPEED', speed });
        }
      };
      if (event.type === 'CPU_RELEASE') {
        const cpu = cpus.findIndex((r) => r?.id === event.id);
        if (cpu >= 0) {
          cpus[cpu] = null;
          notifySiblings(cpu);
        }
      } else {
        waiting.push({ id: event.id, ref: event.ref });
      }
      while (waiting.length) {
        // Prefer a CPU whose whole core is idle, then any idle CPU.
        let cpu = -1;
        for (let c = 0; c < cpus.length && cpu < 0; c++) if (!cpus[c] && busyOnCore(cpus, context, coreOf(context, c)) === 0) cpu = c;
        for (let c = 0; c < cpus.length && cpu < 0; c++) if (!cpus[c]) cpu = c;
        if (cpu < 0) break;
        const req = waiting.shift()!;
        cpus[cpu] = req;
        const core = coreOf(context, cpu);
        enqueue.sendTo(req.ref, { type: 'CPU_GRANTED', cpu, core, node: context.nodeId, speed: speedOf(busyOnCore(cpus, context, core)) });
        notifySiblings(cpu);
      }
      waiting = [...waiting];
      enqueue.assign({ cpus, waiting });
    }),
  },
}).createMachine({
  id: 'node',
  context: ({ input }) => ({
    env: input.env,
    nodeId: input.nodeId,
    cores: input.cores,
    cpus: new Array(input.cores * input.threadsPerCore).fill(null),
    waiting: [],
  }),
  initial: 'running',
  states: {
    running: {
      on: { CPU_REQUEST: { actions: 'allocate' }, CPU_RELEASE: { actions: 'allocate' } },
    },
  },
});
