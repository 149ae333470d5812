import type { z } from 'zod';
import { X86_64, derive, type Derived, type KernelConstants } from './constants.js';
import { InputError } from './input-error.js';
import { costsOf, type Costs, type ResolvedProfile } from './profile.js';
import { DEFAULT_PROFILE, resolveProfile } from './profiles/index.js';
import { parseSize } from './sizes.js';
import { ScenarioSchema, type ScenarioParsed } from './scenario-schema.js';
import { strategyByName, type Strategy } from './strategies.js';

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
}

export interface ResolvedNamespace extends PfnRange {
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
  readonly strategy: Strategy;
  readonly threads: number;
  readonly seed: number;
  readonly explore: boolean;
  readonly jitter: number;
  readonly nodes: readonly ResolvedNode[];
  readonly namespaces: readonly ResolvedNamespace[];
}

/** What a caller (CLI flag, library option) may set over the scenario file. */
export interface ScenarioOverrides {
  readonly strategy?: string;
  readonly threads?: number;
  readonly seed?: number;
  readonly explore?: boolean;
  readonly profile?: ScenarioParsed['profile'];
}

/** nd_pfn info block ahead of the altmap (8 KiB) [inferred from drivers/nvdimm/pfn_devs.c]. */
const ALTMAP_RESERVE_BYTES = 8192;

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(scenario)';
}

function firstIssue(error: z.ZodError): InputError {
  const issue = error.issues[0];
  return new InputError(pathOf(issue.path), issue.message);
}

const isPow2 = (n: number) => n > 0 && Number.isInteger(Math.log2(n));

export function parseScenario(input: unknown): ScenarioParsed {
  const parsed = ScenarioSchema.safeParse(input);
  if (!parsed.success) throw firstIssue(parsed.error);
  return parsed.data;
}

/** Validates a scenario and turns it into pfns, pages and a profile. */
export function resolveScenario(input: unknown, overrides: ScenarioOverrides = {}, fallbackName = 'scenario'): ResolvedScenario {
  const s = parseScenario(input);
  const constants: KernelConstants = { ...X86_64, ...stripUndefined(s.constants ?? {}) };
  const d = derive(constants);
  if (constants.subsectionShift > constants.sectionSizeBits) throw new InputError('constants.subsectionShift', 'must not exceed sectionSizeBits');
  const profile = resolveProfile(overrides.profile ?? s.profile ?? DEFAULT_PROFILE, overrides.profile ? '--profile' : 'profile');
  const strategy = strategyByName(overrides.strategy ?? s.strategy ?? 'outside-lock', overrides.strategy ? '--strategy' : 'strategy');
  const threads = overrides.threads ?? s.threads ?? strategy.defaultThreads;
  if (!Number.isInteger(threads) || threads < 1) throw new InputError(overrides.threads !== undefined ? '--threads' : 'threads', 'must be a whole number >= 1');
  const seed = overrides.seed ?? s.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError(overrides.seed !== undefined ? '--seed' : 'seed', 'must be a whole number >= 0');

  const page = d.pageSize;
  const occupied: { range: PfnRange; field: string }[] = [];
  const claim = (range: PfnRange, field: string) => {
    for (const o of occupied) {
      if (range.startPfn < o.range.endPfn && o.range.startPfn < range.endPfn) {
        throw new InputError(field, `overlaps ${o.field} (ranges must not overlap)`);
      }
    }
    occupied.push({ range, field });
  };

  const nodeIds = new Set<number>();
  const nodes: ResolvedNode[] = s.nodes.map((n, i) => {
    if (nodeIds.has(n.id)) throw new InputError(`nodes[${i}].id`, `duplicate node id ${n.id}`);
    nodeIds.add(n.id);
    const dram = n.dram.map((r, j) => {
      const field = `nodes[${i}].dram[${j}]`;
      const start = parseSize(r.start, `${field}.start`);
      const size = parseSize(r.size, `${field}.size`);
      if (start < 0) throw new InputError(`${field}.start`, 'must be >= 0');
      if (size <= 0) throw new InputError(`${field}.size`, 'must be > 0');
      if (start % page || size % page) throw new InputError(field, `must be ${page}-byte (page) aligned`);
      const range = { startPfn: start / page, endPfn: (start + size) / page };
      claim(range, field);
      return range;
    });
    return { id: n.id, cores: n.cores, threadsPerCore: n.threadsPerCore, cpus: n.cores * n.threadsPerCore, dram };
  });

  const sectionBytes = 2 ** constants.sectionSizeBits;
  const subsectionBytes = 2 ** constants.subsectionShift;
  let nextFree = Math.max(0, ...occupied.map((o) => o.range.endPfn * page));
  nextFree = Math.ceil(nextFree / sectionBytes) * sectionBytes;
  const names = new Set<string>();
  const explicit = s.namespaces.filter((n) => n.start !== undefined);
  // Explicit addresses first, so auto-placed namespaces go after all of them.
  for (const n of explicit) nextFree = Math.max(nextFree, Math.ceil((parseSize(n.start, 'start') + Math.max(0, parseSize(n.size, 'size'))) / sectionBytes) * sectionBytes);

  const namespaces: ResolvedNamespace[] = s.namespaces.map((n, i) => {
    const field = `namespaces[${i}]`;
    if (names.has(n.name)) throw new InputError(`${field}.name`, `duplicate namespace name "${n.name}"`);
    names.add(n.name);
    if (!nodeIds.has(n.node)) throw new InputError(`${field}.node`, `node ${n.node} is not defined in nodes`);
    const sizeBytes = parseSize(n.size, `${field}.size`);
    if (sizeBytes <= 0) throw new InputError(`${field}.size`, 'must be > 0');
    const alignBytes = n.align === undefined ? subsectionBytes : parseSize(n.align, `${field}.align`);
    if (!isPow2(alignBytes) || alignBytes < subsectionBytes) {
      throw new InputError(`${field}.align`, `must be a power of two of at least ${subsectionBytes} bytes (the 2 MiB subsection)`);
    }
    if (sizeBytes % alignBytes) throw new InputError(`${field}.size`, `must be a multiple of the alignment (${alignBytes} bytes; hotplug works in 2 MiB subsections)`);
    let start: number;
    if (n.start === undefined) {
      start = nextFree;
      nextFree = Math.ceil((start + sizeBytes) / sectionBytes) * sectionBytes;
    } else {
      start = parseSize(n.start, `${field}.start`);
      if (start < 0) throw new InputError(`${field}.start`, 'must be >= 0');
      if (start % alignBytes) throw new InputError(`${field}.start`, `must be aligned to ${alignBytes} bytes (2 MiB subsection at least)`);
    }
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
    };
  });

  return {
    name: s.name ?? fallbackName,
    description: s.description ?? '',
    constants,
    derived: d,
    profile,
    costs: costsOf(profile),
    strategy,
    threads,
    seed,
    explore: overrides.explore ?? s.explore ?? false,
    jitter: s.jitter ?? 0,
    nodes,
    namespaces,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
