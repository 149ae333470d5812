import type { Command } from 'commander';
import { calibrate, parseMeasure, type Calibration, type Measurement } from '../api/calibrate.js';
import { dmesgMeasures, parseBootLog, readLog, scenarioFromLog, type DmesgRow } from '../api/dmesg/index.js';
import { listScenarios, loadProfile, loadScenario } from '../api/load-scenario.js';
import { bandedRuns, sweepWithBand } from '../api/sweep-band.js';
import { InputError } from '../model/input-error.js';
import { publishedSweep } from '../model/published-sweeps.js';
import { resolveScenario } from '../model/scenario.js';
import { renderCalibrateReport } from '../report/calibrate-report.js';
import { ExitWith } from './exit-with.js';
import { collect } from './options.js';
import { progressBar } from './progress.js';
import { duration, table } from './table.js';
import { writeReport } from './write-report.js';

interface CalibrateOpts {
  measure?: string[];
  dmesg?: string[];
  boot?: string[];
  profile?: string;
  report?: string;
  json?: boolean;
}

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** Boot logs to measurements, and the scenario of their machine from the log with the most CPUs. */
function fromLogs(files: readonly string[]) {
  const logs = files.map((f) => parseBootLog(readLog(f, '--dmesg'), f));
  const { measures, rows } = dmesgMeasures(logs);
  const widest = logs.reduce((a, l) => (l.cpus.total > a.cpus.total ? l : a));
  return { measures, rows, scenario: scenarioFromLog(widest) };
}

function dmesgTable(rows: readonly DmesgRow[], builtFrom: string | null): string {
  return (
    'measurements from boot logs (the slowest node of each boot, at its CPU count):\n' +
    table([
      ['log', 'line', 'node', 'threads', 'deferred init'],
      ...rows.map((r) => [r.file, String(r.line), String(r.node), String(r.threads), `${r.ms} ms`]),
    ]) +
    (builtFrom ? `\nscenario built from the log with the most CPUs (${builtFrom}); write it with \`scenario from-dmesg\`\n` : '\n') +
    '\n'
  );
}

function renderFit(c: Calibration): string {
  const params = Object.entries(c.profile.params ?? {}).filter(([k]) => c.fit.fitted.includes(k as never));
  const sigma = (k: string) => c.fit.uncertainty[k as keyof typeof c.fit.uncertainty];
  const undetermined =
    (c.fit.undetermined.length ? `${c.fit.undetermined.join(', ')}: not determined by these rows (kept at the base profile's value)\n` : '') +
    (c.fit.heldFixed.length ? `${heldNote(c)}\n` : '');
  return (
    `${c.fit.scenario}: fitted ${c.fit.fitted.join(', ')} in ${c.fit.evaluations} evaluations\n` +
    table([
      ['parameter', 'value', 'uncertainty'],
      ...params.map(([k, v]) => [
        k,
        String(typeof v === 'number' ? v : v.value),
        sigma(k) === undefined ? '-' : `±${Number((100 * sigma(k)!).toPrecision(2))}%`,
      ]),
    ]) +
    undetermined +
    '\n' +
    table([
      ['threads', 'measured', 'predicted', 'error'],
      ...c.fit.rows.map((r) => [String(r.threads), duration(r.measuredMs), duration(r.predictedMs), `${(100 * r.error).toFixed(1)}%`]),
    ]) +
    '\nsave with --json and pass to run, compare or sweep as --profile FILE\n'
  );
}

/** What a fit conditional on held parameters assumes, and which row would tell them apart. */
export function heldNote(c: Calibration): string {
  const held = c.fit.heldFixed.map((k) => {
    const p = c.profile.params?.[k];
    return `${k} (${p === undefined ? "the base profile's value" : typeof p === 'number' ? p : p.value})`;
  });
  return `${held.join(', ')}: also moves these rows and is held at the base profile's value, so the fitted values assume it; a row at another thread count (one thread per core, if the node has SMT) tells them apart`;
}

/** Thread counts the report's curve is drawn at: the measured ones, powers of two and the node's CPUs. */
export function curveThreads(measures: readonly { threads: number }[], cpus: number): number[] {
  const t = new Set<number>([...measures.map((m) => m.threads), cpus]);
  for (let p = 1; p < cpus; p *= 2) t.add(p);
  return [...t].filter((x) => x >= 1 && x <= Math.max(cpus, ...measures.map((m) => m.threads))).sort((a, b) => a - b);
}

