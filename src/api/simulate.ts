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
      trace.pipe(namespaceTimings()).subscribe((v) => (timings = v));
      trace.pipe(lockStats()).subscribe((v) => (locks = v));
      trace.pipe(channelStats()).subscribe((v) => (channels = v));
      allChecks(trace)
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
      const doneAt = timings.map((t) => t.availableNs ?? outcome.timeNs);
      return {
        scenario: resolved.name,
        strategy: resolved.strategy.name,
        seed: resolved.seed,
        threads: resolved.threads,
        profile: resolved.profile.name,
        totalMs: ms(doneAt.length ? Math.max(...doneAt) : outcome.timeNs),
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

/** Runs a scenario (object, already validated or not) and returns its result. */
export function simulate(scenario: unknown, options: SimulateOptions = {}): RunResult {
  return createSimulation(scenario, options).run();
}
