import { InputError } from '../model/input-error.js';
import type { ParamName } from '../model/profile.js';
import { DEFAULT_PROFILE, type ProfileInput } from '../model/profiles/index.js';
import { parseScenario, resolveScenario } from '../model/scenario.js';
import { checkMeasures, FIT_TOLERANCE, restOfBoot, type Measurement } from './calibrate-inputs.js';
export { FIT_TOLERANCE, parseMeasure, type Measurement } from './calibrate-inputs.js';
import { fitRows, type FittedName } from './calibrate-fit.js';
import { simulate } from './simulate.js';

export interface CalibrationRow {
  readonly threads: number;
  readonly measuredMs: number;
  /** The measurement's stdev, when it was given. */
  readonly measuredStdevMs?: number;
  readonly predictedMs: number;
  readonly error: number;
  readonly measuredBootMs?: number;
  readonly predictedBootMs?: number;
}

export interface Calibration {
  /** A profile document: `run`, `compare` and `sweep` read it with --profile FILE. */
  readonly profile: ProfileInput;
  readonly fit: {
    readonly scenario: string;
    readonly fitted: readonly ParamName[];
    /** Each fitted parameter with its relative standard uncertainty (1 sigma), from the measurements' printed precision. */
    readonly uncertainty: Readonly<Partial<Record<ParamName, number>>>;
    /** Parameters the rows do not move (their runs are not limited by them): kept at the base profile's value. */
    readonly undetermined: readonly ParamName[];
    /** Parameters held at the base profile's value that also move these rows: the fitted values assume them. */
    readonly heldFixed: readonly ParamName[];
    readonly rows: readonly CalibrationRow[];
    readonly evaluations: number;
    /** Largest relative error a row may have; beyond it (withinTolerance false) the CLI exits 1. */
    readonly tolerance: number;
    readonly withinTolerance: boolean;
    /** Why no fit is within the tolerance, or null. */
    readonly reason: string | null;
  };
}

/** The parameters calibration may fit; everything else keeps its provenance (calibrate-fit.ts says which the rows determine). */
export const FITTED: readonly ParamName[] = ['pageInitNs', 'dramWriteGBs', 'smtFactor'];

/** Deferred-init time of the slowest node, as the kernel prints it. */
export function slowestNodeMs(scenario: unknown, options: Parameters<typeof simulate>[1]): { deferredMs: number; bootMs: number | null } {
  const r = simulate(scenario, options);
  if (!r.nodes.length) throw new InputError('scenario', 'has no boot section: calibrate and sweep need `"boot": {}` and nodes with dram');
  return { deferredMs: Math.max(...r.nodes.map((n) => n.deferredInitMs)), bootMs: r.bootMs };
}

export interface CalibrateOptions {
  readonly name?: string;
  readonly boot?: readonly Measurement[];
  readonly base?: ProfileInput;
  /** Names the measurements in errors (default --measure). */
  readonly measureField?: string;
  /** Called after each simulation the fit runs, with the count so far (the CLI's progress bar). */
  readonly onEvaluation?: (evaluations: number) => void;
}

/**
 * Fits the per-page cost and what sets the speedup (DRAM bandwidth or SMT
 * sharing) so the simulated slowest-node deferred init matches the
 * measurements (least squares on log time), and, when boot times are given,
 * restOfBootMs as their mean excess over deferred init.
 */
