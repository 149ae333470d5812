import type { IssueReport } from '../observe/issues.js';

/** Milliseconds, rounded to the microsecond so JSON stays readable and stable. */
export const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;

export interface PassResult {
  readonly pass: number;
  readonly work: 'full' | 'pgmap' | 'hosting';
  readonly threads: number;
  readonly pages: number;
  readonly startMs: number;
  readonly ms: number;
  readonly lockMode: 'write' | 'read' | null;
}

export interface NamespaceResult {
  readonly name: string;
  readonly node: number;
  readonly device: string;
  readonly sizeBytes: number;
  readonly altmap: boolean;
  /** Probe start to mem_hotplug_done of its write-locked part (lock wait included). */
  readonly probeMs: number;
  /** Time spent in memmap init passes (all passes, in and out of the lock). */
  readonly initMs: number;
  /** When DAX users could first touch it. */
  readonly availableAtMs: number | null;
  /** When its last probe step finished. */
  readonly doneAtMs: number | null;
  readonly lockWaitMs: number;
  /** Struct pages written by memmap init (compound pages: compound_nr_pages per compound page). */
  readonly structPagesInitialized: number;
  readonly structPageVisits: number;
  /**
   * pgmap references held at the end of the run (gets minus puts). The kernel
   * takes pfn_len(): one per compound page, data pages >> vmemmap_shift.
   */
  readonly pgmapRefs: number;
  /** Compound page geometry (4K = base pages); see docs/compound-devmaps.md. */
  readonly geometry: '4K' | '2M' | '1G';
  /** vmemmap still populated at the end: data pages and PTE-table pages, in bytes (0 after a failed probe). */
  readonly vmemmapBytes: { readonly data: number; readonly pageTables: number; readonly total: number };
  /** The probe failed (vmemmap population ran out of memory) at atMs, or null. */
  readonly failed: { readonly reason: string; readonly atMs: number } | null;
  readonly passes: readonly PassResult[];
}

export interface LockResult {
  readonly name: string;
  readonly acquisitions: number;
  readonly holdMs: number;
  readonly writeHoldMs: number;
  readonly readHoldMs: number;
  readonly waitMs: number;
  readonly maxWaitMs: number;
}

export interface ChannelResult {
  readonly name: string;
  readonly capacityGBs: number;
  readonly bytes: number;
  readonly busyMs: number;
  readonly meanUtilisation: number;
  readonly peakUtilisation: number;
}

export interface NodeResult {
  readonly id: number;
  /** "node N deferred pages initialised in X ms": deferred_init_memmap's own duration. */
  readonly deferredInitMs: number;
  /** When the node finished, from page_alloc_init_late. */
  readonly doneAtMs: number;
  /** Initialized early on the boot CPU (no-defer) rather than by pgdatinit. */
  readonly early: boolean;
  readonly pages: number;
  readonly maxThreads: number;
  /** Threads padata actually used (nworks) in its largest job. */
  readonly threads: number;
  readonly jobs: number;
  readonly chunks: number;
  readonly sharedUsemapWords: number;
  readonly bounces: number;
  readonly grow: { readonly pages: number; readonly irqsOffMs: number; readonly stopPfn: number } | null;
  /** The line the kernel prints. */
  readonly kernelLine: string;
}

export interface RunResult {
  readonly scenario: string;
  readonly strategy: string;
  /** Present (true) when the strategy was written by the user rather than built in. */
  readonly strategyUserDefined?: true;
  /** What ran for each family: null where the scenario has none of it (no boot section, no namespaces). */
  readonly strategies: { readonly boot: string | null; readonly probe: string | null };
  /** Substitutions stated with the results: a family that ran its default strategy, a thread count not used. */
  readonly notes: readonly string[];
  readonly seed: number;
  /** Threads used: the probe init's (1 for a single-threaded strategy); a boot-only run, the most any node's deferred init used. */
  readonly threads: number;
  readonly profile: string;
  /** Time until every node finished deferred init and every namespace finished probing. */
  readonly totalMs: number;
  /** Kernel boot time: the profile's rest of boot plus deferred init (null when boot is not simulated). */
  readonly bootMs: number | null;
  /** Per-node deferred init (empty when boot is not simulated). */
  readonly nodes: readonly NodeResult[];
  readonly namespaces: readonly NamespaceResult[];
  readonly locks: readonly LockResult[];
  readonly channels: readonly ChannelResult[];
  readonly findings: readonly IssueReport[];
  readonly violations: readonly IssueReport[];
  readonly engine: EngineResult;
}

/**
 * How the run ended. `quiescent`: no timer left. `stuck`: over the default
 * budget derived from the scenario; `stuck` names the actor and event that
 * repeat. `deadlocked`: no timer left, but lock requests wait forever (the
 * I4 deadlock violation names the cycle), so the figures are partial.
 * `failed`: an actor threw; `failure` names it. `time-limit` and
 * `event-limit`: the caller's explicit `limits` stopped it.
 */
export interface EngineResult {
  readonly events: number;
  readonly outcome: 'quiescent' | 'deadlocked' | 'stuck' | 'failed' | 'time-limit' | 'event-limit';
  readonly stuck?: { readonly actor: string; readonly event: string; readonly repeats: number; readonly atNs: number };
  readonly failure?: { readonly actor: string; readonly event: string; readonly message: string };
}
