/**
 * The fit behind `calibrate`: which profile parameters the measured rows
 * determine, their values, and how well they are known.
 *
 * The per-page cost `pageInitNs` sets the time scale and is always fitted.
 * A second parameter sets how the time falls with threads: the node's DRAM
 * bandwidth when the runs are bandwidth-bound (a large node, as Skylake's),
 * or the SMT sharing factor when the speedup is set by how much a busy
 * sibling keeps (a small node whose rows use both threads of a core). The
 * pair tried first is the one whose rows it reproduces; a parameter the rows
 * do not move is reported undetermined and kept at its base value.
 */
import type { ParamName } from '../model/profile.js';
import { PARAM_RANGES } from '../model/profiles/ranges.js';
import { levenbergMarquardt } from './gauss-newton.js';
import { monotoneRoot } from './monotone-root.js';
import type { Measurement } from './calibrate-inputs.js';

export type FittedName = Extract<ParamName, 'pageInitNs' | 'dramWriteGBs' | 'smtFactor'>;

/** What sets the fall of time with threads, in the order tried. */
export const SECOND_PARAMS: readonly FittedName[] = ['dramWriteGBs', 'smtFactor'];

export interface FittedParam {
  readonly name: FittedName;
  readonly value: number;
  /** Relative standard uncertainty (1 sigma) carried from the measurements' printed precision; Infinity: not determined. */
  readonly uncertainty: number;
}

export interface FitOutcome {
  readonly params: readonly FittedParam[];
  /** Parameters the rows do not move: kept at their base value. */
  readonly undetermined: readonly FittedName[];
  /** Predicted time of each row at the fitted values. */
  readonly predictedMs: readonly number[];
  readonly evaluations: number;
  /** Why no parameter pair reproduces the rows within the tolerance, or null. */
  readonly reason: string | null;
  /**
   * Parameters held at their base value that also move these rows: the
   * fitted second parameter assumes them (two rows cannot tell them apart).
   */
  readonly heldFixed: readonly FittedName[];
}

type Predict = (values: Readonly<Record<FittedName, number>>, threads: number) => number;

/** Half a unit of the last digit given: 56 ms is known to 0.5 ms, 143.3 ms to 0.05 ms. */
export function halfUnitMs(ms: number): number {
  const text = String(ms);
  const dot = text.indexOf('.');
  return dot < 0 ? 0.5 : 0.5 * 10 ** -(text.length - dot - 1);
}

/** Simulated times come rounded to the microsecond. */
const SIM_RESOLUTION_MS = 0.001;

/**
 * The forward-difference step in log space: large enough that the shortest
 * row moves by 20 rounding units (else a sub-millisecond boot has a zero
 * derivative and the fit stalls), never below 0.1 %.
 */
export function stepFor(measures: readonly Measurement[]): number {
  const shortest = Math.min(...measures.map((m) => m.ms));
  return Math.min(0.1, Math.max(1e-3, (20 * SIM_RESOLUTION_MS) / shortest));
}

const clamp = (name: FittedName, v: number) => Math.min(PARAM_RANGES[name].max, Math.max(PARAM_RANGES[name].min, v));

/** Fits pageInitNs with each second parameter in turn; the first within `tolerance` wins, else the closest. */
export function fitRows(predict: Predict, base: Readonly<Record<FittedName, number>>, measures: readonly Measurement[], tolerance: number): FitOutcome {
  let best: (FitOutcome & { worst: number }) | null = null;
  let evaluations = 0;
  for (const second of SECOND_PARAMS) {
    const f = fitPair(predict, base, measures, second);
    evaluations += f.evaluations;
    const worst = Math.max(...f.predictedMs.map((p, i) => Math.abs(p / measures[i].ms - 1)));
    if (!best || worst < best.worst) best = { ...f, worst };
    if (worst <= tolerance) break;
  }
  const b = best!;
  const reason = b.worst <= tolerance ? null : whyNoFit(b, measures);
  const held = reason === null ? heldThatMoveRows(predict, base, b, measures) : { names: [], evaluations: 0 };
  return {
    params: b.params,
    undetermined: b.undetermined,
    predictedMs: b.predictedMs,
    evaluations: evaluations + held.evaluations,
    reason,
    heldFixed: held.names,
  };
}

/** A 5 % step of a held parameter that moves a row by more than this (relative) moves the rows. */
const HELD_SENSITIVITY = 1e-3;

/**
 * The second parameters the fit did not fit that still move the rows at the
 * fitted values (for example SMT sharing on rows that use both siblings,
 * when the bandwidth was fitted): the fit is then conditional on them.
 */
function heldThatMoveRows(
  predict: Predict,
  base: Readonly<Record<FittedName, number>>,
  b: FitOutcome,
  measures: readonly Measurement[],
): { names: FittedName[]; evaluations: number } {
  const at = { ...base, ...Object.fromEntries(b.params.map((p) => [p.name, p.value])) } as Record<FittedName, number>;
  const names: FittedName[] = [];
  let evaluations = 0;
  for (const name of SECOND_PARAMS.filter((n) => !b.params.some((p) => p.name === n))) {
    const stepped = { ...at, [name]: clamp(name, at[name] * (at[name] * 1.05 <= PARAM_RANGES[name].max ? 1.05 : 1 / 1.05)) };
    const moved = measures.some((m, i) => {
      evaluations++;
      return Math.abs(predict(stepped, m.threads) / b.predictedMs[i] - 1) > HELD_SENSITIVITY;
    });
    if (moved) names.push(name);
  }
  return { names, evaluations };
}

