import type { z } from 'zod';
import { X86_64, derive, type Derived, type KernelConstants } from './constants.js';
import { checkConstants, checkPhysEnd } from './constants-rules.js';
import { InputError } from './input-error.js';
import { OccupiedRanges } from './occupied-ranges.js';
import { costsOf, type Costs, type ResolvedProfile } from './profile.js';
import { DEFAULT_PROFILE, resolveProfile } from './profiles/index.js';
import { parseSize } from './sizes.js';
import { compoundBytesOf, namespaceGeometry, resolveCompound, type NamespaceCompound } from './namespace-geometry.js';
import type { Geometry } from './vmemmap-geometry.js';
import { ScenarioSchema, type ScenarioParsed } from './scenario-schema.js';
import type { BootStrategy } from './boot-strategies.js';
import type { Strategy } from './strategies.js';
import { checkWorkBounds } from './work-bounds.js';
import type { UserStrategyInput } from './strategy-schema.js';
import { parseUserStrategy } from './user-strategy.js';
import { inputErrorOf } from './zod-issue.js';
import { chooseStrategies, isMultithreaded, threadsNotes, type StrategyChoice } from './strategy-choice.js';

export interface PfnRange {
  readonly startPfn: number;
  /** Exclusive. */
  readonly endPfn: number;
}

export interface ResolvedNode {
  readonly id: number;
  readonly cores: number;
  readonly threadsPerCore: number;
  readonly cpus: number;
  readonly dram: readonly PfnRange[];
  /** memblock-reserved ranges given by the scenario (the memmap reservation is added by the boot layout). */
  readonly reserved: readonly PfnRange[];
  readonly movablePages: number;
}

export interface ResolvedBoot {
  readonly growZone: { readonly node: number; readonly pages: number } | null;
}

/** Geometry fields (geometry, vmemmapShift, optimized, earlySections, vmemmapOom): see namespace-geometry.ts. */
export interface ResolvedNamespace extends PfnRange, NamespaceCompound {
  readonly name: string;
  readonly node: number;
  readonly device: string;
  readonly mode: 'fsdax' | 'devdax';
  readonly altmap: boolean;
  readonly alignBytes: number;
  readonly sizeBytes: number;
  readonly pages: number;
  /** First pfn memmap_init_zone_device initializes: after the altmap reserve and the memmap it hosts. */
  readonly dataStartPfn: number;
  /** Struct pages handed to DAX users: endPfn - dataStartPfn (pfn_len). */
  readonly dataPages: number;
  readonly firstSection: number;
  /** Inclusive. */
  readonly lastSection: number;
}

export interface ResolvedScenario {
  readonly name: string;
  readonly description: string;
  readonly constants: KernelConstants;
  readonly derived: Derived;
  readonly profile: ResolvedProfile;
  readonly costs: Costs;
  /** The strategy name asked for (a probe or a boot strategy). */
  readonly strategyName: string;
  /** The strategy asked for was written by the user (a definition, not a built-in name). */
  readonly strategyUserDefined: boolean;
  /** How namespaces probe (the asked one, or outside-lock when a boot strategy was asked). */
  readonly strategy: Strategy;
  /** How boot runs deferred init (the asked one, or padata). */
  readonly bootStrategy: BootStrategy;
  /** What ran for each family (null: the scenario has no boot section, or no namespaces). */
  readonly strategiesRan: StrategyChoice['ran'];
  /** Substitutions the output states: a family that ran its default, a thread count not used. */
  readonly notes: readonly string[];
  /** Boot simulated before the probes, or null. */
  readonly boot: ResolvedBoot | null;
  /** Threads of the probe init: the --threads/scenario value, else the strategy's default; 1 for a single-threaded strategy. */
  readonly threads: number;
  /** Explicit thread count for boot padata jobs, or null for each node's CPU count. */
  readonly bootThreads: number | null;
  readonly seed: number;
  readonly explore: boolean;
  readonly jitter: number;
  readonly nodes: readonly ResolvedNode[];
  readonly namespaces: readonly ResolvedNamespace[];
}

/** What a caller (CLI flag, library option) may set over the scenario file. */
export interface ScenarioOverrides {
  /** A built-in strategy name, or a user-written definition (see strategy-schema.ts). */
  readonly strategy?: string | UserStrategyInput;
  readonly threads?: number;
  readonly seed?: number;
  readonly explore?: boolean;
  readonly profile?: ScenarioParsed['profile'];
  /** Compound page geometry for every devdax namespace (--geometry). */
  readonly geometry?: Geometry;
}

