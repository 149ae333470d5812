import { setup, assign, enqueueActions, type AnyActorRef } from 'xstate';
import { daxUserMachine } from '../probe/dax-user.machine.js';
import { hotplugLockMachine, type LockInput } from '../probe/hotplug-lock.machine.js';
import { memoryChannelMachine } from './memory-channel.machine.js';
import { namespaceMachine } from '../probe/namespace.machine.js';
import { nodeMachine } from './node.machine.js';
import { pgdatinitMachine } from '../boot/pgdatinit.machine.js';
import { memmapReservation, nodeBootLayout } from '../../src/model/boot-layout.js';
import type { Strategy } from '../../src/model/strategies.js';
import type { SimEnv } from './sim-env.js';
import { zoneMachine } from '../boot/zone.machine.js';

/**
 * The root actor: builds the machine of a scenario (nodes, their ZONE_DEVICE
 * zones and DRAM channels, one channel per pmem device, mem_hotplug_lock,
 * each node's pgdat_resize_lock when the strategy takes it, a DAX user, the
 * namespaces) in one batch, then starts every namespace probe
 * at t = 0, as async driver probing does.
 */
export interface SystemContext {
  readonly env: SimEnv;
  readonly namespaces: readonly AnyActorRef[];
  /** pgdatinit actors, by node order; empty when boot is not simulated. */
  readonly pgdatinits: readonly AnyActorRef[];
  readonly nodesDone: number;
  /** Forced sections per section actor (tests); default: automatic. */
  readonly sectionsPerActor?: number;
}

/** Namespaces larger than this many sections get multi-section actors. */
export const MAX_SECTION_ACTORS_PER_NAMESPACE = 64;
/** Section actors of all namespaces together, at most: 256 namespaces get 16 each, not 64. */
export const MAX_SECTION_ACTORS = 4096;

/** Section actors one namespace of `count` may have. */
export const sectionActorsPerNamespace = (count: number) =>
  Math.max(1, Math.min(MAX_SECTION_ACTORS_PER_NAMESPACE, Math.floor(MAX_SECTION_ACTORS / Math.max(1, count))));

export function channelIdFor(ns: { altmap: boolean; device: string; node: number }): string {
  return ns.altmap ? `chan/${ns.device}` : `chan/node${ns.node}-dram`;
}

const usesResizeLock = (strategy: Strategy) =>
  [...strategy.steps, ...(strategy.peerSteps ?? [])].some((s) => (s.kind === 'lock' || s.kind === 'unlock') && s.lock === 'pgdat_resize');

type SpawnLock = (src: 'lock', options: { id: string; systemId: string; input: LockInput }) => AnyActorRef;

