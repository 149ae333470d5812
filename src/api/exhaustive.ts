/**
 * Exhaustive exploration of a tiny scope (one or two sections, two or three
 * threads): every order of same-time events, up to a bound.
 *
 *   exploreExhaustive(scenario: unknown, options?: ExhaustiveOptions): ExhaustiveResult
 *
 * - `scenario`: a scenario object, as `simulate()` takes it.
 * - `options`: the scenario overrides (`strategy`, `threads`, `seed`, ...) and
 *   `maxPaths` (default 10,000 runs), `maxDepth` (default 64 choice points
 *   per run), `quantumNs` (default 1 ms; 0 = exact ties only), `prune`
 *   (default true), `stopAtFirst` (default true).
 * - Result: `{ scenario, strategy, quantumNs, paths, pruned, states, maxDepth,
 *   exhausted, bound, violations }`, where each violation carries the choice
 *   sequence that shows it; `simulate(scenario, { ...overrides, quantumNs,
 *   choices })` replays it. Deterministic: no wall clock in the result.
 *
 * Stateless re-execution, as a model checker without partial-order
 * reduction: each path is a fresh `simulate()` run whose clock asks a chooser
 * whenever k > 1 timers are due at once; the chooser follows a prefix, then
 * takes the first timer and records k, and the explorer goes depth first over
 * the alternatives. At each new choice point the checked state is digested;
 * a run that reaches a digest already explored (at no smaller depth) stops
 * there, since what follows was, or will be, explored from the first visit.
 */
import { InputError } from '../model/input-error.js';
import { resolveScenario, type ScenarioOverrides } from '../model/scenario.js';
import { HALT, type ChoicePoint } from '../sim/tie-chooser.js';
import { createSimulation } from './simulate.js';
import { digestPoint, StateDigest } from './state-digest.js';

export interface ExhaustiveOptions extends ScenarioOverrides {
  /** Runs (paths) at most; default 10,000. */
  readonly maxPaths?: number;
  /** Choice points per run at most; later ties take FIFO order; default 64. */
  readonly maxDepth?: number;
  /**
   * Delays round up to whole quanta of this many ns, so events less than a
   * quantum apart race. Default 1 ms: in a tiny scope every step races every
   * other, as in an untimed model. 0 explores exact ties only.
   */
  readonly quantumNs?: number;
  /** Stop a run at a state already explored; default true. */
  readonly prune?: boolean;
  /** Stop at the first path with a violation; default true. */
  readonly stopAtFirst?: boolean;
  /** Name used when the scenario has none. */
  readonly name?: string;
  /** Sections per section actor, as in `simulate()`. */
  readonly sectionsPerActor?: number;
}

export interface ExhaustiveViolation {
  readonly invariant: string;
  readonly kind: string;
  readonly place: string;
  readonly atNs: number;
  readonly message: string;
  /** The tie choices that show it (FIFO after the last); replay with `simulate(..., { quantumNs, choices })`. */
  readonly choices: readonly number[];
}

export interface ExhaustiveResult {
  readonly scenario: string;
  readonly strategy: string;
  readonly quantumNs: number;
  /** Runs executed, pruned ones included. */
  readonly paths: number;
  /** Runs stopped at a state already explored. */
  readonly pruned: number;
  /** Distinct state digests met at choice points. */
  readonly states: number;
  /** The deepest choice point reached (choice points in one run). */
  readonly maxDepth: number;
  /** Every order was explored: no bound was hit (and no stop at a first violation). */
  readonly exhausted: boolean;
  /** The bound that stopped the search, if any. */
  readonly bound: 'max-paths' | 'max-depth' | 'first-violation' | null;
  /** The first path found for each (invariant, kind). */
  readonly violations: readonly ExhaustiveViolation[];
}

export const EXHAUSTIVE_DEFAULTS = { maxPaths: 10_000, maxDepth: 64, quantumNs: 1e6 } as const;

interface PathRecord {
  readonly choices: number[];
  readonly arity: number[];
  halted: boolean;
  depthCut: boolean;
}

function wholeAtLeast(value: number | undefined, fallback: number, field: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new InputError(field, `must be a whole number >= ${min}`);
  return value;
}

