import { InputError } from '../model/input-error.js';
import type { ParamName } from '../model/profile.js';
import { DEFAULT_PROFILE, type ProfileInput } from '../model/profiles/index.js';
import { parseScenario, resolveScenario } from '../model/scenario.js';
import { checkMeasures, FIT_TOLERANCE, restOfBoot, type Measurement } from './calibrate-inputs.js';
export { FIT_TOLERANCE, parseMeasure, type Measurement } from './calibrate-inputs.js';
import { levenbergMarquardt } from './gauss-newton.js';
import { simulate } from './simulate.js';
import { PARAM_RANGES } from '../model/profiles/ranges.js';

export interface CalibrationRow {
  readonly threads: number;
  readonly measuredMs: number;
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
    readonly rows: readonly CalibrationRow[];
    readonly evaluations: number;
    /** Largest relative error a row may have; beyond it (withinTolerance false) the CLI exits 1. */
    readonly tolerance: number;
    readonly withinTolerance: boolean;
  };
}

/** The two parameters calibration fits: everything else keeps its provenance. */
export const FITTED: readonly ParamName[] = ['pageInitNs', 'dramWriteGBs'];

/** Deferred-init time of the slowest node, as the kernel prints it. */
export function slowestNodeMs(scenario: unknown, options: Parameters<typeof simulate>[1]): { deferredMs: number; bootMs: number | null } {
  const r = simulate(scenario, options);
  if (!r.nodes.length) throw new InputError('scenario', 'has no boot section: calibrate and sweep need `"boot": {}` and nodes with dram');
  return { deferredMs: Math.max(...r.nodes.map((n) => n.deferredInitMs)), bootMs: r.bootMs };
}

/**
 * Fits pageInitNs and dramWriteGBs so the simulated slowest-node deferred
 * init matches the measurements (least squares on log time), and, when boot
 * times are given, restOfBootMs as their mean excess over deferred init.
 */
export function calibrate(
  input: unknown,
  measures: readonly Measurement[],
  options: {
    name?: string;
    boot?: readonly Measurement[];
    base?: ProfileInput;
    /** Names the measurements in errors (default --measure). */ measureField?: string;
  } = {},
): Calibration {
  checkMeasures(measures, options.measureField);
  const sc = resolveScenario(input, { profile: options.base }, options.name);
  const { base: baseName, doc } = profileDocument(input, options.base);
  const baseParams = doc.params ?? {};
  const profileAt = (x: readonly number[]): ProfileInput => ({
    ...doc,
    base: baseName,
    // Trial points stay inside the parameters' physical ranges, which resolveProfile enforces.
    params: { ...baseParams, pageInitNs: inRange('pageInitNs', Math.exp(x[0])), dramWriteGBs: inRange('dramWriteGBs', Math.exp(x[1])) },
  });
  const predict = (x: readonly number[], t: number) => slowestNodeMs(input, { name: options.name, threads: t, profile: profileAt(x) });
  const start = [Math.log(sc.costs.pageInitNs), Math.log(sc.costs.dramWriteGBs)];
  // Residuals are log(predicted / measured): relative error, symmetric in over- and under-shoot.
  const best = levenbergMarquardt((x) => measures.map((m) => Math.log(predict(x, m.threads).deferredMs / m.ms)), start, { tolerance: 1e-5 });
  const fittedProfile = profileAt(best.x);
  const predicted = measures.map((m) => predict(best.x, m.threads).deferredMs);
  const source = `memmap-sim calibrate ${sc.name} ${measures.map((m) => `--measure ${m.threads}:${m.ms}`).join(' ')}`;
  const params: Record<string, { value: number; provenance: 'fitted'; source: string }> = {
    pageInitNs: { value: round4(inRange('pageInitNs', Math.exp(best.x[0]))), provenance: 'fitted', source },
    dramWriteGBs: { value: round4(inRange('dramWriteGBs', Math.exp(best.x[1]))), provenance: 'fitted', source },
  };
  const fitted: ParamName[] = [...FITTED];
  let rest = sc.costs.restOfBootMs;
  if (options.boot?.length) {
    // Boot = rest of boot + slowest node: the rest is the mean excess of each measured boot.
    rest = restOfBoot(options.boot, (t) => measures.find((m) => m.threads === t)?.ms ?? round(predict(best.x, t).deferredMs));
    params.restOfBootMs = { value: rest, provenance: 'fitted', source: `${source} ${options.boot.map((b) => `--boot ${b.threads}:${b.ms}`).join(' ')}` };
    fitted.push('restOfBootMs');
  }
  const rows: CalibrationRow[] = measures.map((m, i) => {
    const b = options.boot?.find((x) => x.threads === m.threads);
    return {
      threads: m.threads,
      measuredMs: m.ms,
      predictedMs: round(predicted[i]),
      error: round4((predicted[i] - m.ms) / m.ms),
      ...(b ? { measuredBootMs: b.ms } : {}),
      predictedBootMs: round(rest + predicted[i]),
    };
  });
  const profile: ProfileInput = {
    name: `${baseName}-calibrated`,
    base: baseName,
    description: `${baseName} with ${fitted.join(', ')} fitted to ${sc.name}`,
    ...(fittedProfile.dramSharing ? { dramSharing: fittedProfile.dramSharing } : {}),
    params: { ...baseParams, ...params },
  };
  const withinTolerance = rows.every((r) => Math.abs(r.error) <= FIT_TOLERANCE);
  return { profile, fit: { scenario: sc.name, fitted, rows, evaluations: best.evaluations, tolerance: FIT_TOLERANCE, withinTolerance } };
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

const inRange = (name: keyof typeof PARAM_RANGES, v: number) => Math.min(PARAM_RANGES[name].max, Math.max(PARAM_RANGES[name].min, v));
const round = (v: number) => Math.round(v * 1000) / 1000;
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
