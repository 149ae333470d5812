import { z } from 'zod';
import { MAX_THREADS } from './work-bounds.js';

/**
 * The steps of a namespace probe, as zod schemas: the one source of the
 * ProbeStep type (strategies.ts) and of the `strategy` object users write in
 * scenario files or `--strategy-file`. A new step kind goes here.
 */
const LockName = z
  .enum(['mem_hotplug', 'pgdat_resize'])
  .optional()
  .describe("mem_hotplug: mem_hotplug_lock (default); pgdat_resize: the namespace's node's pgdat_resize_lock, a spinlock (mode write)");

const LockStep = z
  .object({
    kind: z.literal('lock'),
    mode: z.enum(['write', 'read']).describe('mem_hotplug_begin takes mem_hotplug_lock for write; get_online_mems for read'),
    lock: LockName,
  })
  .strict()
  .describe('Take mem_hotplug_lock (or, with lock: pgdat_resize, pgdat_resize_lock)');

const UnlockStep = z
  .object({ kind: z.literal('unlock'), lock: LockName })
  .strict()
  .describe('Release mem_hotplug_lock (mem_hotplug_done / put_online_mems), or with lock: pgdat_resize, pgdat_resize_lock');

const ActivateStep = z
  .object({
    kind: z.literal('activate'),
    order: z
      .enum(['ascending', 'descending'])
      .optional()
      .describe("ascending is __add_pages' order, which reuse_compound_section relies on (default); descending populates the last section first"),
  })
  .strict()
  .describe('arch_add_memory -> sparse_add_section for every section (vmemmap population)');

const ResizeStep = z
  .object({ kind: z.literal('resize') })
  .strict()
  .describe('move_pfn_range_to_zone: grow the zone and pgdat span');

const InitHostingStep = z
  .object({ kind: z.literal('init-hosting') })
  .strict()
  .describe('memmap_init_range(MEMINIT_HOTPLUG): the altmap pfns that host the memmap');

const InitStep = z
  .object({
    kind: z.literal('init'),
    pass: z
      .union([z.literal(1), z.literal(2)])
      .default(1)
      .describe('1: the pass that initializes the data pages; 2: a second loop over them (default 1)'),
    work: z.enum(['full', 'pgmap']).default('full').describe('full = __init_zone_device_page (default); pgmap = the pre-4.20 loop that only sets page->pgmap'),
    threads: z.enum(['threads', 'one']).default('one').describe("threads: the strategy's thread count; one: the probing thread alone (default)"),
    split: z
      .enum(['equal', 'section', 'section-unaligned'])
      .default('equal')
      .describe(
        'How the pages are cut between threads. equal: size/N each, remainder on the last (default); section: chunks aligned to sections and to compound pages; section-unaligned: section aligned only, so a chunk may end inside a 1 GiB compound page',
      ),
    refPerPage: z.boolean().default(false).describe('percpu_ref_get for every page inside the loop (2018 code); default false'),
    pageblocks: z
      .enum(['range', 'visited'])
      .optional()
      .describe('range: pageblock_migratetype_init_range over every pageblock (default); visited: only pageblock-aligned pfns the loop visits (pre-2026)'),
    earlySections: z
      .enum(['unoptimized', 'as-optimized'])
      .optional()
      .describe('unoptimized: compound_nr_pages treats early sections as unoptimized (default); as-optimized: 128 per compound page there too (pre-2026)'),
  })
  .strict()
  .describe('memmap_init_zone_device over the data pages (the pfns handed to DAX users)');

const RefGetManyStep = z
  .object({
    kind: z.literal('ref-get-many'),
    unit: z
      .enum(['compound', 'pfn'])
      .optional()
      .describe(
        'compound: pfn_len(), one reference per compound page, (pfn_end - pfn_first) >> vmemmap_shift (default); pfn: pfn_end - pfn_first, the count from before compound devmaps (v5.17), an over-count at 2M and 1G',
      ),
  })
  .strict()
  .describe('percpu_ref_get_many(&pgmap->ref, pfn_len): one bulk reference');

const RefPutStep = z
  .object({ kind: z.literal('ref-put') })
  .strict()
  .describe('percpu_ref_put_many(&pgmap->ref, pfn_len): drop the references, as memunmap_pages does');

