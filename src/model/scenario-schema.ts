import { z } from 'zod';
import { UserStrategySchema } from './strategy-schema.js';

/** A size: `128G`, `3T`, `2M`, `0x200000`, or a number of bytes. */
export const SizeSchema = z
  .union([
    z
      .string()
      .regex(
        /^\s*(-?\d+(\.\d+)?\s*[KMGTPkmgtp]?(i?B)?|-?0x[0-9a-fA-F]+)\s*$/,
        'must be a byte size such as 128G, 3T, 2M or 0x200000, or a whole number of bytes',
      ),
    z.number().int(),
  ])
  .describe('A byte size: 128G, 3T, 2M, 0x200000 (binary units, K = 1024) or a number of bytes');

export const RangeSchema = z
  .object({
    start: SizeSchema.describe('Physical start address'),
    size: SizeSchema.describe('Length in bytes'),
  })
  .strict();

export const NodeSchema = z
  .object({
    id: z.number().int().min(0).describe('NUMA node id'),
    cores: z.number().int().min(1).describe('Physical cores on this node'),
    threadsPerCore: z.number().int().min(1).max(8).default(1).describe('SMT threads per core'),
    dram: z.array(RangeSchema).default([]).describe('System RAM ranges of this node'),
    reserved: z
      .array(RangeSchema)
      .default([])
      .describe('memblock-reserved ranges inside this node (kernel image, initrd, firmware); the node memmap is reserved at its top automatically'),
    movable: SizeSchema.optional().describe('Memory at the top of this node put in ZONE_MOVABLE (movablecore); default none'),
  })
  .strict();

export const NamespaceSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9._-]*$/, 'must start with a lower-case letter and hold only a-z, 0-9, ".", "_" and "-" (it is used in actor ids)')
      .describe('Namespace name, e.g. pmem0 (lower case, used in actor ids)'),
    node: z.number().int().min(0).describe('NUMA node the namespace belongs to'),
    device: z.string().min(1).optional().describe('Media device; namespaces naming the same device share its write bandwidth. Default: its own device'),
    start: SizeSchema.optional().describe('Physical start address; default: placed after all memory, section aligned'),
    size: SizeSchema.describe('Namespace size'),
    mode: z.enum(['fsdax', 'devdax']).default('fsdax').describe('ndctl mode'),
    altmap: z.boolean().optional().describe('Memmap on the device itself (ndctl --map=dev). Default: true for fsdax, false for devdax'),
    align: SizeSchema.optional().describe('Namespace alignment; a power of two, at least 2M (the subsection). Default 2M, or the compound page size'),
    geometry: z
      .enum(['4K', '2M', '1G'])
      .optional()
      .describe('devdax compound page size (vmemmap_shift 0, 9, 18); default 4K (base pages). fsdax is always 4K. See docs/compound-devmaps.md'),
    vmemmapOom: z
      .object({
        afterPages: z.number().int().min(0).optional().describe('The allocation after this many vmemmap pages (data + page tables, in population order) fails'),
        sectionIndex: z.number().int().min(0).optional().describe("Population fails on the namespace's section of this index (0 = its first)"),
        pmd: z
          .boolean()
          .optional()
          .describe(
            'Every PMD-sized (2 MiB) vmemmap block allocation fails, as on fragmented memory: without an altmap the sections fall back to base pages (the probe succeeds, using a PTE table per block more), with an altmap the probe fails',
          ),
      })
      .strict()
      .optional()
      .describe('Inject an out-of-memory failure into vmemmap population: afterPages or sectionIndex (the probe unwinds and fails), pmd, or pmd with either'),
  })
  .strict();

export const BootSchema = z
  .object({
    growZone: z
      .object({
        node: z.number().int().min(0).describe('Node whose deferred zone is short'),
        pages: z.number().int().min(1).describe('Pages the early allocation burst needs (deferred_grow_zone rounds up to a section)'),
      })
      .strict()
      .optional()
      .describe('An allocation before pgdatinit starts finds the zone short and grows it: deferred_grow_zone'),
  })
  .strict();

export const ParamOverrideSchema = z.union([
  z.number(),
  z
    .object({
      value: z.number(),
      unit: z.string().optional(),
      provenance: z.enum(['measured', 'fitted', 'default']).optional(),
      source: z.string().optional(),
    })
    .strict(),
]);

export const ProfileInputSchema = z
  .object({
    name: z.string().optional(),
    base: z.string().optional().describe('Named profile the overrides apply to'),
    description: z.string().optional(),
    dramSharing: z.enum(['maxmin', 'stall']).optional().describe('How workers share node DRAM bandwidth (docs/model.md)'),
    params: z.record(z.string(), ParamOverrideSchema).optional(),
  })
  .strict();

export const ConstantsSchema = z
  .object({
    pageShift: z.number().int().min(12).max(16).optional().describe('PAGE_SHIFT (default 12: 4 KiB pages)'),
    structPageBytes: z.number().int().min(56).max(128).optional().describe('sizeof(struct page) (default 64)'),
    sectionSizeBits: z.number().int().min(24).max(40).optional().describe('SECTION_SIZE_BITS (default 27: 128 MiB sections)'),
    subsectionShift: z
      .number()
      .int()
      .min(16)
      .max(30)
      .optional()
      .describe('SUBSECTION_SHIFT (default 21: 2 MiB); at least pageShift and at most sectionSizeBits'),
    pageblockOrder: z.number().int().min(1).max(20).optional().describe('pageblock_order (default 9); at most maxPageOrder'),
    maxPageOrder: z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .describe('MAX_PAGE_ORDER, inclusive (default 10); maxPageOrder + pageShift at most sectionSizeBits (a max-order block fits in a section)'),
    pageblockBits: z.number().int().min(1).max(16).optional().describe('NR_PAGEBLOCK_BITS (default 4)'),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().optional().describe('Scenario name'),
    description: z.string().optional(),
    constants: ConstantsSchema.optional().describe('Overrides of the x86_64 constants; a combination the kernel refuses to build is refused'),
    profile: z.union([z.string(), ProfileInputSchema]).optional().describe('Hardware profile name, or a base profile with overrides'),
    strategy: z
      .union([z.string(), UserStrategySchema])
      .optional()
      .describe('Initialization strategy: a built-in name (see `memmap-sim list`), or an object defining a probe or boot strategy (docs/scenario.md)'),
    threads: z.number().int().min(1).optional().describe("Threads for multithreaded strategies (default: the strategy's own)"),
    seed: z.number().int().min(0).optional().describe('Seed for tie-breaking and jitter (default 1)'),
    explore: z.boolean().optional().describe('Order same-time events randomly (seeded) instead of FIFO'),
    jitter: z.number().min(0).max(0.5).optional().describe('Relative jitter applied to per-step costs (seeded), default 0'),
    boot: BootSchema.optional().describe('Simulate boot: deferred struct page init of every node (page_alloc_init_late) before any namespace probes'),
    nodes: z.array(NodeSchema).min(1).describe('NUMA nodes'),
    namespaces: z.array(NamespaceSchema).default([]).describe('Persistent-memory namespaces to probe'),
  })
  .strict();

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioParsed = z.output<typeof ScenarioSchema>;
