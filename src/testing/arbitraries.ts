/**
 * fast-check arbitraries for property tests of memmap-sim, here and in
 * projects that import the library (`memmap-sim/testing`). Every generated
 * scenario is valid input to `simulate`, and every correct strategy must run
 * it to quiescence with no violation.
 *
 * Called with no options, each arbitrary generates exactly what the project's
 * own property tests run (test/property, test/boot): options only narrow or
 * widen ranges, or switch on a feature (compound geometry) that is off by
 * default, so a fixed fast-check seed keeps giving the same machines.
 */
import fc from 'fast-check';
import { BOOT_STRATEGIES } from '../model/boot-strategies.js';
import { STRATEGIES } from '../model/strategies.js';
import type { UserStrategyInput } from '../model/strategy-schema.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const PAGE = 4096;

/** An inclusive integer range. */
export interface IntRange {
  readonly min: number;
  readonly max: number;
}

export type NamespaceMode = 'fsdax' | 'devdax';
export type NamespaceGeometry = '4K' | '2M' | '1G';

/** A generated pmem probe machine: the scenario document and the run choices that go with it. */
export interface PmemMachine {
  readonly scenario: {
    name: string;
    profile?: string;
    jitter?: number;
    nodes: { id: number; cores: number; threadsPerCore: number; dram: { start: string; size: string }[]; reserved?: { start: string; size: string }[] }[];
    namespaces: {
      name: string;
      node: number;
      size: string;
      start?: string;
      device?: string;
      mode: NamespaceMode;
      altmap?: boolean;
      geometry?: NamespaceGeometry;
    }[];
  };
  readonly threads: number;
  readonly seed: number;
  readonly explore: boolean;
}

export interface PmemMachineOptions {
  /** NUMA nodes. Default 1-3. */
  readonly nodes?: IntRange;
  /** DRAM per node in GiB, in the node's own 8 GiB slot (at most 8). Default 1-4. */
  readonly dramGiB?: IntRange;
  /** Cores per node. Default 1-8. */
  readonly cores?: IntRange;
  /** Namespaces. Default 1-4. */
  readonly namespaces?: IntRange;
  /**
   * Namespace size in 2 MiB units. Default 1-1024 (2 MiB to 2 GiB). With its
   * memmap on the device (altmap) a namespace gets at least 2 units (4 MiB).
   */
  readonly units?: IntRange;
  /** Shared media devices a namespace may name (or none: its own device). Default ['dimm0', 'dimm1']; [] gives every namespace its own. */
  readonly devices?: readonly string[];
  /** ndctl modes to choose from. Default both. */
  readonly modes?: readonly NamespaceMode[];
  /** altmap: true or false forces it; undefined (default) picks true, false or unset (the mode's default). */
  readonly altmap?: boolean;
  /**
   * Compound page geometry for devdax namespaces (4K, 2M, 1G), with sizes and
   * starts made valid for it: a 1G namespace is 1 or 2 GiB (2 GiB with an
   * altmap) and 1 GiB aligned. Default false: no geometry field (4K).
   */
  readonly geometry?: boolean;
  /**
   * packed: explicit starts at 2 MiB granularity (plus 0-3 subsections of hole
   * before each), so namespaces share 128 MiB sections; false: auto-placed,
   * section aligned. Default: either.
   */
  readonly packed?: boolean;
  /** Probe threads. Default 1-16. */
  readonly threads?: IntRange;
  /** Run seed. Default 0-1000. */
  readonly seed?: IntRange;
  /** Seeded exploration of same-time orderings. Default: either. */
  readonly explore?: boolean;
  /** A built-in profile name for the scenario (e.g. 'devdax-2022'). Default none (the default profile). */
  readonly profile?: string;
  /**
   * DRAM of each node as this many ranges with holes between them, sizes in
   * 2 MiB multiples (so rarely a power of two or a whole section), in place
   * of one range of `dramGiB`; up to `dramGiB.max` GiB in all. Default: off.
   */
  readonly dramRanges?: IntRange;
  /** With `dramRanges`: at most this many reserved ranges per node. Default 0. */
  readonly maxReserved?: number;
  /**
   * With `dramRanges`: a namespace may start right after its node's DRAM, in
   * the free subsections of the DRAM's last (early) section. Default false.
   */
  readonly early?: boolean;
  /** Draw a scenario `jitter` from 0 to this (in hundredths). Default: none. */
  readonly jitter?: number;
}

const pick = <T>(forced: T | undefined, arb: fc.Arbitrary<T>): fc.Arbitrary<T> => (forced === undefined ? arb : fc.constant(forced));