const PublishStep = z
  .object({ kind: z.literal('publish') })
  .strict()
  .describe('The namespace is handed to DAX users');

export const ProbeStepSchema = z.discriminatedUnion('kind', [
  LockStep,
  UnlockStep,
  ActivateStep,
  ResizeStep,
  InitHostingStep,
  InitStep,
  RefGetManyStep,
  RefPutStep,
  PublishStep,
]);

export const PROBE_STEP_KINDS = ProbeStepSchema.options.map((o) => o.shape.kind.value);

/** Bounds that keep a user strategy sized before a run starts. */
export const USER_STRATEGY_LIMITS = { steps: 64, defaultThreads: MAX_THREADS, maxThreads: MAX_THREADS, minChunkPages: 2 ** 30 } as const;

const StrategyName = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{0,63}$/, 'must be 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter')
  .describe('Strategy name, shown in the results; must not be a built-in name');

export const ProbeStrategySchema = z
  .object({
    name: StrategyName,
    family: z.literal('probe').optional().describe('probe (default): how a namespace probes'),
    summary: z.string().max(1000).optional().describe('One line on what the strategy does'),
    status: z.literal('proposal').optional().describe('A user strategy is a proposal'),
    defaultThreads: z
      .number()
      .int()
      .min(1)
      .max(USER_STRATEGY_LIMITS.defaultThreads)
      .optional()
      .describe('Threads of `init` steps with threads: "threads" unless --threads or the scenario says (default 1)'),
    steps: z.array(ProbeStepSchema).min(1).max(USER_STRATEGY_LIMITS.steps).describe('The probe, one step after another'),
    peerSteps: z
      .array(ProbeStepSchema)
      .min(1)
      .max(USER_STRATEGY_LIMITS.steps)
      .optional()
      .describe('A second code path: the 2nd, 4th, ... namespace of the scenario probes with these steps instead (default: every namespace runs steps)'),
  })
  .strict()
  .describe('A namespace probe strategy written by the user');

export const BootStrategySchema = z
  .object({
    name: StrategyName,
    family: z.literal('boot').describe('boot: how deferred struct page init runs at boot'),
    summary: z.string().max(1000).optional().describe('One line on what the strategy does'),
    status: z.literal('proposal').optional().describe('A user strategy is a proposal'),
    deferred: z
      .boolean()
      .default(true)
      .describe('false: every struct page initialized early on the boot CPU (no CONFIG_DEFERRED_STRUCT_PAGE_INIT); default true'),
    threads: z.enum(['one', 'padata']).default('padata').describe('one: the pgdatinit thread alone; padata: padata_do_multithreaded (default)'),
    align: z.enum(['section', 'page']).describe('padata align: PAGES_PER_SECTION, or one page'),
    minChunk: z
      .union([z.enum(['section', 'max-order', 'page']), z.number().int().min(1).max(USER_STRATEGY_LIMITS.minChunkPages)])
      .optional()
      .describe('padata min_chunk: section, max-order (MAX_ORDER_NR_PAGES), page, or a number of pages; default: the same as align'),
    maxThreads: z
      .number()
      .int()
      .min(1)
      .max(USER_STRATEGY_LIMITS.maxThreads)
      .optional()
      .describe('padata max_threads at most this (default: the node CPUs, or --threads)'),
    freeOrder: z
      .enum(['maxorder', 'chunk', 'per-page'])
      .describe(
        'maxorder: deferred_init_maxorder (init a max-order block, then free it); chunk: init the whole chunk, then free it; per-page: free each page right after its init',
      ),
    growStop: z.enum(['section', 'exact']).describe('deferred_grow_zone stops on a section boundary, or exactly at the pages asked for'),
  })
  .strict()
  .describe('A boot (deferred init) strategy written by the user');

export const UserStrategySchema = z.union([ProbeStrategySchema, BootStrategySchema]);

export type ProbeStepParsed = z.output<typeof ProbeStepSchema>;
export type ProbeStrategyInput = z.input<typeof ProbeStrategySchema>;
export type BootStrategyInput = z.input<typeof BootStrategySchema>;
export type UserStrategyInput = z.input<typeof UserStrategySchema>;
