import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, InspectedSnapshotEvent, InspectionEvent } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { INITIAL } from '../../../machines/probe/namespace.js';
import { sectionSpawns } from '../../../machines/probe/namespace-sections.js';
import { buildTopology, sectionActorsOf, type ActorSpec } from '../../../machines/shared/topology.js';
import { simulate } from '../../../src/api/simulate.js';
import { resolveScenario } from '../../../src/model/scenario.js';

const node = (id: number, extra: object = {}) => ({ id, cores: 4, threadsPerCore: 2, dram: [{ start: `${id * 8 + 4}G`, size: '8G' }], ...extra });
const pmem = (name: string, node: number, device: string, extra: object = {}) => ({ name, node, device, size: '4G', ...extra });

/** Two nodes; pmem0 and pmem1 share device d0, pmem2 has its own device, pmem3 keeps its memmap in DRAM. */
const twoNodes = {
  name: 'two-nodes',
  nodes: [node(0), node(1)],
  namespaces: [pmem('pmem0', 0, 'd0'), pmem('pmem1', 0, 'd0', { start: '100G' }), pmem('pmem2', 1, 'd1'), pmem('pmem3', 1, 'd2', { altmap: false })],
};

const ref = { id: 'stub' } as unknown as AnyActorRef;
const ids = (topology: readonly ActorSpec[]) => topology.map((a) => a.id);
const byId = (topology: readonly ActorSpec[], id: string) => topology.find((a) => a.id === id)!;

