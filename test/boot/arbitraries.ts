import fc from 'fast-check';

/**
 * Generated boot machines: 1-3 nodes, each with 1-3 DRAM ranges separated by
 * holes (possibly none: adjacent ranges), 0-2 reserved ranges, sometimes a
 * movable part, sometimes a deferred_grow_zone burst, 1-16 threads or the
 * node's CPUs. Node i lives in its own 16 GiB slot; node 0 starts near 0, so
 * it has DMA and DMA32 and, when it reaches past 4 GiB, Normal.
 *
 * Addresses, sizes and reserved ranges are multiples of `unit` pages: 1 puts
 * range and reservation edges anywhere, inside max-order blocks and sections;
 * 1024 (MAX_ORDER_NR_PAGES) keeps every DRAM and reserved edge on a max-order
 * block boundary (the node memmap reservation and the movable boundary still
 * fall anywhere).
 */
export interface GeneratedBoot {
  readonly scenario: {
    name: string;
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

const PAGE = 4096;
const SLOT_PAGES = (16 * 2 ** 30) / PAGE;

const nodeArb = (unit: number) =>
  fc.record({
    cores: fc.integer({ min: 1, max: 8 }),
    threadsPerCore: fc.integer({ min: 1, max: 2 }),
    // Gap before each range (up to 256 MiB; 0 = adjacent to the previous one) and its size (up to 1.5 GiB), in units.
    ranges: fc.array(
      fc.record({ gap: fc.integer({ min: 0, max: Math.floor(65536 / unit) }), size: fc.integer({ min: Math.max(1, Math.floor(256 / unit)), max: Math.floor(393216 / unit) }) }),
      { minLength: 1, maxLength: 3 },
    ),
    reserved: fc.array(fc.record({ range: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }), size: fc.integer({ min: 1, max: Math.max(1, Math.floor(4096 / unit)) }) }), {
      maxLength: 2,
    }),
    movablePercent: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  });

export const bootMachineArb = (unit: number): fc.Arbitrary<GeneratedBoot> =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((nodeCount) =>
      fc.record({
        nodes: fc.array(nodeArb(unit), { minLength: nodeCount, maxLength: nodeCount }),
        grow: fc.option(fc.record({ node: fc.integer({ min: 0, max: nodeCount - 1 }), pages: fc.integer({ min: 1, max: 200_000 }) }), { nil: undefined }),
        threads: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
        seed: fc.integer({ min: 0, max: 1000 }),
        explore: fc.boolean(),
      }),
    )
    .map(({ nodes, grow, threads, seed, explore }) => ({
      scenario: {
        name: 'generated-boot',
        boot: grow ? { growZone: grow } : {},
        nodes: nodes.map((n, i) => {
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
        }),
      },
      threads,
      seed,
      explore,
    }));
