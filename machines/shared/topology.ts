import type { ResolvedNamespace, ResolvedNode, ResolvedScenario } from '../../src/model/scenario.js';
import { memmapReservation, nodeBootLayout, type NodeBootLayout } from '../../src/model/boot-layout.js';
import type { Strategy } from '../../src/model/strategies.js';
import type { ChannelInput } from './memory-channel.machine.js';
import type { LockInput } from '../probe/hotplug-lock.machine.js';
import type { NamespaceInput } from '../probe/namespace.machine.js';
import type { NodeInput } from './node.machine.js';
import type { BootSectionInput } from '../boot/boot-section.machine.js';
import type { BuddyInput } from '../boot/buddy.machine.js';
import type { PgdatinitInput } from '../boot/pgdatinit.machine.js';
import { sectionRuns, zoneIdOf } from '../boot/pgdatinit.js';
import type { ZoneInput } from '../boot/zone.machine.js';

/**
 * The actors of a scenario's machine, as the system spawns them: pure data,
 * so a test (or a reader) sees the whole layout without running anything.
 * An actor's input is given without the run's SimEnv and without actor refs;
 * `refs` names, by id, the earlier actors each ref input points to (a list
 * of ids for a list of refs).
 */
interface Spec<Kind extends string, Input, Refs = Record<never, string>> {
  readonly kind: Kind;
  readonly id: string;
  readonly systemId: string;
  readonly input: Input;
  readonly refs: Refs;
}

type NamespaceRefs = 'lock' | 'resizeLock' | 'zone' | 'node' | 'channel' | 'daxUser';

export type ActorSpec =
  | Spec<'lock', Omit<LockInput, 'env'>>
  | Spec<'daxUser', { readonly name: string }>
  | Spec<'node', Omit<NodeInput, 'env'>>
  | Spec<'zone', Omit<ZoneInput, 'env'>>
  | Spec<'channel', Omit<ChannelInput, 'env'>>
  | Spec<'bootSection', Omit<BootSectionInput, 'env'>>
  | Spec<'buddy', Omit<BuddyInput, 'env'>>
  | Spec<
      'pgdatinit',
      Omit<PgdatinitInput, 'env' | 'cpus' | 'channel' | 'buddy' | 'sectionRefs'>,
      { readonly cpus: string; readonly channel: string; readonly buddy?: string; readonly sectionRefs: readonly string[] }
    >
  | Spec<
      'namespace',
      Omit<NamespaceInput, 'env' | NamespaceRefs>,
      { readonly [K in Exclude<NamespaceRefs, 'resizeLock'>]: string } & { readonly resizeLock?: string }
    >;

export type ActorKind = ActorSpec['kind'];

/** Namespaces larger than this many sections get multi-section actors. */
export const MAX_SECTION_ACTORS_PER_NAMESPACE = 64;
/** Section actors of all namespaces together, at most: 256 namespaces get 16 each, not 64. A forced `sectionsPerActor` may give each namespace as many. */
export const MAX_SECTION_ACTORS = 4096;

/** Section actors one namespace of `count` may have. */
export const sectionActorsPerNamespace = (count: number) =>
  Math.max(1, Math.min(MAX_SECTION_ACTORS_PER_NAMESPACE, Math.floor(MAX_SECTION_ACTORS / Math.max(1, count))));

type NamespaceSpan = Pick<ResolvedNamespace, 'firstSection' | 'lastSection'>;
const sectionCount = (namespace: NamespaceSpan) => namespace.lastSection - namespace.firstSection + 1;

/** Sections per section actor asked of a namespace, one of `count`: `forced`, or its sections spread over the actors it may have. */
export const sectionsPerActorOf = (namespace: NamespaceSpan, count: number, forced?: number) =>
  forced ?? Math.max(1, Math.ceil(sectionCount(namespace) / sectionActorsPerNamespace(count)));

