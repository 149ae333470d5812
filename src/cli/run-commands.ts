import type { Command } from 'commander';
import { loadProfile, loadScenario, loadStrategyFile } from '../api/load-scenario.js';
import { writeFileSync } from 'node:fs';
import { createSimulation, simulate } from '../api/simulate.js';
import { chromeTrace, withIssues, type ChromeTrace } from '../report/chrome-trace.js';
import { htmlReport, renderHtmlReport, type HtmlReportData } from '../report/html-report.js';
import { InputError } from '../model/input-error.js';
import { parseGeometry } from '../model/vmemmap-geometry.js';
import { choiceList, collect, nonNegative, withScenarioFlags } from './options.js';
import { renderCompare, renderRun } from './render-run.js';
import { ExitWith } from './exit-with.js';
import type { RunResult } from '../api/result.js';

interface RunOptions {
  strategy?: string | string[];
  strategyFile?: string | string[];
  threads?: number;
  seed?: number;
  profile?: string;
  explore?: boolean;
  json?: boolean;
  geometry?: string;
  trace?: string;
  report?: string;
  choices?: number[];
  quantum?: number;
  failOnViolation?: boolean;
}

/** `--fail-on-violation`: for CI, exit 1 once the output is printed if any run broke an invariant. */
function failOnViolation(opts: RunOptions, results: readonly RunResult[]): void {
  if (opts.failOnViolation && results.some((r) => r.violations.length > 0)) throw new ExitWith(1);
}

function overrides(opts: RunOptions) {
  return {
    threads: opts.threads,
    seed: opts.seed,
    explore: opts.explore,
    profile: opts.profile === undefined ? undefined : loadProfile(opts.profile),
    geometry: opts.geometry === undefined ? undefined : parseGeometry(opts.geometry, '--geometry'),
  };
}

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** `run` and `compare`: thin shells over simulate(). */
export function registerRunCommands(program: Command): void {
  const run = program
    .command('run')
    .description('simulate one scenario under one strategy')
    .argument('<scenario>', 'a built-in scenario name (see `list`) or a JSON/YAML file')
    .option('--strategy <name>', "initialization strategy (default: the scenario's)")
    .option('--strategy-file <file>', 'a strategy you wrote (JSON/YAML, a probe or boot strategy object; docs/scenario.md)');
  withScenarioFlags(run)
    .option('--explore', 'order same-time events randomly (seeded) instead of FIFO')
    .option('--trace <file>', 'also write a Chrome/Perfetto trace (JSON) of the run to this file')
    .option('--report <file>', 'also write a self-contained HTML report (timeline, bandwidth plots, tables) to this file')
    .option('--choices <list>', 'replay a choice sequence of exhaustive exploration (comma-separated; FIFO after it)', choiceList('--choices'))
    .option('--quantum <ns>', 'round every positive delay up to whole quanta of this many ns (exhaustive exploration)', nonNegative('--quantum'))
    .option('--json', 'print one JSON document')
    .option('--fail-on-violation', 'exit with code 1 if the run has a violation (for CI)')
    .action((ref: string, opts: RunOptions) => {
      if (opts.strategy !== undefined && opts.strategyFile !== undefined)
        throw new InputError('--strategy-file', 'give --strategy or --strategy-file, not both');
      const strategy = opts.strategyFile === undefined ? (opts.strategy as string | undefined) : loadStrategyFile(opts.strategyFile as string);
      const { input, name } = loadScenario(ref);
      const sim = createSimulation(input, { ...overrides(opts), strategy, name, choices: opts.choices, quantumNs: opts.quantum });
      let trace: ChromeTrace | undefined;
      if (opts.trace) sim.trace$.pipe(chromeTrace({ scenario: sim.scenario.name, strategy: sim.scenario.strategyName })).subscribe((t) => (trace = t));
      let report: HtmlReportData | undefined;
      if (opts.report) sim.trace$.pipe(htmlReport({ description: sim.scenario.description })).subscribe((d) => (report = d));
      const result = sim.run();
      if (opts.trace && trace) {
        try {
          writeFileSync(opts.trace, JSON.stringify(withIssues(trace, result)));
        } catch (e) {
          throw new InputError('--trace', `cannot write ${opts.trace}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
      }
      if (opts.report && report) {
        try {
          writeFileSync(opts.report, renderHtmlReport(report, result));
        } catch (e) {
          throw new InputError('--report', `cannot write ${opts.report}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
      }
      print(opts.json ? JSON.stringify(result) : renderRun(result));
      failOnViolation(opts, [result]);
    });

  const compare = program
    .command('compare')
    .description('simulate one scenario under several strategies and tabulate them')
    .argument('<scenario>', 'a built-in scenario name (see `list`) or a JSON/YAML file')
    .option('--strategy <name>', 'a strategy; repeat for each (at least two)', collect)
    .option('--strategy-file <file>', 'a strategy you wrote (JSON/YAML); repeatable, compared after the --strategy ones', collect);
  withScenarioFlags(compare)
    .option('--explore', 'order same-time events randomly (seeded) instead of FIFO')
    .option('--json', 'print one JSON array')
    .option('--fail-on-violation', 'exit with code 1 if any of the runs has a violation (for CI)')
    .action((ref: string, opts: RunOptions) => {
      const files = ((opts.strategyFile as string[] | undefined) ?? []).map((f) => loadStrategyFile(f));
      const strategies = [...((opts.strategy as string[] | undefined) ?? []), ...files];
      if (strategies.length < 2) throw new InputError('--strategy', 'compare needs at least two (repeat --strategy or --strategy-file)');
      const { input, name } = loadScenario(ref);
      const o = overrides(opts);
      const results = strategies.map((strategy) => simulate(input, { ...o, strategy, name }));
      print(opts.json ? JSON.stringify(results) : renderCompare(results));
      failOnViolation(opts, results);
    });
}
