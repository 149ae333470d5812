import { setup, assign, enqueueActions, type AnyActorRef } from 'xstate';
import { daxUserMachine } from './dax-user.machine.js';
import { hotplugLockMachine } from './hotplug-lock.machine.js';
import { memoryChannelMachine } from './memory-channel.machine.js';
import { namespaceMachine } from './namespace.machine.js';
import { nodeMachine } from './node.machine.js';
import type { SimEnv } from './sim-env.js';
import { zoneMachine } from './zone.machine.js';

/**
 * The root actor: builds the machine of a scenario (nodes, their ZONE_DEVICE
 * zones and DRAM channels, one channel per pmem device, mem_hotplug_lock, a
 * DAX user, the namespaces) in one batch, then starts every namespace probe
 * at t = 0, as async driver probing does.
 */
export interface SystemContext {
  readonly env: SimEnv;
  readonly namespaces: readonly AnyActorRef[];
  /** Forced sections per section actor (tests); default: automatic. */
  readonly sectionsPerActor?: number;
}

/** Namespaces larger than this many sections get multi-section actors. */
export const MAX_SECTION_ACTORS_PER_NAMESPACE = 64;

export function channelIdFor(ns: { altmap: boolean; device: string; node: number }): string {
  return ns.altmap ? `chan/${ns.device}` : `chan/node${ns.node}-dram`;
}

export const systemMachine = setup({
  types: { context: {} as SystemContext, input: {} as { env: SimEnv; sectionsPerActor?: number } },
  actors: {
    node: nodeMachine,
    zone: zoneMachine,
    channel: memoryChannelMachine,
    lock: hotplugLockMachine,
    daxUser: daxUserMachine,
    namespace: namespaceMachine,
  },
  actions: {
    startProbes: enqueueActions(({ context, enqueue }) => {
      for (const ns of context.namespaces) enqueue.sendTo(ns, { type: 'START' });
    }),
  },
}).createMachine({
  id: 'system',
  context: ({ input }) => ({ env: input.env, namespaces: [], sectionsPerActor: input.sectionsPerActor }),
  initial: 'booting',
  states: {
    booting: {
      entry: [
        assign(({ context, spawn }) => {
          const { env } = context;
          const sc = env.scenario;
          const lock = spawn('lock', { id: 'lock/mem_hotplug', systemId: 'lock/mem_hotplug', input: { env, name: 'mem_hotplug_lock' } });
          const daxUser = spawn('daxUser', { id: 'dax-user', systemId: 'dax-user', input: { env, name: 'dax-user' } });
          const nodes = new Map<number, AnyActorRef>();
          const zones = new Map<number, AnyActorRef>();
          const channels = new Map<string, AnyActorRef>();
          for (const n of sc.nodes) {
            nodes.set(n.id, spawn('node', { id: `node${n.id}`, systemId: `node${n.id}`, input: { env, nodeId: n.id, cores: n.cores, threadsPerCore: n.threadsPerCore } }));
            const zoneId = `node${n.id}/device`;
            zones.set(n.id, spawn('zone', { id: zoneId, systemId: zoneId, input: { env, name: zoneId } }));
            const dramId = `chan/node${n.id}-dram`;
            channels.set(dramId, spawn('channel', { id: dramId, systemId: dramId, input: { env, name: dramId, capacity: sc.costs.dramWriteGBs } }));
          }
          const namespaces = sc.namespaces.map((ns) => {
            const chanId = channelIdFor(ns);
            if (!channels.has(chanId)) {
              channels.set(chanId, spawn('channel', { id: chanId, systemId: chanId, input: { env, name: chanId, capacity: sc.costs.pmemWriteGBs } }));
            }
            const sections = ns.lastSection - ns.firstSection + 1;
            const sectionsPerActor = context.sectionsPerActor ?? Math.max(1, Math.ceil(sections / MAX_SECTION_ACTORS_PER_NAMESPACE));
            return spawn('namespace', {
              id: ns.name,
              systemId: ns.name,
              input: {
                env,
                ns,
                steps: sc.strategy.steps,
                threads: sc.threads,
                lock,
                zone: zones.get(ns.node)!,
                node: nodes.get(ns.node)!,
                channel: channels.get(chanId)!,
                daxUser,
                sectionsPerActor,
              },
            });
          });
          return { namespaces };
        }),
        'startProbes',
      ],
    },
  },
});