function namespaceArb(nodes: number, o: PmemMachineOptions) {
  const units = o.units ?? { min: 1, max: 1024 };
  const devices = o.devices ?? ['dimm0', 'dimm1'];
  const modes = o.modes ?? ['fsdax', 'devdax'];
  const base = {
    node: fc.integer({ min: 0, max: nodes - 1 }),
    units: fc.integer(units),
    device: devices.length ? fc.option(fc.constantFrom(...devices), { nil: undefined }) : fc.constant(undefined),
    mode: fc.constantFrom(...modes),
    altmap: pick<boolean | undefined>(o.altmap, fc.option(fc.boolean(), { nil: undefined })),
    /** Subsections (2 MiB) of hole before it when namespaces are packed at 2 MiB granularity. */
    gap: fc.integer({ min: 0, max: 3 }),
    ...(o.early ? { early: fc.boolean() } : {}),
  };
  const record = o.geometry
    ? fc.record({ ...base, geometry: fc.constantFrom<NamespaceGeometry>('4K', '2M', '1G') })
    : fc.record(base).map((n) => ({ ...n, geometry: undefined as NamespaceGeometry | undefined }));
  return record.map((n) => {
    const altmap = n.altmap ?? n.mode === 'fsdax';
    // Only device-dax has a vmemmap_shift.
    const geometry = n.mode === 'devdax' ? n.geometry : undefined;
    if (geometry === '1G') {
      // Whole 1 GiB compound pages; with an altmap the memmap rounds up to one of them, so the data needs a second.
      return { ...n, geometry, units: (altmap ? 2 : 1 + (n.units % 2)) * 512 };
    }
    // With the memmap on the device (altmap) the namespace needs room for it: >= 4 MiB.
    return { ...n, geometry, units: altmap ? Math.max(2, n.units) : n.units };
  });
}

/** Units of 2 MiB an early namespace may take (3 GiB): with at most 4.75 GiB of DRAM it stays in the node's 8 GiB slot. */
const EARLY_MAX_UNITS = 1536;

interface DramDraw {
  readonly ranges: readonly { readonly gap: number; readonly units: number }[];
  readonly reserved: readonly { readonly range: number; readonly at: number; readonly pages: number }[];
}

/** DRAM ranges of one node in 2 MiB units (holes of up to 256 MiB between them), plus reserved ranges in pages. */
function dramRangesArb(o: PmemMachineOptions): fc.Arbitrary<DramDraw> {
  const count = o.dramRanges!;
  const maxUnits = Math.max(1, Math.floor(((o.dramGiB?.max ?? 4) * 512) / count.max));
  return fc.record({
    ranges: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 128 }), units: fc.integer({ min: 1, max: maxUnits }) }), {
      minLength: count.min,
      maxLength: count.max,
    }),
    reserved: fc.array(fc.record({ range: fc.nat(), at: fc.integer({ min: 0, max: 1000 }), pages: fc.integer({ min: 1, max: 1024 }) }), {
      maxLength: o.maxReserved ?? 0,
    }),
  });
}

/** Node i's DRAM in its 8 GiB slot (the first range at the slot start), its reservations, and the end of its DRAM in bytes. */
function layoutDram(i: number, d: DramDraw) {
  let at = i * 8 * GiB;
  const dram = d.ranges.map((r, j) => {
    const start = at + (j === 0 ? 0 : r.gap * 2 * MiB);
    at = start + r.units * 2 * MiB;
    return { start, size: r.units * 2 * MiB };
  });
  const reserved = d.reserved.map((r) => {
    const range = dram[r.range % dram.length];
    const pages = Math.min(r.pages, range.size / PAGE - 1);
    const start = range.start + Math.floor((r.at / 1000) * (range.size / PAGE - pages)) * PAGE;
    return { start, size: pages * PAGE };
  });
  const text = (x: { start: number; size: number }) => ({ start: `${x.start / 1024}K`, size: `${x.size / 1024}K` });
  return { dram: dram.map(text), reserved: reserved.filter((r) => r.size > 0).map(text), end: at };
}

/** A jitter from 0 to `max`, in hundredths, so it shrinks to 0 and prints short. */
const jitterArb = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: Math.round(max * 100) }).map((j) => j / 100);

/**
 * Small pmem probe machines: nodes with DRAM in their own 8 GiB slots, and
 * namespaces above all of it with sizes in 2 MiB multiples, on shared devices
 * or not, with or without an altmap, packed into shared sections or section
 * aligned; plus the run's threads, seed and exploration.
 */