function fitPair(predict: Predict, base: Readonly<Record<FittedName, number>>, measures: readonly Measurement[], second: FittedName): FitOutcome {
  const names: FittedName[] = ['pageInitNs', second];
  const valuesAt = (x: readonly number[]) => ({ ...base, pageInitNs: clamp('pageInitNs', Math.exp(x[0])), [second]: clamp(second, Math.exp(x[1])) });
  // Residuals are log(predicted / measured): relative error, symmetric in over- and under-shoot.
  const residuals = (x: readonly number[]) => measures.map((m) => Math.log(predict(valuesAt(x), m.threads) / m.ms));
  const init = startingPoint(predict, base, measures, second);
  const fit = levenbergMarquardt(residuals, init.x, { tolerance: 1e-5, h: stepFor(measures) });
  const values = valuesAt(fit.x);
  // Each row is known to its stdev when given, else to half its last digit; the simulation to half a microsecond.
  const sigmas = measures.map((m) => Math.hypot(m.stdevMs ?? halfUnitMs(m.ms), SIM_RESOLUTION_MS / 2) / m.ms);
  const uncertainty = logUncertainty(fit.jacobian, sigmas);
  const undetermined = names.filter((_, j) => !Number.isFinite(uncertainty[j]));
  const params = names.map((name, j) => ({ name, value: values[name], uncertainty: uncertainty[j] }));
  return {
    params,
    undetermined,
    predictedMs: fit.residuals.map((r, i) => measures[i].ms * Math.exp(r)),
    evaluations: init.evaluations + fit.evaluations,
    reason: null,
    heldFixed: [],
  };
}

const logRange = (name: FittedName): [number, number] => [Math.log(Math.max(PARAM_RANGES[name].min, 1e-3)), Math.log(PARAM_RANGES[name].max)];

/**
 * Where the joint fit starts: the per-page cost that gives the fewest-thread
 * row its time, then the second parameter that gives the most-thread row
 * its time. Starting at the base instead can leave the fit in a flat
 * region (bandwidth that does not bind yet has no gradient), where it stops.
 */
function startingPoint(
  predict: Predict,
  base: Readonly<Record<FittedName, number>>,
  measures: readonly Measurement[],
  second: FittedName,
): { x: number[]; evaluations: number } {
  const sorted = [...measures].sort((a, b) => a.threads - b.threads);
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  const with2 = (p: number, s: number) => ({ ...base, pageInitNs: clamp('pageInitNs', Math.exp(p)), [second]: clamp(second, Math.exp(s)) });
  const s0 = Math.log(base[second]);
  // Time grows with the per-page cost and falls with bandwidth and with what a busy sibling keeps.
  const p = monotoneRoot((x) => Math.log(predict(with2(x, s0), first.threads) / first.ms), Math.log(base.pageInitNs), ...logRange('pageInitNs'), true);
  const s = monotoneRoot((x) => Math.log(predict(with2(p.x, x), last.threads) / last.ms), s0, ...logRange(second), false);
  return { x: [p.x, s.x], evaluations: p.evaluations + s.evaluations };
}

/**
 * Standard uncertainty of each log-parameter from the residuals' (J^T J)^-1 J^T
 * with each row's relative measurement uncertainty; Infinity where the rows
 * do not move a parameter (its column of the Jacobian is zero).
 */
export function logUncertainty(jac: readonly (readonly number[])[], sigmas: readonly number[]): number[] {
  const n = jac.length;
  const norms = jac.map((col) => Math.hypot(...col));
  const live = norms.map((v) => v > 1e-6);
  const idx = live.flatMap((l, j) => (l ? [j] : []));
  const out = new Array<number>(n).fill(Infinity);
  if (!idx.length) return out;
  const a = idx.map((p) => idx.map((q) => jac[p].reduce((s, v, i) => s + v * jac[q][i], 0)));
  const inv = invert(a);
  if (!inv) return out;
  // Cov = A^-1 J^T S^2 J A^-1, S = diag(sigmas).
  const g = idx.map((_, p) => jac[idx[0]].map((_, i) => idx.reduce((s, q, k) => s + inv[p][k] * jac[q][i], 0)));
  idx.forEach((j, p) => (out[j] = Math.sqrt(g[p].reduce((s, v, i) => s + (v * sigmas[i]) ** 2, 0))));
  return out;
}

function invert(a: readonly (readonly number[])[]): number[][] | null {
  if (a.length === 1) return a[0][0] > 0 ? [[1 / a[0][0]]] : null;
  const [[p, q], [r, s]] = a;
  const det = p * s - q * r;
  // Nearly parallel columns: the two parameters trade off and the rows cannot tell them apart.
  if (Math.abs(det) <= 1e-9 * Math.abs(p * s)) return null;
  return [
    [s / det, -q / det],
    [-r / det, p / det],
  ];
}

function whyNoFit(f: FitOutcome, measures: readonly Measurement[]): string {
  const atBound = f.params.filter((p) => p.value <= PARAM_RANGES[p.name].min || p.value >= PARAM_RANGES[p.name].max);
  if (atBound.length) return `${atBound.map((p) => p.name).join(', ')} at the end of its physical range`;
  if (measures.length > 2)
    return `no per-page cost with ${SECOND_PARAMS.join(' or ')} passes within the tolerance of all ${measures.length} rows (least squares leaves the residuals below)`;
  const sorted = [...measures].sort((a, b) => a.threads - b.threads);
  const speedup = sorted[0].ms / sorted[sorted.length - 1].ms;
  return `no per-page cost with ${SECOND_PARAMS.join(' or ')} reproduces a speedup of ${speedup.toFixed(2)}x from ${sorted[0].threads} to ${sorted[sorted.length - 1].threads} threads on this machine`;
}
