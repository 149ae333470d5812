import type { Command } from 'commander';
import { calibrate, parseMeasure, type Measurement } from '../api/calibrate.js';
import { loadProfile, loadScenario, loadStrategyFile } from '../api/load-scenario.js';
import { dmesgMeasures, parseBootLog, readLog, scenarioFromLog, type DmesgRow } from '../api/dmesg/index.js';
import { sweep } from '../api/sweep.js';
import { InputError } from '../model/input-error.js';
import { MAX_THREADS } from '../model/work-bounds.js';
import { ExitWith } from './exit-with.js';
import { collect, wholeNumber } from './options.js';
import { progressBar } from './progress.js';
import { duration, table } from './table.js';

function threadList(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const whole = wholeNumber('--threads', 1);
  // Bounded before any range is expanded: `1-1000000000` must not allocate first.
  const parse = (t: string) => {
    const n = whole(t);
    if (n > MAX_THREADS) throw new InputError('--threads', `${n}: must be at most ${MAX_THREADS} (the largest thread count memmap-sim simulates)`);
    return n;
  };
  const out: number[] = [];
  for (const p of parts) {
    const range = /^(\d+)-(\d+)$/.exec(p);
    if (range) {
      const [a, b] = [parse(range[1]), parse(range[2])];
      if (b < a) throw new InputError('--threads', `range "${p}" runs backwards`);
      for (let t = a; t <= b; t++) out.push(t);
    } else out.push(parse(p));
  }
  if (!out.length) throw new InputError('--threads', 'give a list such as 1,6,13,26,52');
  if (out.length > MAX_THREADS) throw new InputError('--threads', `at most ${MAX_THREADS} thread counts in one sweep, got ${out.length}`);
  return out;
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

/** `calibrate` and `sweep`: the boot-time deferred init commands. */
export function registerBootCommands(program: Command): void {
  program
    .command('sweep')
    .description('deferred init and boot time at each thread count')
    .argument('<scenario>', 'a built-in scenario name (see `list`) or a JSON/YAML file with a boot section')
    .requiredOption('--threads <list>', 'thread counts, e.g. 1,6,13,26,52 or 1-8', threadList)
    .option('--strategy <name>', "boot strategy (default: the scenario's)")
    .option('--strategy-file <file>', 'a boot strategy you wrote (JSON/YAML; docs/scenario.md)')
    .option('--profile <file>', 'hardware profile (JSON/YAML), e.g. from calibrate --json')
    .option('--seed <n>', 'seed for tie-breaking and jitter', wholeNumber('--seed', 0))
    .option('--json', 'print one JSON array')
    .action((ref: string, opts: { threads: number[]; strategy?: string; strategyFile?: string; profile?: string; seed?: number; json?: boolean }) => {
      if (opts.strategy !== undefined && opts.strategyFile !== undefined)
        throw new InputError('--strategy-file', 'give --strategy or --strategy-file, not both');
      const strategy = opts.strategyFile === undefined ? opts.strategy : loadStrategyFile(opts.strategyFile);
      const { input, name } = loadScenario(ref);
      const bar = progressBar(`sweep ${name}`, opts.json);
      let rows;
      try {
        rows = sweep(input, opts.threads, {
          name,
          strategy,
          seed: opts.seed,
          profile: opts.profile ? loadProfile(opts.profile) : undefined,
          onProgress: bar.update,
        });
      } finally {
        bar.stop();
      }
      if (opts.json) {
        print(JSON.stringify(rows.map(({ threads, threadsUsed, deferredInitMs, bootMs, nodes }) => ({ threads, threadsUsed, deferredInitMs, bootMs, nodes }))));
        return;
      }
      print(
        `${name}: deferred init of the slowest node and boot time by thread count\n` +
          table([
            ['threads', 'used', 'deferred init', 'boot', 'speedup', ...(rows[0]?.nodes.map((n) => `node ${n.id}`) ?? []), 'violations'],
            ...rows.map((r) => [
              String(r.threads),
              String(r.threadsUsed),
              duration(r.deferredInitMs),
              duration(r.bootMs),
              r.speedup === null ? '—' : `${r.speedup.toFixed(2)}x`,
              ...r.nodes.map((n) => duration(n.deferredInitMs)),
              String(r.violations),
            ]),
          ]),
      );
    });

  program
    .command('calibrate')
    .description("fit the profile's per-page CPU cost and DRAM bandwidth to measured deferred-init times")
    .argument('[scenario]', 'a built-in scenario name (see `list`) or a JSON/YAML file with a boot section; with --dmesg, default: built from the logs')
    .option('--measure <threads:ms>', 'a measured deferred-init time of the slowest node; repeat (at least two)', collect)
    .option('--dmesg <files...>', 'kernel boot logs, one per boot (different nr_cpus= or -smp): each gives a measurement')
    .option('--boot <threads:ms>', 'a measured kernel boot time, to fit the rest of boot; repeatable', collect)
    .option('--profile <file>', "start from this profile (JSON/YAML) instead of the scenario's")
    .option('--json', 'print the fitted profile document (readable by --profile)')
    .action((ref: string | undefined, opts: { measure?: string[]; dmesg?: string[]; boot?: string[]; profile?: string; json?: boolean }) => {
      const measures: Measurement[] = (opts.measure ?? []).map((m) => parseMeasure(m, '--measure'));
      const boot: Measurement[] = (opts.boot ?? []).map((m) => parseMeasure(m, '--boot'));
      const logs = opts.dmesg ? fromLogs(opts.dmesg) : null;
      if (logs) measures.push(...logs.measures);
      if (ref === undefined && !logs) throw new InputError('scenario', 'give a scenario, or --dmesg FILE... to build one from boot logs');
      const { input, name } = ref !== undefined ? loadScenario(ref) : { input: logs!.scenario, name: logs!.scenario.name };
      // The rows read from the logs come first, so they show even when the fit then fails.
      if (logs && !opts.json) process.stdout.write(dmesgTable(logs.rows, ref === undefined ? logs.scenario.name : null));
      const measureField = opts.measure?.length ? '--measure' : '--dmesg';
      const bar = progressBar(`calibrate ${name}`, opts.json);
      let c;
      try {
        // About a dozen runs per row is typical; the bar's total grows past that if the fit needs more.
        const expected = 12 * measures.length;
        c = calibrate(input, measures, {
          name,
          boot,
          base: opts.profile ? loadProfile(opts.profile) : undefined,
          measureField,
          onEvaluation: (n) => bar.update(n, Math.max(expected, n)),
        });
      } finally {
        bar.stop();
      }
      if (!c.fit.withinTolerance) {
        // Not a result: no profile is printed, so `> file` cannot save one.
        const rows = c.fit.rows.map((r) => `${r.threads} threads measured ${r.measuredMs} ms, predicted ${r.predictedMs} ms (${signedPercent(r.error)})`);
        process.stderr.write(`memmap-sim: calibrate: no fit within ${100 * c.fit.tolerance}% of every measurement (${c.fit.reason}): ${rows.join('; ')}\n`);
        throw new ExitWith(1);
      }
      if (opts.json) {
        print(JSON.stringify(logs ? { ...c, dmesg: { scenario: logs.scenario.name, rows: logs.rows } } : c, null, 2));
        return;
      }
      const params = Object.entries(c.profile.params ?? {}).filter(([k]) => c.fit.fitted.includes(k as never));
      const sigma = (k: string) => c.fit.uncertainty[k as keyof typeof c.fit.uncertainty];
      const undetermined = c.fit.undetermined.length
        ? `${c.fit.undetermined.join(', ')}: not determined by these rows (kept at the base profile's value)\n`
        : '';
      print(
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
          '\nsave with --json and pass to run, compare or sweep as --profile FILE\n',
      );
    });
}

const signedPercent = (e: number) => `${e >= 0 ? '+' : ''}${(100 * e).toFixed(1)}%`;