export function pmemMachineArb(options: PmemMachineOptions = {}): fc.Arbitrary<PmemMachine> {
  const o = options;
  const nodesRange = o.nodes ?? { min: 1, max: 3 };
  // Above every node's DRAM slot, deliberately not section aligned.
  const base = Math.max(64, nodesRange.max * 8) * GiB + 2 * MiB;
  return fc
    .integer(nodesRange)
    .chain((nodeCount) =>
      fc.record({
        nodes: fc.array(
          fc.record({
            cores: fc.integer(o.cores ?? { min: 1, max: 8 }),
            threadsPerCore: fc.integer({ min: 1, max: 2 }),
            dramGiB: fc.integer(o.dramGiB ?? { min: 1, max: 4 }),
            ...(o.dramRanges ? { ranges: dramRangesArb(o) } : {}),
          }),
          { minLength: nodeCount, maxLength: nodeCount },
        ),
        namespaces: fc.array(namespaceArb(nodeCount, o), { minLength: o.namespaces?.min ?? 1, maxLength: o.namespaces?.max ?? 4 }),
        threads: fc.integer(o.threads ?? { min: 1, max: 16 }),
        seed: fc.integer(o.seed ?? { min: 0, max: 1000 }),
        explore: pick(o.explore, fc.boolean()),
        packed: pick(o.packed, fc.boolean()),
        ...(o.jitter === undefined ? {} : { jitter: jitterArb(o.jitter) }),
      }),
    )
    .map(({ nodes, namespaces, threads, seed, explore, packed, jitter }) => {
      const drams = nodes.map((n, i) => ('ranges' in n ? layoutDram(i, n.ranges as DramDraw) : undefined));
      let at = base;
      // Early namespaces fill their node's slot after its DRAM, up to EARLY_MAX_UNITS in all.
      const earlyAt = drams.map((d) => d?.end ?? 0);
      const placed = namespaces.map((n) => {
        const slot = drams[n.node];
        if ('early' in n && n.early && n.geometry !== '1G' && slot) {
          const start = earlyAt[n.node] + n.gap * 2 * MiB;
          const units = Math.min(n.units, EARLY_MAX_UNITS - (start - slot.end) / (2 * MiB));
          if (units >= ((n.altmap ?? n.mode === 'fsdax') ? 2 : 1)) {
            earlyAt[n.node] = start + units * 2 * MiB;
            return { start, units, early: true };
          }
        }
        at += n.gap * 2 * MiB;
        if (n.geometry === '1G') at = Math.ceil(at / GiB) * GiB;
        const start = at;
        at += n.units * 2 * MiB;
        return { start, units: n.units, early: false };
      });
      return {
        scenario: {
          name: 'generated',
          ...(o.profile === undefined ? {} : { profile: o.profile }),
          ...(jitter ? { jitter } : {}),
          nodes: nodes.map((n, i) => ({
            id: i,
            cores: n.cores,
            threadsPerCore: n.threadsPerCore,
            // Each node's DRAM in its own 8 GiB slot, so they never overlap; namespaces are placed after all memory.
            dram: drams[i]?.dram ?? [{ start: `${i * 8}G`, size: `${n.dramGiB}G` }],
            ...(drams[i] ? { reserved: drams[i]!.reserved } : {}),
          })),
          namespaces: namespaces.map((n, i) => ({
            name: `pmem${i}`,
            node: n.node,
            size: `${(placed[i].units * 2 * MiB) / MiB}M`,
            ...(packed || placed[i].early ? { start: `${placed[i].start / MiB}M` } : {}),
            ...(n.device ? { device: n.device } : {}),
            mode: n.mode,
            ...(n.altmap === undefined ? {} : { altmap: n.altmap }),
            ...(n.geometry === undefined ? {} : { geometry: n.geometry }),
          })),
        },
        threads,
        seed,
        explore,
      };
    });
}

/**
 * A generated boot machine (a scenario with a `boot` section): addresses and
 * sizes in bytes; `threads` undefined means each node's CPU count.
 */
export interface BootMachine {
  readonly scenario: {
    name: string;
    jitter?: number;
    boot: { growZone?: { node: number; pages: number } };
    nodes: {
      id: number;
      cores: number;
      threadsPerCore: number;
      dram: { start: number; size: number }[];
      reserved: { start: number; size: number }[];
      movable?: number;
    }[];
  };
  readonly threads: number | undefined;
  readonly seed: number;
  readonly explore: boolean;
}

