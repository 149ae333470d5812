import type { Subject } from 'rxjs';
import type { ResolvedScenario } from '../model/scenario.js';
import type { TraceEvent } from '../model/trace-events.js';
import { allChecks } from '../observe/checks.js';
import { aggregateIssues, type IssueReport } from '../observe/issues.js';
import { channelStats, type ChannelStats } from '../observe/metrics/channel-stats.js';
import { lockStats, type LockStats } from '../observe/metrics/lock-stats.js';
import { namespaceTimings, type NamespaceTiming } from '../observe/metrics/namespace-timings.js';
import { nodeTimings, type NodeTiming } from '../observe/metrics/node-timings.js';
import { vmemmapUsage, type VmemmapUsage } from '../observe/metrics/vmemmap-usage.js';

/** What the trace of a run adds up to, once the trace completes. */
export interface RunMetrics {
  readonly timings: readonly NamespaceTiming[];
  readonly locks: readonly LockStats[];
  readonly channels: readonly ChannelStats[];
  readonly issues: readonly IssueReport[];
  readonly nodeTimes: readonly NodeTiming[];
  readonly usage: ReadonlyMap<string, VmemmapUsage>;
}

/** Subscribes the metrics and the invariant checks to a run's trace; `get()` after it completes. */
export function collectMetrics(trace: Subject<TraceEvent>, sc: ResolvedScenario): { get(): RunMetrics } {
  let timings: NamespaceTiming[] = [];
  let locks: LockStats[] = [];
  let channels: ChannelStats[] = [];
  let issues: IssueReport[] = [];
  let nodeTimes: NodeTiming[] = [];
  let usage = new Map<string, VmemmapUsage>();
  trace.pipe(nodeTimings()).subscribe((v) => (nodeTimes = v));
  trace.pipe(namespaceTimings()).subscribe((v) => (timings = v));
  trace.pipe(lockStats()).subscribe((v) => (locks = v));
  trace.pipe(channelStats()).subscribe((v) => (channels = v));
  trace.pipe(vmemmapUsage()).subscribe((v) => (usage = v));
  allChecks(trace, sc.constants)
    .pipe(aggregateIssues())
    .subscribe((v) => (issues = v));
  return { get: () => ({ timings, locks, channels, issues, nodeTimes, usage }) };
}
