import type { ResolvedScenario } from '../model/scenario.js';
import type { IssueReport } from '../observe/issues.js';
import type { VmemmapUsage } from '../observe/metrics/vmemmap-usage.js';
import type { ActorFailure } from '../sim/actor-failures.js';
import type { RunOutcome } from '../sim/run-loop.js';
import type { RunMetrics } from './collect-metrics.js';
import { ms, type EngineResult, type NamespaceResult, type NodeResult, type RunResult } from './result.js';

/** The liveness invariant: every run ends within the budget derived from its scenario. */
export const LIVENESS_INVARIANT = 'L1';

/** The result of a run from its metrics and how it ended. */
export function buildResult(sc: ResolvedScenario, m: RunMetrics, outcome: RunOutcome, failure: ActorFailure | undefined): RunResult {
  const doneAt = [...m.timings.map((t) => t.availableNs ?? outcome.timeNs), ...m.nodeTimes.map((n) => n.doneAtNs)];
  const bootEnd = m.nodeTimes.length ? Math.max(...m.nodeTimes.map((n) => n.doneAtNs)) : null;
  const stuck = outcome.kind === 'stuck' ? [stuckViolation(outcome)] : [];
  const violations = [...m.issues.filter((i) => i.severity === 'violation'), ...stuck];
  return {
    scenario: sc.name,
    strategy: sc.strategyName,
    ...(sc.strategyUserDefined ? { strategyUserDefined: true as const } : {}),
    strategies: { ...sc.strategiesRan },
    notes: [...sc.notes],
    seed: sc.seed,
    // A boot-only run reports the threads its deferred init used (padata's nworks; 1 for the pgdatinit thread alone).
    threads: sc.namespaces.length || !m.nodeTimes.length ? sc.threads : Math.max(...m.nodeTimes.map((n) => n.threads)),
    profile: sc.profile.name,
    totalMs: ms(doneAt.length ? Math.max(...doneAt) : outcome.timeNs),
    bootMs: sc.boot && bootEnd !== null ? ms(sc.costs.restOfBootMs * 1e6 + bootEnd) : null,
    nodes: nodeResults(m),
    namespaces: namespaceResults(sc, m),
    locks: m.locks.map((l) => ({
      name: l.name,
      acquisitions: l.acquisitions,
      holdMs: ms(l.holdNs),
      writeHoldMs: ms(l.writeHoldNs),
      readHoldMs: ms(l.readHoldNs),
      waitMs: ms(l.waitNs),
      maxWaitMs: ms(l.maxWaitNs),
    })),
    channels: m.channels.map((c) => ({
      name: c.name,
      capacityGBs: c.capacityGBs,
      bytes: Math.round(c.bytes),
      busyMs: ms(c.busyNs),
      meanUtilisation: Math.round(c.meanUtilisation * 1e4) / 1e4,
      peakUtilisation: Math.round(c.peakUtilisation * 1e4) / 1e4,
    })),
    findings: m.issues.filter((i) => i.severity === 'finding'),
    violations,
    engine: engineResult(outcome, failure, violations),
  };
}

function engineResult(outcome: RunOutcome, failure: ActorFailure | undefined, violations: readonly IssueReport[]): EngineResult {
  if (failure) return { events: outcome.events, outcome: 'failed', failure: { ...failure } };
  if (outcome.kind === 'stuck') return { events: outcome.events, outcome: 'stuck', stuck: { ...outcome.stuck } };
  // No timer left is not an end when lock requests wait forever: never call that quiescent.
  if (outcome.kind === 'quiescent' && violations.some((v) => v.invariant === 'I4' && v.kind === 'deadlock'))
    return { events: outcome.events, outcome: 'deadlocked' };
  return { events: outcome.events, outcome: outcome.kind === 'failed' ? 'failed' : outcome.kind };
}

function stuckViolation(outcome: Extract<RunOutcome, { kind: 'stuck' }>): IssueReport {
  const s = outcome.stuck;
  const issue = {
    severity: 'violation' as const,
    invariant: LIVENESS_INVARIANT,
    kind: 'stuck',
    place: s.actor,
    atNs: s.atNs,
    message: `the run went over its budget after ${outcome.events} events at ${ms(s.atNs)} ms: ${s.actor} keeps receiving ${s.event} (${s.repeats} of the last timers)`,
    actors: [s.actor],
  };
  return { ...issue, count: 1, examples: [issue] };
}