/** nd_pfn info block ahead of the altmap (8 KiB) [inferred from drivers/nvdimm/pfn_devs.c]. */
const ALTMAP_RESERVE_BYTES = 8192;

/** The first issue, as a rule a user can act on (with the nearest name for a mistyped option). */
function firstIssue(error: z.ZodError, input: unknown): InputError {
  const e = inputErrorOf(error, '', input);
  return e.field === '(document)' ? new InputError('(scenario)', e.rule) : e;
}

const isPow2 = (n: number) => n > 0 && Number.isInteger(Math.log2(n));

export function parseScenario(input: unknown): ScenarioParsed {
  // A strategy object is checked on its own first: its errors then name the field inside it.
  const raw = typeof input === 'object' && input !== null ? (input as { strategy?: unknown }).strategy : undefined;
  if (typeof raw === 'object' && raw !== null) parseUserStrategy(raw, 'strategy');
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success) throw firstIssue(parsed.error, input);
  return parsed.data;
}

/** Marks what resolveScenario returned; non-enumerable, so a copy or a look-alike object is not taken for one. */
const RESOLVED: unique symbol = Symbol('memmap-sim.resolvedScenario');

function brand(sc: ResolvedScenario): ResolvedScenario {
  Object.defineProperty(sc, RESOLVED, { value: true, enumerable: false });
  return sc;
}

/** True for an object resolveScenario returned (recognised by its brand, not its keys). */
export function isResolvedScenario(x: unknown): x is ResolvedScenario {
  return typeof x === 'object' && x !== null && (x as { [RESOLVED]?: boolean })[RESOLVED] === true;
}

/** Validates a scenario and turns it into pfns, pages and a profile. */
export function resolveScenario(input: unknown, overrides: ScenarioOverrides = {}, fallbackName = 'scenario'): ResolvedScenario {
  const s = parseScenario(input);
  const constants: KernelConstants = { ...X86_64, ...stripUndefined(s.constants ?? {}) };
  checkConstants(constants);
  const d = derive(constants);
  const scenarioProfile = resolveProfile(s.profile ?? DEFAULT_PROFILE, 'profile');
  // A --profile document without `base` applies over the scenario's profile, not over the default.
  const profile = overrides.profile === undefined ? scenarioProfile : resolveProfile(overrides.profile, '--profile', scenarioProfile);
  const choice = chooseStrategies(overrides.strategy, s.strategy, s.boot !== undefined, s.namespaces.length > 0);
  const { strategyName, strategy, bootStrategy, strategyUserDefined } = choice;
  const explicitThreads = overrides.threads ?? s.threads;
  const threadsField = overrides.threads !== undefined ? '--threads' : 'threads';
  const asked = explicitThreads ?? strategy.defaultThreads;
  if (!Number.isInteger(asked) || asked < 1) throw new InputError(threadsField, 'must be a whole number >= 1');
  const threads = isMultithreaded(strategy) ? asked : 1;
  const seed = overrides.seed ?? s.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError(overrides.seed !== undefined ? '--seed' : 'seed', 'must be a whole number >= 0');

  const page = d.pageSize;
  const occupied = new OccupiedRanges();

  const nodes = resolveNodes(s, page, occupied);
  // An asked count is bounded even where the strategy runs one thread: it is stated, so it must be one that could run.
  checkWorkBounds(Math.max(threads, explicitThreads ?? 0), threadsField, nodes);
  const boot = resolveBoot(s, nodes);
  const namespaces = resolveNamespaces(s, overrides, constants, nodes, occupied);
  if (overrides.geometry !== undefined && overrides.geometry !== '4K' && !namespaces.some((n) => n.mode === 'devdax')) {
    throw new InputError('--geometry', 'sets the compound page size of devdax namespaces, and this scenario has none');
  }

  return brand({
    name: s.name ?? fallbackName,
    description: s.description ?? '',
    constants,
    derived: d,
    profile,
    costs: costsOf(profile),
    strategyName,
    strategyUserDefined,
    strategy,
    bootStrategy,
    strategiesRan: choice.ran,
    notes: [...choice.notes, ...threadsNotes(explicitThreads, threadsField, choice)],
    boot,
    threads,
    bootThreads: explicitThreads ?? null,
    seed,
    explore: overrides.explore ?? s.explore ?? false,
    jitter: s.jitter ?? 0,
    nodes,
    namespaces,
  });
}

