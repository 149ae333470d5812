import { Subject, type Observable } from 'rxjs';
import { createActor, type InspectionEvent, type Observer } from 'xstate';
import { systemMachine } from '../../machines/shared/system.machine.js';
import type { SimEnv } from '../../machines/shared/sim-env.js';
import { InputError } from '../model/input-error.js';
import { isResolvedScenario, resolveScenario, type ResolvedScenario, type ScenarioOverrides } from '../model/scenario.js';
import type { TraceEvent } from '../model/trace-events.js';
import { watchFailures } from '../sim/actor-failures.js';
import { SeededRandom } from '../sim/random.js';
import { runToQuiescence, type RunBudget, type RunLimits } from '../sim/run-loop.js';
import { replayChooser, type TieChooser } from '../sim/tie-chooser.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { installScheduler } from '../sim/xstate-scheduler.js';
import { buildResult, nonFiniteFigure } from './build-result.js';
import { collectMetrics } from './collect-metrics.js';
import { validateLimits } from './limits.js';
import type { RunResult } from './result.js';
import { MAX_SECTION_ACTORS } from '../../machines/shared/topology.js';
import { defaultBudget, sectionActors } from './run-budget.js';
import { SimulationError } from './simulation-error.js';

export interface SimulateOptions extends ScenarioOverrides {
  /**
   * Stop the run at a simulated time or event count (outcome `time-limit` or
   * `event-limit`). Without them a run still ends: a default budget derived
   * from the scenario ends it as `stuck`.
   */
  readonly limits?: RunLimits;
  /** An XState inspection observer (e.g. @statelyai/inspect's `inspect`). */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** Sections per section actor; default: automatic (at most 64 actors per namespace). */
  readonly sectionsPerActor?: number;
  /** Name used when the scenario has none. */
  readonly name?: string;
  /** Picks among timers due at the same instant (exhaustive exploration); default FIFO or seeded. */
  readonly chooser?: TieChooser;
  /** Replays a choice sequence reported by exhaustive exploration (ignored with `chooser`). */
  readonly choices?: readonly number[];
  /** Rounds every positive delay up to whole quanta of this many ns, so near-simultaneous events tie (exhaustive exploration). */
  readonly quantumNs?: number;
}

export interface Simulation {
  readonly scenario: ResolvedScenario;
  /** Every trace event of the run, in order. Subscribe before `run()`. */
  readonly trace$: Observable<TraceEvent>;
  /** Runs to the end; throws SimulationError (with the partial result) if an actor threw. */
  run(): RunResult;
}

/**
 * Builds a run without starting it: the trace stream is live, so callers can
 * attach their own operators before `run()` drives the clock to quiescence.
 */
export function createSimulation(scenario: unknown, options: SimulateOptions = {}): Simulation {
  if (options.sectionsPerActor !== undefined && (!Number.isInteger(options.sectionsPerActor) || options.sectionsPerActor < 1)) {
    throw new InputError('sectionsPerActor', 'must be a whole number >= 1');
  }
  const limits = validateLimits(options.limits);
  if (options.quantumNs !== undefined && !(options.quantumNs >= 0 && Number.isFinite(options.quantumNs))) {
    throw new InputError('quantumNs', 'must be a finite number of ns >= 0');
  }
  const resolved = isResolvedScenario(scenario) ? scenario : resolveScenario(scenario, options, options.name);
  resolved.namespaces.forEach((ns, i) => {
    const actors = sectionActors(resolved, ns, options.sectionsPerActor);
    if (actors > MAX_SECTION_ACTORS) {
      throw new InputError('sectionsPerActor', `gives namespaces[${i}] ${actors} section actors; at most ${MAX_SECTION_ACTORS}`);
    }
  });
  const trace = new Subject<TraceEvent>();
  let ran = false;

  return {
    scenario: resolved,
    trace$: trace.asObservable(),
    run(): RunResult {
      if (ran) throw new InputError('run', 'a Simulation runs once: create another with createSimulation()');
      ran = true;
      const random = new SeededRandom(resolved.seed);
      const chooser = options.chooser ?? (options.choices ? replayChooser(options.choices) : undefined);
      const clock = new VirtualClock(random, resolved.explore, { chooser, quantumNs: options.quantumNs });
      const metrics = collectMetrics(resolved);
      let tracing = true;
      // The run's own metrics and checkers first, then any subscriber of trace$ (the Subject only when observed).
      const emit = (e: TraceEvent) => {
        if (!tracing) return;
        metrics.next(e);
        if (trace.observed) trace.next(e);
      };
      const env: SimEnv = {
        clock,
        emit,
        scenario: resolved,
        random,
        cost: (ns) => (resolved.jitter > 0 ? random.jitter(ns, resolved.jitter) : ns),
        interleave: chooser !== undefined,
      };
      const root = createActor(systemMachine, {
        clock,
        input: { env, sectionsPerActor: options.sectionsPerActor },
        systemId: 'system',
        inspect: options.inspect,
      });
      installScheduler(root, clock);
      const watch = watchFailures(root);
      root.start();
      const outcome = runToQuiescence(clock, limits, budgetOf(resolved, options.quantumNs, options.sectionsPerActor), () => watch.failure !== undefined);
      tracing = false;
      metrics.complete();
      trace.complete();
      // Stopping walks every actor's children, and XState's stopChild copies the
      // parent's children map once per child: quadratic in the children of an actor
      // (a third of a 64 TiB run). A run that has ended needs no stop: its actors
      // and timers go with the clock. An inspector is shown the stop.
      if (options.inspect) root.stop();
      let result = buildResult(resolved, metrics.get(), outcome, watch.failure);
      // A figure that is not finite is a fault of the engine, not a result: say so.
      const failure = watch.failure ?? nonFiniteFigure(result);
      if (failure && !watch.failure) result = { ...result, engine: { events: outcome.events, outcome: 'failed', failure } };
      if (failure) throw new SimulationError(failure, result, { cause: watch.cause });
      return result;
    },
  };
}

/**
 * Runs a scenario (an object, or one resolveScenario returned) and returns its
 * result. Throws InputError for bad input and SimulationError if an actor threw.
 */
export function simulate(scenario: unknown, options: SimulateOptions = {}): RunResult {
  return createSimulation(scenario, options).run();
}

/** A quantum may delay each timer by up to one quantum, so the time budget grows by as much per event. */
function budgetOf(resolved: ResolvedScenario, quantumNs = 0, sectionsPerActor?: number): RunBudget {
  const b = defaultBudget(resolved, sectionsPerActor);
  return quantumNs > 0 ? { ...b, maxTimeNs: b.maxTimeNs + quantumNs * b.maxEvents } : b;
}
