import fc from 'fast-check';
import { arbOf } from './draw.js';
import { GeneratorError, runCase, shows, type CaseOutcome, type Target } from './run-case.js';
import type { CheckCase, Scope } from './scopes.js';
import { nameOf, type Family, type StrategyRef } from './strategies.js';

/** Runs a shrink may try at most, so it ends in bounded time, the same way on every machine. */
export const MAX_SHRINK_RUNS = 150;

export interface Shrunk {
  readonly case: CheckCase;
  readonly outcome: CaseOutcome;
  /** fast-check's path to the counterexample (replays it with `fc.check(..., { seed, path })`). */
  readonly path: string | null;
  /** Runs the shrink tried. */
  readonly tried: number;
}

/**
 * Shrinks the run drawn from `seed` with fast-check's own shrinking: the
 * smallest machine and schedule that still show `target` (same invariant and
 * kind). Deterministic: a fixed budget of runs, no wall clock.
 */
export function shrinkCase(family: Family, scope: Scope, strategy: StrategyRef, seed: number, target: Target): Shrunk {
  let tried = 0;
  let generatorError: GeneratorError | undefined;
  const property = fc.property(arbOf(family, scope), (c) => {
    if (tried >= MAX_SHRINK_RUNS || generatorError) return true;
    tried++;
    try {
      return !shows(runCase(c, strategy), target);
    } catch (e) {
      if (!(e instanceof GeneratorError)) throw e;
      generatorError = e;
      return true;
    }
  });
  const details = fc.check(property, { seed, numRuns: 1 });
  if (generatorError) throw generatorError;
  if (!details.failed || !details.counterexample)
    throw new Error(`shrink: run of seed ${seed} under ${nameOf(strategy)} no longer shows ${target.invariant} ${target.kind}`);
  const c = details.counterexample[0];
  return { case: c, outcome: runCase(c, strategy), path: details.counterexamplePath, tried };
}
