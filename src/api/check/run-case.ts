import { InputError } from '../../model/input-error.js';
import type { IssueReport } from '../../observe/issues.js';
import { runOptions } from '../../testing/arbitraries.js';
import type { RunResult } from '../result.js';
import { simulate } from '../simulate.js';
import { SimulationError } from '../simulation-error.js';
import type { CheckCase } from './scopes.js';
import { nameOf, type StrategyRef } from './strategies.js';

/** The tie choices (and quantum) of a path found by exhaustive exploration. */
export interface ExhaustiveReplay {
  readonly choices: readonly number[];
  readonly quantumNs: number;
}

/** What a run shows: the invariant and kind it is found for. */
export interface Target {
  readonly invariant: string;
  readonly kind: string;
}

export interface CaseOutcome {
  /** The run broke an invariant or did not end quiescent. */
  readonly found: boolean;
  /** It ended over its budget (outcome stuck), or an actor threw (failed). */
  readonly stuck: boolean;
  /** The first thing it shows: its first violation, or the outcome. */
  readonly target: Target | null;
  readonly result: RunResult;
}

/** A generated scenario the simulator refused: a bug of the generator, never a finding. */
export class GeneratorError extends Error {
  constructor(strategy: string, cause: InputError, scenario: unknown) {
    super(`generated scenario refused under ${strategy}: ${cause.field}: ${cause.rule}\n${JSON.stringify(scenario)}`, { cause });
    this.name = 'GeneratorError';
  }
}

/** The issue a failed run shows: its actor threw. */
const FAILED: Target = { invariant: 'L1', kind: 'actor-failed' };

/** Runs one generated case under a strategy, with the simulator's default run budget. */
export function runCase(c: CheckCase, strategy: StrategyRef, replay?: ExhaustiveReplay): CaseOutcome {
  let result: RunResult;
  try {
    result = simulate(c.scenario, { ...runOptions(c, nameOf(strategy)), strategy, ...replay });
  } catch (e) {
    if (e instanceof InputError) throw new GeneratorError(nameOf(strategy), e, c.scenario);
    if (e instanceof SimulationError) return { found: true, stuck: true, target: FAILED, result: e.result };
    throw e;
  }
  const outcome = result.engine.outcome;
  const quiescent = outcome === 'quiescent';
  const first: IssueReport | undefined = result.violations[0];
  const target = first ? { invariant: first.invariant, kind: first.kind } : quiescent ? null : { invariant: 'L1', kind: outcome };
  // A deadlock is a violation (I4), not a run that failed to end.
  return { found: target !== null, stuck: !quiescent && outcome !== 'deadlocked', target, result };
}

/** The run shows `target`: its first finding or any of its violations has that invariant and kind. */
export function shows(o: CaseOutcome, target: Target): boolean {
  const same = (t: Target | null) => t !== null && t.invariant === target.invariant && t.kind === target.kind;
  return same(o.target) || o.result.violations.some(same);
}
