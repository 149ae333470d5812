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
  readonly structPagesInitialized: number;
  readonly structPageVisits: number;
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

export interface RunResult {
  readonly scenario: string;
  readonly strategy: string;
  readonly seed: number;
  readonly threads: number;
  readonly profile: string;
  /** Time until every namespace finished probing. */
  readonly totalMs: number;
  readonly namespaces: readonly NamespaceResult[];
  readonly locks: readonly LockResult[];
  readonly channels: readonly ChannelResult[];
  readonly findings: readonly IssueReport[];
  readonly violations: readonly IssueReport[];
  readonly engine: { readonly events: number; readonly outcome: string };
}