/** A section run's length: `sectionsPerActor`, rounded up so a 1 GiB compound page (8 sections) stays in one actor. */
export function sectionRunLength(namespace: Pick<ResolvedNamespace, 'compoundPfns'>, sectionsPerActor: number, pagesPerSection: number): number {
  const compoundSections = Math.max(1, namespace.compoundPfns / pagesPerSection);
  return Math.ceil(sectionsPerActor / compoundSections) * compoundSections;
}

/** Section actors of a namespace, one of `count`, as its probe splits it (the one formula the run budget and the input checks use too). */
export function sectionActorsOf(namespace: ResolvedNamespace, count: number, pagesPerSection: number, forced?: number): number {
  return Math.ceil(sectionCount(namespace) / sectionRunLength(namespace, sectionsPerActorOf(namespace, count, forced), pagesPerSection));
}

/** The channel a namespace's struct pages are written through: its own device with an altmap, else its node's DRAM. */
export function channelIdFor(namespace: Pick<ResolvedNamespace, 'altmap' | 'device' | 'node'>): string {
  return namespace.altmap ? `chan/${namespace.device}` : dramChannelId(namespace.node);
}

const dramChannelId = (node: number) => `chan/node${node}-dram`;
const nodeId = (node: number) => `node${node}`;
const zoneId = (node: number) => `node${node}/device`;
const resizeLockId = (node: number) => `lock/node${node}/pgdat_resize`;
const HOTPLUG_LOCK = 'lock/mem_hotplug';
const DAX_USER = 'dax-user';

const spec = <S extends ActorSpec>(s: Omit<S, 'systemId'>): S => ({ ...s, systemId: s.id }) as S;

const usesResizeLock = (strategy: Strategy) =>
  [...strategy.steps, ...(strategy.peerSteps ?? [])].some((s) => (s.kind === 'lock' || s.kind === 'unlock') && s.lock === 'pgdat_resize');

/**
 * Every actor of the scenario, in spawn order: mem_hotplug_lock, the DAX
 * user, each node's CPUs, ZONE_DEVICE zone and DRAM channel (the lock, the
 * DAX user and the zones only when there are namespaces to probe), each node's
 * deferred zone (its section runs and buddy allocator) and pgdatinit (boot
 * only), each node's pgdat_resize_lock (only for strategies
 * that take it, so the others' runs are unchanged), then the namespaces, each
 * after its pmem device's channel the first time that device appears.
 */
export function buildTopology(scenario: ResolvedScenario, sectionsPerActor?: number): ActorSpec[] {
  // A boot with no namespace needs no probe actor (the lock, the DAX user, the ZONE_DEVICE zones): they would only idle.
  const probing = scenario.namespaces.length > 0;
  const out: ActorSpec[] = probing
    ? [
        spec({ kind: 'lock', id: HOTPLUG_LOCK, input: { name: 'mem_hotplug_lock' }, refs: {} }),
        spec({ kind: 'daxUser', id: DAX_USER, input: { name: DAX_USER }, refs: {} }),
      ]
    : [];
  for (const node of scenario.nodes) out.push(...nodeActors(scenario, node, probing));
  if (scenario.boot) for (const node of scenario.nodes) out.push(...bootActors(scenario, node));
  if (probing && usesResizeLock(scenario.strategy)) {
    for (const node of scenario.nodes) {
      out.push(spec({ kind: 'lock', id: resizeLockId(node.id), input: { name: `node${node.id}/pgdat_resize_lock`, spinlock: true }, refs: {} }));
    }
  }
  out.push(...namespaceActors(scenario, sectionsPerActor));
  return out;
}

function nodeActors(scenario: ResolvedScenario, node: ResolvedNode, probing: boolean): ActorSpec[] {
  const dram = dramChannelId(node.id);
  const { costs } = scenario;
  return [
    spec({ kind: 'node', id: nodeId(node.id), input: { nodeId: node.id, cores: node.cores, threadsPerCore: node.threadsPerCore }, refs: {} }),
    ...(probing ? [spec({ kind: 'zone', id: zoneId(node.id), input: { name: zoneId(node.id) }, refs: {} })] : []),
    spec({
      kind: 'channel',
      id: dram,
      input: { name: dram, capacity: costs.dramWriteGBs, sharing: scenario.profile.dramSharing ?? 'maxmin', streamCap: costs.streamGBs },
      refs: {},
    }),
  ];
}

