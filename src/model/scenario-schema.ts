import { z } from 'zod';

/** A size: `128G`, `3T`, `2M`, `0x200000`, or a number of bytes. */
export const SizeSchema = z
  .union([z.string().regex(/^\s*(-?\d+(\.\d+)?\s*[KMGTPkmgtp]?(i?B)?|-?0x[0-9a-fA-F]+)\s*$/), z.number().int()])
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
  })
  .strict();

export const NamespaceSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9._-]*$/)
      .describe('Namespace name, e.g. pmem0 (lower case, used in actor ids)'),
    node: z.number().int().min(0).describe('NUMA node the namespace belongs to'),
    device: z.string().min(1).optional().describe('Media device; namespaces naming the same device share its write bandwidth. Default: its own device'),
    start: SizeSchema.optional().describe('Physical start address; default: placed after all memory, section aligned'),
    size: SizeSchema.describe('Namespace size'),
    mode: z.enum(['fsdax', 'devdax']).default('fsdax').describe('ndctl mode'),
    altmap: z.boolean().optional().describe('Memmap on the device itself (ndctl --map=dev). Default: true for fsdax, false for devdax'),
    align: SizeSchema.optional().describe('Namespace alignment; a power of two, at least 2M (the subsection). Default 2M'),
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
    params: z.record(z.string(), ParamOverrideSchema).optional(),
  })
  .strict();

export const ConstantsSchema = z
  .object({
    pageShift: z.number().int().min(12).max(16).optional(),
    structPageBytes: z.number().int().min(56).max(128).optional(),
    sectionSizeBits: z.number().int().min(24).max(40).optional(),
    subsectionShift: z.number().int().min(16).max(30).optional(),
    pageblockOrder: z.number().int().min(1).max(20).optional(),
    maxPageOrder: z.number().int().min(1).max(20).optional(),
    pageblockBits: z.number().int().min(1).max(16).optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().optional().describe('Scenario name'),
    description: z.string().optional(),
    constants: ConstantsSchema.optional().describe('Overrides of the x86_64 constants'),
    profile: z.union([z.string(), ProfileInputSchema]).optional().describe('Hardware profile name, or a base profile with overrides'),
    strategy: z.string().optional().describe('Initialization strategy (see `memmap-sim list`)'),
    threads: z.number().int().min(1).optional().describe("Threads for multithreaded strategies (default: the strategy's own)"),
    seed: z.number().int().min(0).optional().describe('Seed for tie-breaking and jitter (default 1)'),
    explore: z.boolean().optional().describe('Order same-time events randomly (seeded) instead of FIFO'),
    jitter: z.number().min(0).max(0.5).optional().describe('Relative jitter applied to per-step costs (seeded), default 0'),
    nodes: z.array(NodeSchema).min(1).describe('NUMA nodes'),
    namespaces: z.array(NamespaceSchema).default([]).describe('Persistent-memory namespaces to probe'),
  })
  .strict();

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type ScenarioParsed = z.output<typeof ScenarioSchema>;
