/**
 * A batch of runs of one strategy's campaign: what the campaign runs inline
 * and what a pool worker runs. Every run is drawn from its own seed, so a
 * batch gives the same summaries whichever worker runs it.
 */
import { runOptions } from '../../testing/arbitraries.js';
import { exploreExhaustive } from '../exhaustive.js';
import { drawCase } from './draw.js';
import { runCase, type Target } from './run-case.js';
import { runSeed } from './run-seed.js';
import type { Scope } from './scopes.js';
import { nameOf, type Family, type StrategyRef } from './strategies.js';

/** Paths exhaustive exploration may take per run of a campaign. */
export const EXHAUSTIVE_MAX_PATHS = 200;

export interface BatchTask {
  readonly strategy: StrategyRef;
  readonly family: Family;
  readonly scope: Scope;
  readonly seed: number;
  readonly indices: readonly number[];
  readonly exhaustive: boolean;
  /** Epoch ms after which no run starts (the campaign's --time-limit), or null. */
  readonly deadline: number | null;
}

export interface RunSummary {
  readonly index: number;
  readonly found: boolean;
  readonly stuck: boolean;
  readonly target: Target | null;
  /** Epoch ms when the run ended (for time to first detection only). */
  readonly doneAt: number;
  /** Exhaustive runs: paths, distinct states, whether every order was explored, and the choices that show the target. */
  readonly exhaustive?: {
    readonly paths: number;
    readonly states: number;
    readonly exhausted: boolean;
    readonly quantumNs: number;
    readonly choices: readonly number[] | null;
  };
}

function runOne(task: BatchTask, index: number): RunSummary {
  const c = drawCase(task.family, task.scope, runSeed(task.seed, nameOf(task.strategy), index));
  if (!task.exhaustive) {
    const o = runCase(c, task.strategy);
    return { index, found: o.found, stuck: o.stuck, target: o.target, doneAt: Date.now() };
  }
  const r = exploreExhaustive(c.scenario, {
    ...runOptions(c, nameOf(task.strategy)),
    strategy: task.strategy,
    maxPaths: EXHAUSTIVE_MAX_PATHS,
    stopAtFirst: true,
  });
  const v = r.violations[0];
  return {
    index,
    found: v !== undefined,
    stuck: v?.invariant === 'L1',
    target: v ? { invariant: v.invariant, kind: v.kind } : null,
    doneAt: Date.now(),
    exhaustive: { paths: r.paths, states: r.states, exhausted: r.exhausted, quantumNs: r.quantumNs, choices: v ? v.choices : null },
  };
}

/** Runs the batch's runs in order; stops before a run that would start after the deadline. */
export function runBatch(task: BatchTask): RunSummary[] {
  const out: RunSummary[] = [];
  for (const index of task.indices) {
    if (task.deadline !== null && Date.now() > task.deadline) break;
    out.push(runOne(task, index));
  }
  return out;
}