/** A node's boot memory layout: its DRAM less the reserved ranges and the memmap the boot allocates for it. */
export function bootLayoutOf(scenario: ResolvedScenario, node: ResolvedNode): NodeBootLayout {
  const { derived } = scenario;
  const memmap = memmapReservation(
    { id: node.id, dram: node.dram, reserved: node.reserved, movablePages: node.movablePages },
    derived,
    scenario.constants.structPageBytes,
  );
  return nodeBootLayout(
    { id: node.id, dram: node.dram, reserved: [...node.reserved, ...memmap], movablePages: node.movablePages },
    derived,
    derived.pageSize,
    true,
  );
}

/** A node's deferred zone (its section runs, then its buddy allocator, when it has one) and its pgdatinit. */
function bootActors(scenario: ResolvedScenario, node: ResolvedNode): ActorSpec[] {
  const strategy = scenario.bootStrategy;
  const growZone = scenario.boot?.growZone;
  const layout = bootLayoutOf(scenario, node);
  const runs = sectionRuns(layout, scenario.derived.pagesPerSection);
  const sections = runs.map(({ actorId, firstSection, lastSection }) =>
    spec({ kind: 'bootSection', id: actorId, input: { node: node.id, actorId, firstSection, lastSection }, refs: {} }),
  );
  const buddyId = `${zoneIdOf(layout)}/buddy`;
  const buddy =
    runs.length === 0 ? [] : [spec({ kind: 'buddy', id: buddyId, input: { node: node.id, zone: zoneIdOf(layout), deferred: layout.free }, refs: {} })];
  const pgdatinit = spec({
    kind: 'pgdatinit',
    id: `node${node.id}/pgdatinit`,
    input: {
      layout,
      strategy,
      // no-defer: the boot CPU alone initializes the node, early.
      maxThreads: strategy.deferred ? Math.min(scenario.bootThreads ?? Math.max(1, node.cpus), strategy.maxThreads ?? Infinity) : 1,
      growPages: growZone?.node === node.id ? growZone.pages : null,
      early: !strategy.deferred,
      runs,
    },
    refs: {
      cpus: nodeId(node.id),
      channel: dramChannelId(node.id),
      ...(runs.length === 0 ? {} : { buddy: buddyId }),
      sectionRefs: runs.map((r) => r.actorId),
    },
  });
  return [...sections, ...buddy, pgdatinit];
}

/** The namespaces; every second one runs the strategy's peer steps when it has them. */
function namespaceActors(scenario: ResolvedScenario, sectionsPerActor: number | undefined): ActorSpec[] {
  const out: ActorSpec[] = [];
  const channels = new Set(scenario.nodes.map((n) => dramChannelId(n.id)));
  const { strategy } = scenario;
  const resizeLocks = usesResizeLock(strategy);
  scenario.namespaces.forEach((namespace, i) => {
    const channel = channelIdFor(namespace);
    if (!channels.has(channel)) {
      channels.add(channel);
      out.push(spec({ kind: 'channel', id: channel, input: { name: channel, capacity: scenario.costs.pmemWriteGBs }, refs: {} }));
    }
    const node = namespace.node;
    out.push(
      spec({
        kind: 'namespace',
        id: namespace.name,
        input: {
          namespace,
          steps: i % 2 === 1 && strategy.peerSteps ? strategy.peerSteps : strategy.steps,
          threads: scenario.threads,
          sectionsPerActor: sectionsPerActorOf(namespace, scenario.namespaces.length, sectionsPerActor),
        },
        refs: {
          lock: HOTPLUG_LOCK,
          ...(resizeLocks ? { resizeLock: resizeLockId(node) } : {}),
          zone: zoneId(node),
          node: nodeId(node),
          channel,
          daxUser: DAX_USER,
        },
      }),
    );
  });
  return out;
}