describe('buildTopology', () => {
  it('lists every actor in spawn order, each systemId its id', () => {
    const topology = buildTopology(resolveScenario(twoNodes, { strategy: 'serial' }));
    expect(ids(topology)).toEqual([
      'lock/mem_hotplug',
      'dax-user',
      'node0',
      'node0/device',
      'chan/node0-dram',
      'node1',
      'node1/device',
      'chan/node1-dram',
      'chan/d0',
      'pmem0',
      'pmem1',
      'chan/d1',
      'pmem2',
      'pmem3',
    ]);
    expect(topology.every((a) => a.systemId === a.id)).toBe(true);
    expect(byId(topology, 'node1').input).toEqual({ nodeId: 1, cores: 4, threadsPerCore: 2 });
  });

  it('points each ref at an actor spawned before it: the node, zone and channel of the namespace', () => {
    const topology = buildTopology(resolveScenario(twoNodes, { strategy: 'serial' }));
    topology.forEach((a, i) => {
      for (const id of Object.values(a.refs)) expect(ids(topology.slice(0, i)), `${a.id} -> ${id}`).toContain(id);
    });
    expect(byId(topology, 'pmem1').refs).toEqual({ lock: 'lock/mem_hotplug', zone: 'node0/device', node: 'node0', channel: 'chan/d0', daxUser: 'dax-user' });
    expect(byId(topology, 'pmem3').refs).toMatchObject({ node: 'node1', channel: 'chan/node1-dram' });
  });

  it('writes pmem channels at the pmem bandwidth and DRAM channels at the DRAM one, by the profile sharing law', () => {
    const sc = resolveScenario(twoNodes, { strategy: 'serial' });
    const topology = buildTopology(sc);
    expect(byId(topology, 'chan/d0').input).toEqual({ name: 'chan/d0', capacity: sc.costs.pmemWriteGBs });
    expect(byId(topology, 'chan/node0-dram').input).toEqual({
      name: 'chan/node0-dram',
      capacity: sc.costs.dramWriteGBs,
      sharing: sc.profile.dramSharing ?? 'maxmin',
      streamCap: sc.costs.streamGBs,
    });
  });

  it('gives pgdat_resize_lock per node and peer steps to every second namespace only to a strategy that takes that lock', () => {
    const sc = resolveScenario(twoNodes, { strategy: 'bug-lock-order' });
    const topology = buildTopology(sc);
    expect(ids(topology).filter((id) => id.endsWith('pgdat_resize'))).toEqual(['lock/node0/pgdat_resize', 'lock/node1/pgdat_resize']);
    expect(byId(topology, 'lock/node1/pgdat_resize').input).toEqual({ name: 'node1/pgdat_resize_lock', spinlock: true });
    expect(byId(topology, 'pmem2').refs).toMatchObject({ resizeLock: 'lock/node1/pgdat_resize' });
    const steps = topology.flatMap((a) => (a.kind === 'namespace' ? [a.input.steps] : []));
    expect(steps).toEqual([sc.strategy.steps, sc.strategy.peerSteps, sc.strategy.steps, sc.strategy.peerSteps]);
    expect(buildTopology(resolveScenario(twoNodes, { strategy: 'serial' })).some((a) => a.id.endsWith('pgdat_resize'))).toBe(false);
  });

  it('splits a namespace into at most 64 section actors, fewer when there are many namespaces, unless told', () => {
    const big = { ...twoNodes, namespaces: [pmem('pmem0', 0, 'd0', { size: '1T' })] };
    const perActor = (input: object, forced?: number) =>
      buildTopology(resolveScenario(input, { strategy: 'serial' }), forced).flatMap((a) => (a.kind === 'namespace' ? [a.input.sectionsPerActor] : []));
    // 1 TiB is 8192 sections of 128 MiB: 64 actors of 128.
    expect(perActor(big)).toEqual([128]);
    expect(perActor(big, 3)).toEqual([3]);
    const many = { ...twoNodes, namespaces: Array.from({ length: 256 }, (_, i) => pmem(`pmem${i}`, 0, `d${i}`, { start: `${100 + 4 * i}G` })) };
    // 4 GiB is 32 sections; 256 namespaces may have 16 actors each.
    expect(new Set(perActor(many))).toEqual(new Set([2]));
  });

  it('sectionActorsOf counts the section actors a probe spawns: many namespaces, 1 GiB compound pages and a forced length', () => {
    const cases = [
      { ...twoNodes, namespaces: [pmem('pmem0', 0, 'd0', { size: '1T' })] },
      { ...twoNodes, namespaces: [pmem('pmem0', 0, 'd0', { size: '100G', mode: 'devdax', altmap: false, geometry: '1G' })] },
      { ...twoNodes, namespaces: Array.from({ length: 100 }, (_, i) => pmem(`pmem${i}`, 0, `d${i}`, { start: `${100 + 8 * i}G`, size: '7G' })) },
    ];
    for (const input of cases) {
      for (const forced of [undefined, 1, 5]) {
        const sc = resolveScenario(input, { strategy: 'serial' });
        const spawned = buildTopology(sc, forced).flatMap((a) =>
          a.kind === 'namespace' ? [sectionSpawns({ ...a.input, ...INITIAL, lock: ref, zone: ref, node: ref, channel: ref, daxUser: ref }, sc).length] : [],
        );
        expect(spawned, `${input.namespaces.length} namespaces, forced ${forced}`).toEqual(
          sc.namespaces.map((ns) => sectionActorsOf(ns, sc.namespaces.length, sc.derived.pagesPerSection, forced)),
        );
      }
    }
  });

  it('runs deferred init per node when booting: all its CPUs, or the boot CPU alone without deferral', () => {
    const boot = { name: 'boot', boot: {}, nodes: [node(0), node(1, { cores: 2 })], namespaces: [] };
    const topology = buildTopology(resolveScenario(boot, { strategy: 'padata' }));
    expect(ids(topology).at(-1)).toBe('node1/pgdatinit');
    const inits = topology.flatMap((a) => (a.kind === 'pgdatinit' ? [a] : []));
    expect(inits.map((a) => [a.input.maxThreads, a.input.early, a.input.layout.node, a.refs.cpus, a.refs.channel])).toEqual([
      [8, false, 0, 'node0', 'chan/node0-dram'],
      [4, false, 1, 'node1', 'chan/node1-dram'],
    ]);
    const early = buildTopology(resolveScenario(boot, { strategy: 'no-defer' })).flatMap((a) => (a.kind === 'pgdatinit' ? [a.input] : []));
    expect(early.map((i) => [i.maxThreads, i.early])).toEqual([
      [1, true],
      [1, true],
    ]);
    expect(buildTopology(resolveScenario(twoNodes)).some((a) => a.kind === 'pgdatinit')).toBe(false);
  });

  it('spawns each deferred zone\u2019s section runs and buddy just before its pgdatinit, which holds their refs by id', () => {
    const boot = { name: 'boot', boot: {}, nodes: [node(0), node(1, { cores: 2 })], namespaces: [] };
    const topology = buildTopology(resolveScenario(boot, { strategy: 'padata' }));
    const node0 = topology.slice(
      topology.findIndex((a) => a.kind === 'bootSection'),
      topology.findIndex((a) => a.id === 'node0/pgdatinit') + 1,
    );
    const init = node0.at(-1)!;
    if (init.kind !== 'pgdatinit') throw new Error('pgdatinit last');
    const sections = node0.filter((a) => a.kind === 'bootSection');
    expect(sections.length).toBe(init.input.runs.length);
    expect(sections.length).toBeGreaterThan(0);
    expect(init.refs.sectionRefs).toEqual(sections.map((a) => a.id));
    expect(init.refs.sectionRefs).toEqual(init.input.runs.map((r) => r.actorId));
    expect(node0.at(-2)).toMatchObject({ kind: 'buddy', id: init.refs.buddy });
    expect(init.refs.buddy).toMatch(/^node0\/.*\/buddy$/);
  });

  it('is what the system spawns: its children, in order, once built', () => {
    const events: InspectionEvent[] = [];
    simulate(twoNodes, { strategy: 'bug-lock-order', inspect: (e) => events.push(e) });
    const built = events.find((e): e is InspectedSnapshotEvent => e.type === '@xstate.snapshot' && e.actorRef.sessionId === e.rootId);
    const children = Object.keys((built!.snapshot as AnyMachineSnapshot).children);
    expect(children).toEqual(ids(buildTopology(resolveScenario(twoNodes, { strategy: 'bug-lock-order' }))));
  });
});