export interface BootMachineOptions {
  /**
   * Addresses, sizes and reserved ranges are multiples of `unit` pages (a
   * power of two, at most 32768, a section): 1
   * (default) puts range and reservation edges anywhere, inside max-order
   * blocks and sections; 1024 (MAX_ORDER_NR_PAGES) keeps every DRAM and
   * reserved edge on a max-order block boundary (the node memmap reservation
   * and the movable boundary still fall anywhere).
   */
  readonly unit?: number;
  /** NUMA nodes. Default 1-3. */
  readonly nodes?: IntRange;
  /** Cores per node. Default 1-8. */
  readonly cores?: IntRange;
  /** DRAM ranges per node, separated by holes (possibly none). Default 1-3. */
  readonly ranges?: IntRange;
  /** Size of each DRAM range in units. Default from 256 pages (1 MiB) to 393216 pages (1.5 GiB), in units. */
  readonly rangeUnits?: IntRange;
  /** At most this many reserved ranges per node. Default 2. */
  readonly maxReserved?: number;
  /** Sometimes put up to 60 % of a node in ZONE_MOVABLE. Default true; false never does. */
  readonly movable?: boolean;
  /** Sometimes a deferred_grow_zone burst of 1-200000 pages. Default true; false never. */
  readonly growZone?: boolean;
  /** padata max_threads; undefined in a generated machine means the node's CPUs. Default 1-16 or undefined. */
  readonly threads?: IntRange;
  /** Run seed. Default 0-1000. */
  readonly seed?: IntRange;
  /** Seeded exploration of same-time orderings. Default: either. */
  readonly explore?: boolean;
  /** Draw a scenario `jitter` from 0 to this (in hundredths). Default: none. */
  readonly jitter?: number;
}

const SLOT_PAGES = (16 * GiB) / PAGE;

function bootNodeArb(unit: number, o: BootMachineOptions) {
  const ranges = o.ranges ?? { min: 1, max: 3 };
  return fc.record({
    cores: fc.integer(o.cores ?? { min: 1, max: 8 }),
    threadsPerCore: fc.integer({ min: 1, max: 2 }),
    // Gap before each range (up to 256 MiB; 0 = adjacent to the previous one) and its size (up to 1.5 GiB), in units.
    ranges: fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: Math.floor(65536 / unit) }),
        size: fc.integer(o.rangeUnits ?? { min: Math.max(1, Math.floor(256 / unit)), max: Math.floor(393216 / unit) }),
      }),
      { minLength: ranges.min, maxLength: ranges.max },
    ),
    reserved: fc.array(
      fc.record({ range: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }), size: fc.integer({ min: 1, max: Math.max(1, Math.floor(4096 / unit)) }) }),
      {
        maxLength: o.maxReserved ?? 2,
      },
    ),
    movablePercent: o.movable === false ? fc.constant(undefined) : fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  });
}

/**
 * Generated boot machines: 1-3 nodes, each with 1-3 DRAM ranges separated by
 * holes (possibly none: adjacent ranges), 0-2 reserved ranges, sometimes a
 * movable part, sometimes a deferred_grow_zone burst, 1-16 threads or the
 * node's CPUs. Node i lives in its own 16 GiB slot; node 0 starts near 0, so
 * it has DMA and DMA32 and, when it reaches past 4 GiB, Normal.
 */
export function bootMachineArb(options: BootMachineOptions = {}): fc.Arbitrary<BootMachine> {
  const o = options;
  const unit = o.unit ?? 1;
  if (!Number.isInteger(Math.log2(unit)) || unit < 1 || unit > 32768)
    throw new RangeError(`bootMachineArb: unit must be a power of two from 1 to 32768 pages, got ${unit}`);
  return fc
    .integer(o.nodes ?? { min: 1, max: 3 })
    .chain((nodeCount) =>
      fc.record({
        nodes: fc.array(bootNodeArb(unit, o), { minLength: nodeCount, maxLength: nodeCount }),
        grow:
          o.growZone === false
            ? fc.constant(undefined)
            : fc.option(fc.record({ node: fc.integer({ min: 0, max: nodeCount - 1 }), pages: fc.integer({ min: 1, max: 200_000 }) }), { nil: undefined }),
        threads: fc.option(fc.integer(o.threads ?? { min: 1, max: 16 }), { nil: undefined }),
        seed: fc.integer(o.seed ?? { min: 0, max: 1000 }),
        explore: pick(o.explore, fc.boolean()),
        ...(o.jitter === undefined ? {} : { jitter: jitterArb(o.jitter) }),
      }),
    )
    .map(({ nodes, grow, threads, seed, explore, jitter }) => {
      const machineNodes = nodes.map((n, i) => {
        // In units until the end.
        let at = (i * SLOT_PAGES) / unit;
        const dram = n.ranges.map((r) => {
          const start = at + r.gap;
          at = start + r.size;
          return { start, size: r.size };
        });
        const reserved = n.reserved
          .map((r) => {
            const d = dram[r.range % dram.length];
            const size = Math.min(r.size, d.size - 1);
            const start = d.start + Math.floor(r.at * (d.size - size));
            return { start, size };
          })
          .filter((r) => r.size > 0);
        const present = dram.reduce((a, d) => a + d.size, 0);
        const movable = n.movablePercent === undefined ? undefined : Math.floor((present * n.movablePercent) / 100);
        const bytes = (units: number) => units * unit * PAGE;
        return {
          id: i,
          cores: n.cores,
          threadsPerCore: n.threadsPerCore,
          dram: dram.map((d) => ({ start: bytes(d.start), size: bytes(d.size) })),
          reserved: reserved.map((d) => ({ start: bytes(d.start), size: bytes(d.size) })),
          ...(movable ? { movable: bytes(movable) } : {}),
        };
      });
      // A grow burst never asks for more than the node has (the scenario refuses that).
      const growZone = grow && {
        node: grow.node,
        pages: Math.min(
          grow.pages,
          machineNodes[grow.node].dram.reduce((a, d) => a + d.size / PAGE, 0),
        ),
      };
      return {
        scenario: { name: 'generated-boot', ...(jitter ? { jitter } : {}), boot: growZone ? { growZone } : {}, nodes: machineNodes },
        threads,
        seed,
        explore,
      };
    });
}

