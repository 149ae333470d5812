import { setup, assign, enqueueActions, type AnyActorRef, type DoneActorEvent } from 'xstate';
import { daxUserMachine } from '../probe/dax-user.machine.js';
import { hotplugLockMachine } from '../probe/hotplug-lock.machine.js';
import { memoryChannelMachine } from './memory-channel.machine.js';
import { namespaceMachine } from '../probe/namespace.machine.js';
import { nodeMachine } from './node.machine.js';
import { bootSectionMachine } from '../boot/boot-section.machine.js';
import { buddyMachine } from '../boot/buddy.machine.js';
import { pgdatinitMachine } from '../boot/pgdatinit.machine.js';
import type { SimEnv } from './sim-env.js';
import { buildTopology, type ActorKind, type ActorSpec } from './topology.js';
import { zoneMachine } from '../boot/zone.machine.js';

export { channelIdFor, MAX_SECTION_ACTORS, MAX_SECTION_ACTORS_PER_NAMESPACE, sectionActorsPerNamespace } from './topology.js';

/**
 * The root actor: spawns the machine of a scenario (buildTopology: nodes,
 * their ZONE_DEVICE zones and DRAM channels, one channel per pmem device,
 * mem_hotplug_lock, each node's pgdat_resize_lock when the strategy takes
 * it, a DAX user, the namespaces; with boot, each node's deferred zone, its
 * section runs and buddy allocator, and its pgdatinit) in one batch. With boot, it first runs
 * deferred init (page_alloc_init_late) on every node; then it starts every
 * namespace probe at once, as async driver probing does.
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

/** A node's deferred init is over: its pgdatinit reached its final state (or, from older pgdatinits, said NODE_DONE). */
export type SystemEvent = { type: 'NODE_DONE'; node: number } | DoneActorEvent<unknown, `node${number}/pgdatinit`>;

type Spawn = (kind: ActorKind, options: { id: string; systemId: string; input: object }) => AnyActorRef;

/** Spawns `spec`, its ref inputs resolved among the actors spawned before it. */
function spawnActor(spawn: Spawn, env: SimEnv, spec: ActorSpec, spawned: ReadonlyMap<string, AnyActorRef>): AnyActorRef {
  const resolve = (id: string) => spawned.get(id)!;
  const refs = Object.fromEntries(Object.entries(spec.refs).map(([field, id]) => [field, Array.isArray(id) ? id.map(resolve) : resolve(id as string)]));
  return spawn(spec.kind, { id: spec.id, systemId: spec.systemId, input: { env, ...spec.input, ...refs } });
}

/** The event says a node's deferred init is over (the wildcard also matches other children's ends). */
const isNodeDone = (context: SystemContext, event: SystemEvent) =>
  event.type === 'NODE_DONE' || context.pgdatinits.some((p) => event.type === `xstate.done.actor.${p.id}`);

export const systemMachine = setup({
  types: { context: {} as SystemContext, events: {} as SystemEvent, input: {} as { env: SimEnv; sectionsPerActor?: number } },
  actors: {
    node: nodeMachine,
    zone: zoneMachine,
    channel: memoryChannelMachine,
    lock: hotplugLockMachine,
    daxUser: daxUserMachine,
    namespace: namespaceMachine,
    bootSection: bootSectionMachine,
    buddy: buddyMachine,
    pgdatinit: pgdatinitMachine,
  },
  guards: {
    booting: ({ context }) => context.pgdatinits.length > 0,
    nodeDone: ({ context, event }) => isNodeDone(context, event),
    lastNodeDone: ({ context, event }) => isNodeDone(context, event) && context.nodesDone + 1 >= context.pgdatinits.length,
    /** no-defer: the boot CPU initializes node after node. */
    sequential: ({ context }) => !context.env.scenario.bootStrategy.deferred,
  },
  actions: {
    spawnTopology: assign(({ context, spawn }) => {
      const spawned = new Map<string, AnyActorRef>();
      const topology = buildTopology(context.env.scenario, context.sectionsPerActor);
      for (const spec of topology) spawned.set(spec.id, spawnActor(spawn as Spawn, context.env, spec, spawned));
      const refsOf = (kind: ActorKind) => topology.filter((s) => s.kind === kind).map((s) => spawned.get(s.id)!);
      return { namespaces: refsOf('namespace'), pgdatinits: refsOf('pgdatinit') };
    }),
    startProbes: enqueueActions(({ context, enqueue }) => {
      for (const namespace of context.namespaces) enqueue.sendTo(namespace, { type: 'START' });
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
      entry: 'spawnTopology',
      always: [{ guard: 'booting', target: 'deferredInit' }, { target: 'probing' }],
    },
    // page_alloc_init_late: boot waits for every node's deferred struct page init.
    deferredInit: {
      initial: 'pick',
      states: {
        pick: { always: [{ guard: 'sequential', target: 'nodeByNode' }, { target: 'allNodes' }] },
        // Deferred: every node's pgdatinit thread at once.
        allNodes: {
          entry: 'startAllNodes',
          on: {
            NODE_DONE: [{ guard: 'lastNodeDone', target: '#system.probing', actions: 'countNode' }, { actions: 'countNode' }],
            'xstate.done.actor.*': [
              { guard: 'lastNodeDone', target: '#system.probing', actions: 'countNode' },
              { guard: 'nodeDone', actions: 'countNode' },
            ],
          },
        },
        // no-defer: memmap_init on the boot CPU, one node after the other.
        nodeByNode: {
          entry: 'startNextNode',
          on: {
            NODE_DONE: [
              { guard: 'lastNodeDone', target: '#system.probing', actions: 'countNode' },
              { target: 'nodeByNode', reenter: true, actions: 'countNode' },
            ],
            'xstate.done.actor.*': [
              { guard: 'lastNodeDone', target: '#system.probing', actions: 'countNode' },
              { guard: 'nodeDone', target: 'nodeByNode', reenter: true, actions: 'countNode' },
            ],
          },
        },
      },
    },
    probing: { entry: 'startProbes' },
  },
});