/** Runs `scenario` under every order of same-time events, up to the bounds. */
export function exploreExhaustive(scenario: unknown, options: ExhaustiveOptions = {}): ExhaustiveResult {
  const maxPaths = wholeAtLeast(options.maxPaths, EXHAUSTIVE_DEFAULTS.maxPaths, 'maxPaths', 1);
  const maxDepth = wholeAtLeast(options.maxDepth, EXHAUSTIVE_DEFAULTS.maxDepth, 'maxDepth', 0);
  const quantumNs = options.quantumNs ?? EXHAUSTIVE_DEFAULTS.quantumNs;
  if (!(quantumNs >= 0) || !Number.isFinite(quantumNs)) throw new InputError('quantumNs', 'must be a finite number of ns >= 0');
  const resolved = resolveScenario(scenario, options, options.name);
  const prune = options.prune ?? true;
  const stopAtFirst = options.stopAtFirst ?? true;

  const visited = new Map<string, number>();
  const stack: number[][] = [[]];
  const violations: ExhaustiveViolation[] = [];
  let paths = 0;
  let pruned = 0;
  let deepest = 0;
  let bound: ExhaustiveResult['bound'] = null;

  while (stack.length > 0) {
    if (paths >= maxPaths) {
      bound = 'max-paths';
      break;
    }
    const prefix = stack.pop()!;
    const rec: PathRecord = { choices: [...prefix], arity: [], halted: false, depthCut: false };
    const digest = new StateDigest();
    const sim = createSimulation(resolved, {
      quantumNs,
      sectionsPerActor: options.sectionsPerActor,
      chooser: (point) => choose(point, prefix, rec, digest, { visited, maxDepth, prune }),
    });
    digest.attach(sim.trace$, resolved.constants);
    const result = sim.run();
    paths++;
    deepest = Math.max(deepest, rec.choices.length);
    if (rec.depthCut && bound === null) bound = 'max-depth';
    if (rec.halted) {
      pruned++;
      continue;
    }
    for (const v of result.violations) {
      if (violations.some((w) => w.invariant === v.invariant && w.kind === v.kind)) continue;
      violations.push({ invariant: v.invariant, kind: v.kind, place: v.place, atNs: v.atNs, message: v.message, choices: trimmed(rec.choices) });
    }
    if (stopAtFirst && violations.length > 0) {
      bound = 'first-violation';
      break;
    }
    pushAlternatives(stack, prefix.length, rec);
  }
  return {
    scenario: resolved.name,
    strategy: resolved.strategyName,
    quantumNs,
    paths,
    pruned,
    states: visited.size,
    maxDepth: deepest,
    exhausted: bound === null && stack.length === 0,
    bound,
    violations,
  };
}

interface SearchState {
  readonly visited: Map<string, number>;
  readonly maxDepth: number;
  readonly prune: boolean;
}

/** The chooser of one path: replay the prefix, then take FIFO and record what else could run. */
function choose(point: ChoicePoint, prefix: readonly number[], rec: PathRecord, digest: StateDigest, s: SearchState): number {
  const i = point.index;
  if (i < prefix.length) return prefix[i];
  if (i >= s.maxDepth) {
    rec.depthCut = true;
    return 0;
  }
  const key = digestPoint(digest, point);
  const seen = s.visited.get(key);
  if (seen !== undefined && seen <= i && s.prune) {
    rec.halted = true;
    return HALT;
  }
  if (seen === undefined || i < seen) s.visited.set(key, i);
  rec.choices.push(0);
  rec.arity.push(point.candidates.length);
  return 0;
}

/** Pushes every untried sibling of the fresh choice points, deepest popped first. */
function pushAlternatives(stack: number[][], from: number, rec: PathRecord): void {
  for (let j = from; j < rec.choices.length; j++) {
    const k = rec.arity[j - from];
    for (let alt = k - 1; alt >= 1; alt--) stack.push([...rec.choices.slice(0, j), alt]);
  }
}

/** Trailing zeros are what a replay does anyway. */
function trimmed(choices: readonly number[]): number[] {
  let n = choices.length;
  while (n > 0 && choices[n - 1] === 0) n--;
  return choices.slice(0, n);
}