/** Each node's pgdat_resize_lock, spawned only for strategies that take it, so the others' runs are unchanged. */
function spawnResizeLocks(spawn: SpawnLock, env: SimEnv): Map<number, AnyActorRef> {
  const locks = new Map<number, AnyActorRef>();
  for (const n of env.scenario.nodes) {
    const id = `lock/node${n.id}/pgdat_resize`;
    locks.set(n.id, spawn('lock', { id, systemId: id, input: { env, name: `node${n.id}/pgdat_resize_lock`, spinlock: true } }));
  }
  return locks;
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
    pgdatinit: pgdatinitMachine,
  },
  guards: {
    booting: ({ context }) => context.pgdatinits.length > 0,
    allNodesDone: ({ context }) => context.nodesDone + 1 >= context.pgdatinits.length,
    /** no-defer: the boot CPU initializes node after node. */
    sequential: ({ context }) => !context.env.scenario.bootStrategy.deferred,
  },
  actions: {
    startProbes: enqueueActions(({ context, enqueue }) => {
      for (const ns of context.namespaces) enqueue.sendTo(ns, { type: 'START' });
    }),
    startAllNodes: enqueueActions(({ context, enqueue }) => {
      for (const p of context.pgdatinits) enqueue.sendTo(p, { type: 'START' });
    }),
    startNextNode: enqueueActions(({ context, enqueue }) => {
      enqueue.sendTo(context.pgdatinits[context.nodesDone], { type: 'START' });
    }),
    countNode: assign({ nodesDone: ({ context }) => context.nodesDone + 1 }),
  },
}).createMachine({
  id: 'system',
  context: ({ input }) => ({ env: input.env, namespaces: [], pgdatinits: [], nodesDone: 0, sectionsPerActor: input.sectionsPerActor }),
  initial: 'building',
  states: {
    building: {
      entry: [
        assign(({ context, spawn }) => {
          const { env } = context;
          const sc = env.scenario;
          const lock = spawn('lock', { id: 'lock/mem_hotplug', systemId: 'lock/mem_hotplug', input: { env, name: 'mem_hotplug_lock' } });
          const daxUser = spawn('daxUser', { id: 'dax-user', systemId: 'dax-user', input: { env, name: 'dax-user' } });
          const nodes = new Map<number, AnyActorRef>();
          const zones = new Map<number, AnyActorRef>();
          const channels = new Map<string, AnyActorRef>();
          const dramSharing = sc.profile.dramSharing ?? 'maxmin';
          const streamCap = sc.costs.streamGBs;
          for (const n of sc.nodes) {
            nodes.set(
              n.id,
              spawn('node', { id: `node${n.id}`, systemId: `node${n.id}`, input: { env, nodeId: n.id, cores: n.cores, threadsPerCore: n.threadsPerCore } }),
            );
            const zoneId = `node${n.id}/device`;
            zones.set(n.id, spawn('zone', { id: zoneId, systemId: zoneId, input: { env, name: zoneId } }));
            const dramId = `chan/node${n.id}-dram`;
            channels.set(
              dramId,
              spawn('channel', {
                id: dramId,
                systemId: dramId,
                input: { env, name: dramId, capacity: sc.costs.dramWriteGBs, sharing: dramSharing, streamCap },
              }),
            );
          }
          const pgdatinits: AnyActorRef[] = [];
          if (sc.boot) {
            const d = sc.derived;
            for (const n of sc.nodes) {
              const memmap = memmapReservation({ id: n.id, dram: n.dram, reserved: n.reserved, movablePages: n.movablePages }, d, sc.constants.structPageBytes);
              const layout = nodeBootLayout(
                { id: n.id, dram: n.dram, reserved: [...n.reserved, ...memmap], movablePages: n.movablePages },
                d,
                d.pageSize,
                true,
              );
              const id = `node${n.id}/pgdatinit`;
              pgdatinits.push(
                spawn('pgdatinit', {
                  id,
                  systemId: id,
                  input: {
                    env,
                    layout,
                    strategy: sc.bootStrategy,
                    maxThreads: sc.bootStrategy.deferred ? Math.min(sc.bootThreads ?? Math.max(1, n.cpus), sc.bootStrategy.maxThreads ?? Infinity) : 1,
                    growPages: sc.boot.growZone?.node === n.id ? sc.boot.growZone.pages : null,
                    cpus: nodes.get(n.id)!,
                    channel: channels.get(`chan/node${n.id}-dram`)!,
                    early: !sc.bootStrategy.deferred,
                  },
                }),
              );
            }
          }
          const resizeLocks = usesResizeLock(sc.strategy) ? spawnResizeLocks(spawn as SpawnLock, env) : new Map<number, AnyActorRef>();
          const namespaces = sc.namespaces.map((ns, i) => {
            const chanId = channelIdFor(ns);
            if (!channels.has(chanId)) {
              channels.set(chanId, spawn('channel', { id: chanId, systemId: chanId, input: { env, name: chanId, capacity: sc.costs.pmemWriteGBs } }));
            }
            const sections = ns.lastSection - ns.firstSection + 1;
            const sectionsPerActor = context.sectionsPerActor ?? Math.max(1, Math.ceil(sections / sectionActorsPerNamespace(sc.namespaces.length)));
            return spawn('namespace', {
              id: ns.name,
              systemId: ns.name,
              input: {
                env,
                ns,
                steps: i % 2 === 1 && sc.strategy.peerSteps ? sc.strategy.peerSteps : sc.strategy.steps,
                threads: sc.threads,
                lock,
                resizeLock: resizeLocks.get(ns.node),
                zone: zones.get(ns.node)!,
                node: nodes.get(ns.node)!,
                channel: channels.get(chanId)!,
                daxUser,
                sectionsPerActor,
              },
            });
          });
          return { namespaces, pgdatinits };
        }),
      ],
      always: [{ guard: 'booting', target: 'deferredInit' }, { target: 'probing' }],
    },
    // page_alloc_init_late: every node's pgdatinit in parallel; boot waits for all.
    deferredInit: {
      entry: [{ type: 'startNextNode' }],
      initial: 'pick',
      states: {
        pick: { always: [{ guard: 'sequential', target: 'oneByOne' }, { target: 'allAtOnce' }] },
        allAtOnce: { entry: enqueueActions(({ context, enqueue }) => context.pgdatinits.slice(1).forEach((p) => enqueue.sendTo(p, { type: 'START' }))) },
        oneByOne: {
          on: { NODE_DONE: { guard: ({ context }) => context.nodesDone + 1 < context.pgdatinits.length, actions: ['countNode', 'startNextNode'] } },
        },
      },
      on: {
        NODE_DONE: [{ guard: 'allNodesDone', target: 'probing', actions: 'countNode' }, { actions: 'countNode' }],
      },
    },
    probing: { entry: 'startProbes' },
  },
});