function namespaceResults(sc: ResolvedScenario, m: RunMetrics): NamespaceResult[] {
  const byName = new Map(sc.namespaces.map((n) => [n.name, n]));
  return m.timings.map((t) => {
    const ns = byName.get(t.name)!;
    const usage = m.usage.get(t.name);
    return {
      name: t.name,
      node: ns.node,
      device: ns.device,
      sizeBytes: ns.sizeBytes,
      altmap: ns.altmap,
      probeMs: ms((t.lockedDoneNs ?? t.probeStartNs) - t.probeStartNs),
      initMs: ms(t.passes.reduce((a, p) => a + (p.endNs - p.startNs), 0)),
      availableAtMs: t.publishedNs === null ? null : ms(t.publishedNs),
      doneAtMs: t.availableNs === null ? null : ms(t.availableNs),
      lockWaitMs: ms(t.lockWaitNs),
      structPagesInitialized: t.structPagesInitialized,
      structPageVisits: t.structPageVisits,
      pgmapRefs: t.pgmapRefs,
      geometry: ns.geometry,
      vmemmapBytes: vmemmapBytesOf(usage, sc.derived.pageSize),
      failed: usage?.failed ? { reason: usage.failed.reason, atMs: ms(usage.failed.atNs) } : null,
      passes: t.passes.map((p) => ({
        pass: p.pass,
        work: p.work,
        threads: p.threads,
        pages: p.pages,
        startMs: ms(p.startNs),
        ms: ms(p.endNs - p.startNs),
        lockMode: p.lockMode,
      })),
    };
  });
}

function nodeResults(m: RunMetrics): NodeResult[] {
  return m.nodeTimes.map((n) => ({
    id: n.id,
    deferredInitMs: ms(n.deferredInitNs),
    doneAtMs: ms(n.doneAtNs),
    early: n.early,
    pages: n.pages,
    maxThreads: n.maxThreads,
    threads: n.threads,
    jobs: n.jobs,
    chunks: n.chunks,
    sharedUsemapWords: n.sharedUsemapWords,
    bounces: n.bounces,
    grow: n.grow && { pages: n.grow.pages, irqsOffMs: ms(n.grow.irqsOffNs), stopPfn: n.grow.stopPfn },
    // pr_info("node %d deferred pages initialised in %ums", nid, jiffies_to_msecs(jiffies - start))
    kernelLine: n.early
      ? `node ${n.id} struct pages initialised early in ${Math.round(n.deferredInitNs / 1e6)}ms`
      : `node ${n.id} deferred pages initialised in ${Math.round(n.deferredInitNs / 1e6)}ms`,
  }));
}

/** Live vmemmap of a namespace in bytes (data pages + PTE-table pages). */
function vmemmapBytesOf(u: VmemmapUsage | undefined, pageSize: number): { data: number; pageTables: number; total: number } {
  const data = (u?.dataPages ?? 0) * pageSize;
  const pageTables = (u?.pageTablePages ?? 0) * pageSize;
  return { data, pageTables, total: data + pageTables };
}

/** A failure naming the first figure of a result that is NaN or infinite, if any. */
export function nonFiniteFigure(r: RunResult): ActorFailure | undefined {
  const path = nonFinitePath(r, '');
  return path === undefined ? undefined : { actor: 'result', event: 'run end', message: `${path} is not a finite number` };
}

function nonFinitePath(x: unknown, at: string): string | undefined {
  const inner = nonFiniteKeys(x);
  if (inner === undefined) return undefined;
  let path = at;
  // Innermost key last: the path is built only for the figure found, not for every one visited.
  for (let i = inner.length - 1; i >= 0; i--) {
    const k = inner[i];
    path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
  }
  return path;
}

/** The keys down to the first figure that is NaN or infinite, innermost first; [] for `x` itself. */
function nonFiniteKeys(x: unknown): (string | number)[] | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? undefined : [];
  if (typeof x !== 'object' || x === null) return undefined;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const keys = nonFiniteKeys(x[i]);
      if (keys !== undefined) return (keys.push(i), keys);
    }
    return undefined;
  }
  for (const k of Object.keys(x)) {
    const keys = nonFiniteKeys((x as Record<string, unknown>)[k]);
    if (keys !== undefined) return (keys.push(k), keys);
  }
  return undefined;
}