/** Probe strategies that must never produce a violation (every strategy not marked known-bad), in registry order. */
export const CORRECT_PROBE_STRATEGIES: readonly string[] = [...STRATEGIES.values()].filter((s) => s.status !== 'known-bad').map((s) => s.name);
/** Known-bad probe strategies, in registry order. Some are caught only on compound (2M, 1G) namespaces. */
export const KNOWN_BAD_PROBE_STRATEGIES: readonly string[] = [...STRATEGIES.values()].filter((s) => s.status === 'known-bad').map((s) => s.name);
/**
 * Known-bad probe strategies caught on every pmem machine, with the violation
 * kind each produces (at every namespace, except bug-resize-unlocked, which is
 * reported at the zone).
 */
export const ALWAYS_CAUGHT_PROBE_BUGS: Readonly<Record<string, string>> = {
  'bug-resize-unlocked': 'resize-without-write-lock',
  'bug-publish-early': 'dax-before-init',
  'bug-no-ref': 'refcount-short',
};
/** Boot strategies that must never produce a violation, in registry order. */
export const CORRECT_BOOT_STRATEGIES: readonly string[] = [...BOOT_STRATEGIES.values()].filter((s) => s.status !== 'known-bad').map((s) => s.name);
/** Known-bad boot strategies, in registry order. */
export const KNOWN_BAD_BOOT_STRATEGIES: readonly string[] = [...BOOT_STRATEGIES.values()].filter((s) => s.status === 'known-bad').map((s) => s.name);

/** A probe strategy: a correct one, or with `knownBad: true` any one. */
export function probeStrategyArb(options: { readonly knownBad?: boolean } = {}): fc.Arbitrary<string> {
  return fc.constantFrom(...(options.knownBad ? [...CORRECT_PROBE_STRATEGIES, ...KNOWN_BAD_PROBE_STRATEGIES] : CORRECT_PROBE_STRATEGIES));
}

/** A boot strategy: a correct one, or with `knownBad: true` any one. */
export function bootStrategyArb(options: { readonly knownBad?: boolean } = {}): fc.Arbitrary<string> {
  return fc.constantFrom(...(options.knownBad ? [...CORRECT_BOOT_STRATEGIES, ...KNOWN_BAD_BOOT_STRATEGIES] : CORRECT_BOOT_STRATEGIES));
}

/** A thread count. Default 1-16. */
export function threadsArb(range: IntRange = { min: 1, max: 16 }): fc.Arbitrary<number> {
  return fc.integer(range);
}

/** A run seed. Default 0-1000. */
export function seedArb(range: IntRange = { min: 0, max: 1000 }): fc.Arbitrary<number> {
  return fc.integer(range);
}

/** The `simulate` options of a generated machine under a strategy: `simulate(m.scenario, runOptions(m, 'outside-lock'))`. */
export function runOptions(
  machine: { readonly threads: number | undefined; readonly seed: number; readonly explore: boolean },
  strategy: string | UserStrategyInput,
): { strategy: string | UserStrategyInput; threads?: number; seed: number; explore: boolean } {
  return {
    strategy,
    ...(machine.threads === undefined ? {} : { threads: machine.threads }),
    seed: machine.seed,
    explore: machine.explore,
  };
}