/** The nodes of a scenario as pfn ranges, each DRAM range claimed in `occupied` (ranges must not overlap). */
function resolveNodes(s: ScenarioParsed, page: number, occupied: OccupiedRanges): ResolvedNode[] {
  const claim = (range: PfnRange, field: string) => occupied.claim(range, field);
  const nodeIds = new Set<number>();
  return s.nodes.map((n, i) => {
    if (nodeIds.has(n.id)) throw new InputError(`nodes[${i}].id`, `duplicate node id ${n.id}`);
    nodeIds.add(n.id);
    const dram = n.dram.map((r, j) => {
      const field = `nodes[${i}].dram[${j}]`;
      const range = pageRange(r, field, page);
      claim(range, field);
      return range;
    });
    const reserved = n.reserved.map((r, j) => {
      const field = `nodes[${i}].reserved[${j}]`;
      const range = pageRange(r, field, page);
      if (!dram.some((d) => d.startPfn <= range.startPfn && range.endPfn <= d.endPfn)) {
        throw new InputError(field, "must lie inside one of the node's dram ranges");
      }
      return range;
    });
    const movableBytes = n.movable === undefined ? 0 : parseSize(n.movable, `nodes[${i}].movable`);
    const present = dram.reduce((a, r) => a + r.endPfn - r.startPfn, 0) * page;
    if (movableBytes < 0 || movableBytes % page || movableBytes > present) {
      throw new InputError(`nodes[${i}].movable`, `must be a page multiple between 0 and the node's memory (${present} bytes)`);
    }
    return {
      id: n.id,
      cores: n.cores,
      threadsPerCore: n.threadsPerCore,
      cpus: n.cores * n.threadsPerCore,
      dram,
      reserved,
      movablePages: movableBytes / page,
    };
  });
}

/** The boot section: an early allocation that grows a node's zone must fit in that node. */
function resolveBoot(s: ScenarioParsed, nodes: readonly ResolvedNode[]): ResolvedBoot | null {
  if (!s.boot) return null;
  const nodeIds = new Set(nodes.map((n) => n.id));
  const g = s.boot.growZone;
  if (g && !nodeIds.has(g.node)) throw new InputError('boot.growZone.node', `node ${g.node} is not defined in nodes`);
  const grown = g && nodes.find((n) => n.id === g.node)!;
  const nodePages = grown ? grown.dram.reduce((a, r) => a + r.endPfn - r.startPfn, 0) : 0;
  if (g && g.pages > nodePages) throw new InputError('boot.growZone.pages', `must not exceed the pages of node ${g.node} (${nodePages})`);
  return { growZone: g ? { node: g.node, pages: g.pages } : null };
}

/** Where auto-placed namespaces start: after all memory and every explicitly placed namespace, section aligned. */
function firstFreeBytes(s: ScenarioParsed, occupied: OccupiedRanges, page: number, sectionBytes: number): number {
  let nextFree = occupied.endPfn() * page;
  nextFree = Math.ceil(nextFree / sectionBytes) * sectionBytes;
  // Explicit addresses first, so auto-placed namespaces go after all of them.
  s.namespaces.forEach((n, i) => {
    if (n.start === undefined) return;
    const end = parseSize(n.start, `namespaces[${i}].start`) + Math.max(0, parseSize(n.size, `namespaces[${i}].size`));
    nextFree = Math.max(nextFree, Math.ceil(end / sectionBytes) * sectionBytes);
  });

  return nextFree;
}

