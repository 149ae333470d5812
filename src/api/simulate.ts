import { Subject, type Observable } from 'rxjs';
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { systemMachine } from '../../machines/system.machine.js';
import type { SimEnv } from '../../machines/sim-env.js';
import { InputError } from '../model/input-error.js';
import { resolveScenario, type ResolvedScenario, type ScenarioOverrides } from '../model/scenario.js';
import type { TraceEvent } from '../model/trace-events.js';
import { allChecks } from '../observe/checks.js';
import { aggregateIssues, type IssueReport } from '../observe/issues.js';
import { channelStats, type ChannelStats } from '../observe/metrics/channel-stats.js';
import { lockStats, type LockStats } from '../observe/metrics/lock-stats.js';
import { namespaceTimings, type NamespaceTiming } from '../observe/metrics/namespace-timings.js';
import { vmemmapUsage, type VmemmapUsage } from '../observe/metrics/vmemmap-usage.js';
import { nodeTimings, type NodeTiming } from '../observe/metrics/node-timings.js';
import { SeededRandom } from '../sim/random.js';
import { runToQuiescence, type RunLimits } from '../sim/run-loop.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { ms, type RunResult } from './result.js';

export interface SimulateOptions extends ScenarioOverrides {
  /** Stop the run at a simulated time or event count. */
  readonly limits?: RunLimits;
  /** An XState inspection observer (e.g. @statelyai/inspect's `inspect`). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Sections per section actor; default: automatic (at most 64 actors per namespace). */
  readonly sectionsPerActor?: number;
  /** Name used when the scenario has none. */
  readonly name?: string;
}

export interface Simulation {
  readonly scenario: ResolvedScenario;
  /** Every trace event of the run, in order. Subscribe before `run()`. */
  readonly trace$: Observable<TraceEvent>;
  run(): RunResult;
}

function isResolved(x: unknown): x is ResolvedScenario {
  return typeof x === 'object' && x !== null && 'derived' in x && 'costs' in x && 'strategy' in x;
}

/**
 * Builds a run without starting it: the trace stream is live, so callers can
 * attach their own operators before `run()` drives the clock to quiescence.
 */
export function createSimulation(scenario: unknown, options: SimulateOptions = {}): Simulation {
  if (options.sectionsPerActor !== undefined && (!Number.isInteger(options.sectionsPerActor) || options.sectionsPerActor < 1)) {
    throw new InputError('sectionsPerActor', 'must be a whole number >= 1');
  }
  const resolved = isResolved(scenario) ? scenario : resolveScenario(scenario, options, options.name);
  const trace = new Subject<TraceEvent>();
  let ran = false;

  return {
    scenario: resolved,
    trace$: trace.asObservable(),
    run(): RunResult {
      if (ran) throw new Error('a Simulation runs once; create another');
      ran = true;
      const random = new SeededRandom(resolved.seed);
      const clock = new VirtualClock(random, resolved.explore);
      const env: SimEnv = {
        clock,
        emit: (e) => trace.next(e),
        scenario: resolved,
        random,
        cost: (ns) => (resolved.jitter > 0 ? random.jitter(ns, resolved.jitter) : ns),
      };

      let timings: NamespaceTiming[] = [];
      let locks: LockStats[] = [];
      let channels: ChannelStats[] = [];
      let issues: IssueReport[] = [];
      let nodeTimes: NodeTiming[] = [];
      trace.pipe(nodeTimings()).subscribe((v) => (nodeTimes = v));
      trace.pipe(namespaceTimings()).subscribe((v) => (timings = v));
      trace.pipe(lockStats()).subscribe((v) => (locks = v));
      trace.pipe(channelStats()).subscribe((v) => (channels = v));
      let usage = new Map<string, VmemmapUsage>();
      trace.pipe(vmemmapUsage()).subscribe((v) => (usage = v));
      allChecks(trace, resolved.constants)
        .pipe(aggregateIssues())
        .subscribe((v) => (issues = v));

      const root = createActor(systemMachine, {
        clock,
        input: { env, sectionsPerActor: options.sectionsPerActor },
        systemId: 'system',
        inspect: options.inspect,
      });
      root.start();
      const outcome = runToQuiescence(clock, options.limits);
      trace.complete();
      root.stop();

      const byName = new Map(resolved.namespaces.map((n) => [n.name, n]));
      const namespaces = timings.map((t) => {
        const ns = byName.get(t.name)!;
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
          geometry: ns.geometry,
          vmemmapBytes: vmemmapBytesOf(usage.get(t.name), resolved.derived.pageSize),
          failed: usage.get(t.name)?.failed ? { reason: usage.get(t.name)!.failed!.reason, atMs: ms(usage.get(t.name)!.failed!.atNs) } : null,
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
      const doneAt = [...timings.map((t) => t.availableNs ?? outcome.timeNs), ...nodeTimes.map((n) => n.doneAtNs)];
      const bootEnd = nodeTimes.length ? Math.max(...nodeTimes.map((n) => n.doneAtNs)) : null;
      return {
        scenario: resolved.name,
        strategy: resolved.strategyName,
        seed: resolved.seed,
        // A boot-only run reports the threads its deferred init used (padata's nworks; 1 for deferred-serial).
        threads: resolved.namespaces.length || !nodeTimes.length ? resolved.threads : Math.max(...nodeTimes.map((n) => n.threads)),
        profile: resolved.profile.name,
        totalMs: ms(doneAt.length ? Math.max(...doneAt) : outcome.timeNs),
        bootMs: resolved.boot && bootEnd !== null ? ms(resolved.costs.restOfBootMs * 1e6 + bootEnd) : null,
        nodes: nodeTimes.map((n) => ({
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
          kernelLine: n.early ? `node ${n.id} struct pages initialised early in ${Math.round(n.deferredInitNs / 1e6)}ms` : `node ${n.id} deferred pages initialised in ${Math.round(n.deferredInitNs / 1e6)}ms`,
        })),
        namespaces,
        locks: locks.map((l) => ({
          name: l.name,
          acquisitions: l.acquisitions,
          holdMs: ms(l.holdNs),
          writeHoldMs: ms(l.writeHoldNs),
          readHoldMs: ms(l.readHoldNs),
          waitMs: ms(l.waitNs),
          maxWaitMs: ms(l.maxWaitNs),
        })),
        channels: channels.map((c) => ({
          name: c.name,
          capacityGBs: c.capacityGBs,
          bytes: Math.round(c.bytes),
          busyMs: ms(c.busyNs),
          meanUtilisation: Math.round(c.meanUtilisation * 1e4) / 1e4,
          peakUtilisation: Math.round(c.peakUtilisation * 1e4) / 1e4,
        })),
        findings: issues.filter((i) => i.severity === 'finding'),
        violations: issues.filter((i) => i.severity === 'violation'),
        engine: { events: outcome.events, outcome: outcome.kind },
      };
    },
  };
}

/** Live vmemmap of a namespace in bytes (data pages + PTE-table pages). */
function vmemmapBytesOf(u: VmemmapUsage | undefined, pageSize: number): { data: number; pageTables: number; total: number } {
  const data = (u?.dataPages ?? 0) * pageSize;
  const pageTables = (u?.pageTablePages ?? 0) * pageSize;
  return { data, pageTables, total: data + pageTables };
}

/** Runs a scenario (object, already validated or not) and returns its result. */
export function simulate(scenario: unknown, options: SimulateOptions = {}): RunResult {
  return createSimulation(scenario, options).run();
}