/** Writes the fit's page: the fitted profile swept over threads, with its band when the fit holds. */
function writeCalibrateReport(file: string, ref: string | undefined, input: unknown, name: string, measures: readonly Measurement[], c: Calibration): void {
  const sc = resolveScenario(input, { profile: c.profile }, name);
  const published = ref !== undefined && listScenarios().some((s) => s.name === ref) ? publishedSweep(ref) : null;
  // The published thread counts too: the table then shows the held-out rows' errors.
  const threads = curveThreads([...measures, ...(published?.points ?? [])], Math.max(...sc.nodes.map((n) => n.cpus)));
  const uncertainty = c.fit.withinTolerance ? c.fit.uncertainty : undefined;
  const bar = progressBar(`calibrate ${name}: report`, false);
  let curve;
  try {
    const total = bandedRuns(threads.length, c.profile, uncertainty);
    curve = sweepWithBand(input, threads, { name, profile: c.profile, uncertainty, onProgress: (n) => bar.update(n, total) });
  } finally {
    bar.stop();
  }
  writeReport(file, renderCalibrateReport({ calibration: c, description: sc.description, curve, published }));
}

function calibrateAction(ref: string | undefined, opts: CalibrateOpts): void {
  const measures: Measurement[] = (opts.measure ?? []).map((m) => parseMeasure(m, '--measure'));
  const boot: Measurement[] = (opts.boot ?? []).map((m) => parseMeasure(m, '--boot'));
  const logs = opts.dmesg ? fromLogs(opts.dmesg) : null;
  if (logs) measures.push(...logs.measures);
  if (ref === undefined && !logs) throw new InputError('scenario', 'give a scenario, or --dmesg FILE... to build one from boot logs');
  const { input, name } = ref !== undefined ? loadScenario(ref) : { input: logs!.scenario, name: logs!.scenario.name };
  // The rows read from the logs come first, so they show even when the fit then fails.
  if (logs && !opts.json) process.stdout.write(dmesgTable(logs.rows, ref === undefined ? logs.scenario.name : null));
  const bar = progressBar(`calibrate ${name}`, opts.json);
  let c;
  try {
    // About a dozen runs per row is typical; the bar's total grows past that if the fit needs more.
    const expected = 12 * measures.length;
    const base = opts.profile ? loadProfile(opts.profile) : undefined;
    const measureField = opts.measure?.length ? '--measure' : '--dmesg';
    c = calibrate(input, measures, { name, boot, base, measureField, onEvaluation: (n) => bar.update(n, Math.max(expected, n)) });
  } finally {
    bar.stop();
  }
  // The page is written for a failed fit too: it is where the residuals are easiest to read.
  if (opts.report) writeCalibrateReport(opts.report, ref, input, name, measures, c);
  if (!c.fit.withinTolerance) {
    // Not a result: no profile is printed, so `> file` cannot save one.
    const rows = c.fit.rows.map((r) => `${r.threads} threads measured ${r.measuredMs} ms, predicted ${r.predictedMs} ms (${signedPercent(r.error)})`);
    process.stderr.write(`memmap-sim: calibrate: no fit within ${100 * c.fit.tolerance}% of every measurement (${c.fit.reason}): ${rows.join('; ')}\n`);
    throw new ExitWith(1);
  }
  if (opts.json) print(JSON.stringify(logs ? { ...c, dmesg: { scenario: logs.scenario.name, rows: logs.rows } } : c, null, 2));
  else print(renderFit(c) + (opts.report ? `report written to ${opts.report}\n` : ''));
}

/** `calibrate`: fit a profile to measured deferred-init times. */
export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description("fit the profile's per-page CPU cost and DRAM bandwidth to measured deferred-init times")
    .argument('[scenario]', 'a built-in scenario name (see `list`) or a JSON/YAML file with a boot section; with --dmesg, default: built from the logs')
    .option('--measure <threads:ms>', 'a measured deferred-init time of the slowest node; repeat (at least two)', collect)
    .option('--dmesg <files...>', 'kernel boot logs, one per boot (different nr_cpus= or -smp): each gives a measurement')
    .option('--boot <threads:ms>', 'a measured kernel boot time, to fit the rest of boot; repeatable', collect)
    .option('--profile <file>', "start from this profile (JSON/YAML) instead of the scenario's")
    .option('--report <file>', 'also write a self-contained HTML page of the fit: parameters, residuals, the fitted curve with its uncertainty band')
    .option('--json', 'print the fitted profile document (readable by --profile)')
    .action(calibrateAction);
}

const signedPercent = (e: number) => `${e >= 0 ? '+' : ''}${(100 * e).toFixed(1)}%`;
