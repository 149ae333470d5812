import fc from 'fast-check';

export const FC_SEED = Number(process.env.FC_SEED ?? 42);

const MiB = 2 ** 20;
const GiB = 2 ** 30;

export interface GeneratedMachine {
  readonly scenario: {
    name: string;
    nodes: { id: number; cores: number; threadsPerCore: number; dram: { start: string; size: string }[] }[];
    namespaces: { name: string; node: number; size: string; start?: string; device?: string; mode: 'fsdax' | 'devdax'; altmap?: boolean }[];
  };
  readonly threads: number;
  readonly seed: number;
  readonly explore: boolean;
}

const namespaceArb = (nodes: number) =>
  fc
    .record({
      node: fc.integer({ min: 0, max: nodes - 1 }),
      // 2 MiB multiples up to 2 GiB; with the memmap on the device (altmap) the namespace needs room for it: >= 4 MiB.
      units: fc.integer({ min: 1, max: 1024 }),
      device: fc.option(fc.constantFrom('dimm0', 'dimm1'), { nil: undefined }),
      mode: fc.constantFrom('fsdax' as const, 'devdax' as const),
      altmap: fc.option(fc.boolean(), { nil: undefined }),
      /** Subsections (2 MiB) of hole before it when namespaces are packed at 2 MiB granularity. */
      gap: fc.integer({ min: 0, max: 3 }),
    })
    .map((n) => {
      const altmap = n.altmap ?? n.mode === 'fsdax';
      return { ...n, units: altmap ? Math.max(2, n.units) : n.units };
    });

/** Small machines: 1-3 nodes, 1-4 namespaces of 2 MiB multiples up to 2 GiB, shared devices or not, altmap or not, 1-16 threads. */
export const machineArb: fc.Arbitrary<GeneratedMachine> = fc
  .integer({ min: 1, max: 3 })
  .chain((nodeCount) =>
    fc.record({
      nodes: fc.array(fc.record({ cores: fc.integer({ min: 1, max: 8 }), threadsPerCore: fc.integer({ min: 1, max: 2 }), dramGiB: fc.integer({ min: 1, max: 4 }) }), {
        minLength: nodeCount,
        maxLength: nodeCount,
      }),
      namespaces: fc.array(namespaceArb(nodeCount), { minLength: 1, maxLength: 4 }),
      threads: fc.integer({ min: 1, max: 16 }),
      seed: fc.integer({ min: 0, max: 1000 }),
      explore: fc.boolean(),
      /** Packed: explicit starts at 2 MiB granularity, so namespaces share 128 MiB sections; else auto-placed, section aligned. */
      packed: fc.boolean(),
    }),
  )
  .map(({ nodes, namespaces, threads, seed, explore, packed }) => {
    let at = 64 * 1024 * MiB + 2 * MiB; // above every node's DRAM slot, deliberately not section aligned
    const starts = namespaces.map((n) => {
      at += n.gap * 2 * MiB;
      const start = at;
      at += n.units * 2 * MiB;
      return start;
    });
    return {
    scenario: {
      name: 'generated',
      nodes: nodes.map((n, i) => ({
        id: i,
        cores: n.cores,
        threadsPerCore: n.threadsPerCore,
        // Each node's DRAM in its own 8 GiB slot, so they never overlap; namespaces are placed after all memory.
        dram: [{ start: `${i * 8}G`, size: `${n.dramGiB}G` }],
      })),
      namespaces: namespaces.map((n, i) => ({
        name: `pmem${i}`,
        node: n.node,
        size: `${(n.units * 2 * MiB) / MiB}M`,
        ...(packed ? { start: `${starts[i] / MiB}M` } : {}),
        ...(n.device ? { device: n.device } : {}),
        mode: n.mode,
        ...(n.altmap === undefined ? {} : { altmap: n.altmap }),
      })),
    },
    threads,
    seed,
    explore,
  };
  });

export const sizeBytesOf = (size: string) => Number(size.slice(0, -1)) * MiB;
export { GiB, MiB };
