import type { ResolvedScenario } from '../model/scenario.js';
import type { TraceEvent } from '../model/trace-events.js';
import { allCheckers } from '../observe/checks.js';
import { IssueTally, type Issue, type IssueReport } from '../observe/issues.js';
import { channelStats, type ChannelStats } from '../observe/metrics/channel-stats.js';
import { lockStats, type LockStats } from '../observe/metrics/lock-stats.js';
import type { Metric } from '../observe/metrics/metric.js';
import { namespaceTimings, type NamespaceTiming } from '../observe/metrics/namespace-timings.js';
import { nodeTimings, type NodeTiming } from '../observe/metrics/node-timings.js';
import { vmemmapUsage, type VmemmapUsage } from '../observe/metrics/vmemmap-usage.js';
import { TraceDispatch } from '../observe/trace-dispatch.js';

/** What the trace of a run adds up to, once the trace completes. */
export interface RunMetrics {
  readonly timings: readonly NamespaceTiming[];
  readonly locks: readonly LockStats[];
  readonly channels: readonly ChannelStats[];
  readonly issues: readonly IssueReport[];
  readonly nodeTimes: readonly NodeTiming[];
  readonly usage: ReadonlyMap<string, VmemmapUsage>;
}

/** The metrics and invariant checks of one run: fed every trace event, then completed once. */
export interface RunCollector {
  next(event: TraceEvent): void;
  /** The end of the trace: the checkers report what only the whole run shows. */
  complete(): void;
  /** After `complete()`. */
  get(): RunMetrics;
}

/**
 * The metrics and checkers of a run, each fed only the event types it reads
 * (their specs: the same folds their RxJS operators run), with the checkers'
 * occurrences tallied in the order the merged operators would report them.
 */
export function collectMetrics(sc: ResolvedScenario): RunCollector {
  const dispatch = new TraceDispatch();
  const fold = <R>(m: Metric<R>) => {
    const run = m.spec.make();
    dispatch.add(m.spec.reads, (e) => run.next(e));
    return run;
  };
  const nodeTimes = fold(nodeTimings());
  const timings = fold(namespaceTimings());
  const locks = fold(lockStats());
  const channels = fold(channelStats());
  const usage = fold(vmemmapUsage());
  const tally = new IssueTally();
  const report = (i: Issue) => tally.add(i);
  const checks = allCheckers(sc.constants).map((c) => {
    const run = c.spec.make();
    dispatch.add(c.spec.reads, (e) => run.next(e, report));
    return run;
  });
  return {
    next: (e) => dispatch.next(e),
    complete() {
      for (const c of checks) c.complete?.(report);
    },
    get: () => ({
      timings: timings.result(),
      locks: locks.result(),
      channels: channels.result(),
      issues: tally.reportsSoFar(),
      nodeTimes: nodeTimes.result(),
      usage: usage.result(),
    }),
  };
}