export function calibrate(input: unknown, measures: readonly Measurement[], options: CalibrateOptions = {}): Calibration {
  checkMeasures(measures, options.measureField);
  const sc = resolveScenario(input, { profile: options.base }, options.name);
  const { base: baseName, doc } = profileDocument(input, options.base);
  const baseParams = doc.params ?? {};
  const profileAt = (v: Readonly<Record<FittedName, number>>): ProfileInput => ({ ...doc, base: baseName, params: { ...baseParams, ...v } });
  let evaluations = 0;
  const predict = (v: Readonly<Record<FittedName, number>>, t: number) => {
    const r = slowestNodeMs(input, { name: options.name, threads: t, profile: profileAt(v) });
    options.onEvaluation?.(++evaluations);
    return r;
  };
  const start = { pageInitNs: sc.costs.pageInitNs, dramWriteGBs: sc.costs.dramWriteGBs, smtFactor: sc.costs.smtFactor };
  const fit = fitRows((v, t) => predict(v, t).deferredMs, start, measures, FIT_TOLERANCE);
  const source = `memmap-sim calibrate ${sc.name} ${measures.map((m) => `--measure ${m.threads}:${m.ms}${m.stdevMs === undefined ? '' : `:${m.stdevMs}`}`).join(' ')}`;
  const params: Record<string, { value: number; provenance: 'fitted'; source: string }> = {};
  // A parameter the rows do not determine keeps its base value; a failed fit keeps what it reached, for the report.
  const kept = fit.params.filter((p) => fit.reason !== null || Number.isFinite(p.uncertainty));
  for (const p of kept) params[p.name] = { value: round4(p.value), provenance: 'fitted', source };
  const fitted: ParamName[] = kept.map((p) => p.name);
  const uncertainty: Partial<Record<ParamName, number>> = Object.fromEntries(
    kept.filter((p) => Number.isFinite(p.uncertainty)).map((p) => [p.name, Number(p.uncertainty.toPrecision(3))]),
  );
  const fittedValues = { ...start, ...Object.fromEntries(kept.map((p) => [p.name, p.value])) };
  let rest = sc.costs.restOfBootMs;
  if (options.boot?.length) {
    // Boot = rest of boot + slowest node: the rest is the mean excess of each measured boot.
    rest = restOfBoot(options.boot, (t) => measures.find((m) => m.threads === t)?.ms ?? round(predict(fittedValues, t).deferredMs));
    params.restOfBootMs = { value: rest, provenance: 'fitted', source: `${source} ${options.boot.map((b) => `--boot ${b.threads}:${b.ms}`).join(' ')}` };
    fitted.push('restOfBootMs');
  }
  const rows = rowsOf(measures, fit.predictedMs, options.boot, rest);
  const profile: ProfileInput = {
    name: `${baseName}-calibrated`,
    base: baseName,
    description: `${baseName} with ${fitted.join(', ')} fitted to ${sc.name}`,
    ...(doc.dramSharing ? { dramSharing: doc.dramSharing } : {}),
    params: { ...baseParams, ...params },
  };
  const withinTolerance = fit.reason === null && rows.every((r) => Math.abs(r.error) <= FIT_TOLERANCE);
  const reason = withinTolerance ? null : (fit.reason ?? 'a row is off by more than the tolerance');
  return {
    profile,
    fit: {
      scenario: sc.name,
      fitted,
      uncertainty,
      undetermined: fit.undetermined,
      heldFixed: fit.heldFixed,
      rows,
      evaluations: fit.evaluations,
      tolerance: FIT_TOLERANCE,
      withinTolerance,
      reason,
    },
  };
}

function rowsOf(measures: readonly Measurement[], predicted: readonly number[], boot: readonly Measurement[] | undefined, rest: number): CalibrationRow[] {
  return measures.map((m, i) => {
    const b = boot?.find((x) => x.threads === m.threads);
    return {
      threads: m.threads,
      measuredMs: m.ms,
      ...(m.stdevMs === undefined ? {} : { measuredStdevMs: m.stdevMs }),
      predictedMs: round(predicted[i]),
      error: round4((predicted[i] - m.ms) / m.ms),
      ...(b ? { measuredBootMs: b.ms } : {}),
      predictedBootMs: round(rest + predicted[i]),
    };
  });
}

/**
 * The profile a fit starts from, as a document with a named base: the
 * scenario's profile, or `--profile`'s (a document without `base` applies
 * over the scenario's, keeping its overrides).
 */
function profileDocument(input: unknown, file: ProfileInput | undefined): { base: string; doc: ProfileInput } {
  const raw = parseScenario(input).profile;
  const own: ProfileInput = typeof raw === 'string' ? { base: raw } : (raw ?? { base: DEFAULT_PROFILE });
  const doc = file === undefined ? own : file.base !== undefined ? file : { ...own, ...file, params: { ...own.params, ...file.params } };
  return { base: doc.base ?? own.base ?? DEFAULT_PROFILE, doc };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