/** The namespaces as pfn ranges, placed, aligned and claimed, with their altmap and compound geometry. */
function resolveNamespaces(
  s: ScenarioParsed,
  overrides: ScenarioOverrides,
  constants: KernelConstants,
  nodes: readonly ResolvedNode[],
  occupied: OccupiedRanges,
): ResolvedNamespace[] {
  const d = derive(constants);
  const page = d.pageSize;
  const claim = (range: PfnRange, field: string) => occupied.claim(range, field);
  const nodeIds = new Set(nodes.map((n) => n.id));
  const sectionBytes = 2 ** constants.sectionSizeBits;
  const subsectionBytes = 2 ** constants.subsectionShift;
  let nextFree = firstFreeBytes(s, occupied, page, sectionBytes);
  const names = new Set<string>();
  return s.namespaces.map((n, i) => {
    const field = `namespaces[${i}]`;
    if (names.has(n.name)) throw new InputError(`${field}.name`, `duplicate namespace name "${n.name}"`);
    names.add(n.name);
    if (!nodeIds.has(n.node)) throw new InputError(`${field}.node`, `node ${n.node} is not defined in nodes`);
    const sizeBytes = parseSize(n.size, `${field}.size`);
    if (sizeBytes <= 0) throw new InputError(`${field}.size`, 'must be > 0');
    const geometry = namespaceGeometry(n, overrides.geometry, field);
    // Device-dax aligns to its compound page size (ndctl --align sets vmemmap_shift).
    const compoundBytes = compoundBytesOf(geometry, constants);
    const alignBytes = n.align === undefined ? Math.max(subsectionBytes, compoundBytes) : parseSize(n.align, `${field}.align`);
    if (!isPow2(alignBytes) || alignBytes < subsectionBytes) {
      throw new InputError(`${field}.align`, `must be a power of two of at least ${subsectionBytes} bytes (the 2 MiB subsection)`);
    }
    if (alignBytes < compoundBytes) throw new InputError(`${field}.align`, `must be at least the ${geometry} compound page (${compoundBytes} bytes)`);
    if (sizeBytes % alignBytes)
      throw new InputError(`${field}.size`, `must be a multiple of the alignment (${alignBytes} bytes; hotplug works in 2 MiB subsections)`);
    let start: number;
    if (n.start === undefined) {
      start = Math.ceil(nextFree / alignBytes) * alignBytes;
      nextFree = Math.ceil((start + sizeBytes) / sectionBytes) * sectionBytes;
    } else {
      start = parseSize(n.start, `${field}.start`);
      if (start < 0) throw new InputError(`${field}.start`, 'must be >= 0');
      if (start % alignBytes) throw new InputError(`${field}.start`, `must be aligned to ${alignBytes} bytes (2 MiB subsection at least)`);
    }
    checkPhysEnd(start + sizeBytes, field);
    const startPfn = start / page;
    const pages = sizeBytes / page;
    const endPfn = startPfn + pages;
    claim({ startPfn, endPfn }, field);
    const altmap = n.altmap ?? n.mode === 'fsdax';
    // vmem_altmap_offset: the info block plus the memmap the device hosts, rounded up to the alignment.
    const hostedBytes = altmap ? ALTMAP_RESERVE_BYTES + pages * constants.structPageBytes : 0;
    const dataStartBytes = altmap ? Math.ceil((start + hostedBytes) / alignBytes) * alignBytes : start;
    if (dataStartBytes >= start + sizeBytes) throw new InputError(`${field}.size`, 'too small to host its own memmap (altmap)');
    return {
      name: n.name,
      node: n.node,
      device: n.device ?? n.name,
      mode: n.mode,
      altmap,
      alignBytes,
      sizeBytes,
      pages,
      startPfn,
      endPfn,
      dataStartPfn: dataStartBytes / page,
      dataPages: endPfn - dataStartBytes / page,
      firstSection: Math.floor(startPfn / d.pagesPerSection),
      lastSection: Math.floor((endPfn - 1) / d.pagesPerSection),
      ...resolveCompound({
        geometry,
        altmap,
        firstSection: Math.floor(startPfn / d.pagesPerSection),
        lastSection: Math.floor((endPfn - 1) / d.pagesPerSection),
        bootMemory: nodes.flatMap((node) => node.dram),
        oom: n.vmemmapOom,
        constants,
        field,
      }),
    };
  });
}

/** A `{ start, size }` of a scenario as pfns: both page aligned, size > 0. */
function pageRange(r: { start: string | number; size: string | number }, field: string, page: number): PfnRange {
  const start = parseSize(r.start, `${field}.start`);
  const size = parseSize(r.size, `${field}.size`);
  if (start < 0) throw new InputError(`${field}.start`, 'must be >= 0');
  if (size <= 0) throw new InputError(`${field}.size`, 'must be > 0');
  if (start % page || size % page) throw new InputError(field, `must be ${page}-byte (page) aligned`);
  checkPhysEnd(start + size, field);
  return { startPfn: start / page, endPfn: (start + size) / page };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
