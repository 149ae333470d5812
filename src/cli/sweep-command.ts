import type { Command } from 'commander';
import { parseMeasure, type Measurement } from '../api/calibrate.js';
import { listScenarios, loadProfile, loadScenario, loadStrategyFile, loadUncertainty } from '../api/load-scenario.js';
import { bandedRuns, sweepWithBand, type BandedSweepRow } from '../api/sweep-band.js';
import { InputError } from '../model/input-error.js';
import { publishedSweep } from '../model/published-sweeps.js';
import { resolveScenario } from '../model/scenario.js';
import { renderSweepReport } from '../report/sweep-report.js';
import { collect, wholeNumber } from './options.js';
import { progressBar } from './progress.js';
import { duration, table } from './table.js';
import { threadList } from './thread-list.js';
import { writeReport } from './write-report.js';

interface SweepOpts {
  threads: number[];
  strategy?: string;
  strategyFile?: string;
  profile?: string;
  seed?: number;
  measure?: string[];
  boot?: string[];
  report?: string;
  json?: boolean;
}

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function render(name: string, rows: readonly BandedSweepRow[], measured: readonly Measurement[]): string {
  const pm = (s: number | null) => (s === null ? '' : ` ± ${duration(s)}`);
  const vs = (r: BandedSweepRow) => {
    const m = measured.find((x) => x.threads === r.threads);
    return m ? [duration(m.ms), `${(((r.deferredInitMs - m.ms) / m.ms) * 100).toFixed(1)}%`] : ['—', '—'];
  };
  return (
    `${name}: deferred init of the slowest node and boot time by thread count\n` +
    table([
      [
        'threads',
        'used',
        'deferred init',
        'boot',
        'speedup',
        ...(rows[0]?.nodes.map((n) => `node ${n.id}`) ?? []),
        'violations',
        ...(measured.length ? ['measured', 'error'] : []),
      ],
      ...rows.map((r) => [
        String(r.threads),
        String(r.threadsUsed),
        duration(r.deferredInitMs) + pm(r.deferredInitSigmaMs),
        duration(r.bootMs) + (r.bootMs === null ? '' : pm(r.bootSigmaMs)),
        r.speedup === null ? '—' : `${r.speedup.toFixed(2)}x`,
        ...r.nodes.map((n) => duration(n.deferredInitMs)),
        String(r.violations),
        ...(measured.length ? vs(r) : []),
      ]),
    ])
  );
}

function sweepAction(ref: string, opts: SweepOpts): void {
  if (opts.strategy !== undefined && opts.strategyFile !== undefined) throw new InputError('--strategy-file', 'give --strategy or --strategy-file, not both');
  const strategy = opts.strategyFile === undefined ? opts.strategy : loadStrategyFile(opts.strategyFile);
  const measured = (opts.measure ?? []).map((m) => parseMeasure(m, '--measure'));
  const bootMeasured = (opts.boot ?? []).map((m) => parseMeasure(m, '--boot'));
  const { input, name } = loadScenario(ref);
  const profile = opts.profile ? loadProfile(opts.profile) : undefined;
  const uncertainty = opts.profile ? loadUncertainty(opts.profile) : undefined;
  const bar = progressBar(`sweep ${name}`, opts.json);
  let rows;
  try {
    const total = bandedRuns(opts.threads.length, profile, uncertainty);
    rows = sweepWithBand(input, opts.threads, { name, strategy, seed: opts.seed, profile, uncertainty, onProgress: (n) => bar.update(n, total) });
  } finally {
    bar.stop();
  }
  if (opts.report) {
    const sc = resolveScenario(input, { strategy, profile, threads: opts.threads[0] }, name);
    const builtin = listScenarios().some((s) => s.name === ref);
    const html = renderSweepReport({
      scenario: sc.name,
      description: sc.description,
      strategy: sc.bootStrategy.name,
      profile: sc.profile.name,
      seed: opts.seed ?? 0,
      uncertaintySource: uncertainty && Object.keys(uncertainty).length ? `the calibration in ${opts.profile}` : null,
      rows,
      measured: { deferredInit: measured, boot: bootMeasured },
      published: builtin ? publishedSweep(ref) : null,
    });
    writeReport(opts.report, html);
  }
  if (opts.json) {
    print(
      JSON.stringify(
        rows.map(({ threads, threadsUsed, deferredInitMs, bootMs, nodes, deferredInitSigmaMs, bootSigmaMs }) => ({
          threads,
          threadsUsed,
          deferredInitMs,
          bootMs,
          nodes,
          ...(deferredInitSigmaMs === null ? {} : { deferredInitSigmaMs, bootSigmaMs }),
        })),
      ),
    );
    return;
  }
  print(render(name, rows, measured) + (opts.report ? `\nreport written to ${opts.report}\n` : ''));
}

/** `sweep`: deferred init and boot time at each thread count. */
export function registerSweepCommand(program: Command): void {
  program
    .command('sweep')
    .description('deferred init and boot time at each thread count')
    .argument('<scenario>', 'a built-in scenario name (see `list`) or a JSON/YAML file with a boot section')
    .requiredOption('--threads <list>', 'thread counts, e.g. 1,6,13,26,52 or 1-8', threadList)
    .option('--strategy <name>', "boot strategy (default: the scenario's)")
    .option('--strategy-file <file>', 'a boot strategy you wrote (JSON/YAML; docs/scenario.md)')
    .option('--profile <file>', 'hardware profile (JSON/YAML); a calibrate --json document also gives the uncertainty band')
    .option('--seed <n>', 'seed for tie-breaking and jitter', wholeNumber('--seed', 0))
    .option('--measure <threads:ms>', 'a measured deferred-init time (slowest node) to show beside the prediction; repeat', collect)
    .option('--boot <threads:ms>', 'a measured kernel boot time to show beside the prediction; repeat', collect)
    .option('--report <file>', 'also write a self-contained HTML page: the curves against threads, measured or published points, the uncertainty band')
    .option('--json', 'print one JSON array')
    .action(sweepAction);
}
