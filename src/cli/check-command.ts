import { readBoundedFile } from '../api/read-bounded.js';
import type { Command } from 'commander';
import { runCampaign } from '../api/check/campaign.js';
import { mergeShards } from '../api/check/merge.js';
import { parseScope } from '../api/check/scopes.js';
import { parseShard, shardFromEnv } from '../api/check/shard.js';
import { selectStrategies, type StrategySelection } from '../api/check/strategies.js';
import { loadStrategyFile } from '../api/load-scenario.js';
import { InputError } from '../model/input-error.js';
import { ExitWith } from './exit-with.js';
import { collect, wholeNumber } from './options.js';
import { renderCheck } from './render-check.js';

interface CheckOptions {
  strategy?: string[];
  strategyFile?: string[];
  all?: boolean;
  allCorrect?: boolean;
  allKnownBad?: boolean;
  runs: number;
  seed: number;
  timeLimit?: number;
  exhaustive?: boolean;
  workers: number;
  shard?: string;
  shardCount?: number;
  scope: string;
  json?: boolean;
  out: string;
}

/** A shard's `check --json` output is a few KiB per strategy. */
const MAX_SHARD_BYTES = 64 * 2 ** 20;

export const DEFAULT_RUNS = 100;
export const DEFAULT_OUT = 'memmap-sim-check';

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(n > 0)) throw new InputError('--time-limit', `must be a number of seconds > 0, got "${value}"`);
  return n;
}

function selection(o: CheckOptions): StrategySelection {
  const groups = [o.all && 'all', o.allCorrect && 'correct', o.allKnownBad && 'known-bad'].filter((g): g is 'all' | 'correct' | 'known-bad' => Boolean(g));
  if (groups.length + (o.strategy?.length ? 1 : 0) > 1)
    throw new InputError('--strategy', 'give --strategy, --all, --all-correct or --all-known-bad, only one of them');
  const user = (o.strategyFile ?? []).map((f) => loadStrategyFile(f));
  return groups.length ? { all: groups[0], user } : { strategy: o.strategy ?? [], user };
}

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

/** `check` (a campaign over generated machines) and `merge` (shard results into the whole). */
export function registerCheckCommands(program: Command): void {
  program
    .command('check')
    .description('search generated machines and schedules for violations and runs that never end; shrink the first found')
    .option('--strategy <name>', 'a strategy to check; repeat for several', collect)
    .option('--strategy-file <file>', 'a strategy you wrote (JSON/YAML, docs/scenario.md); repeat for several', collect)
    .option('--all', 'every strategy')
    .option('--all-correct', 'every strategy not known to be bad (exit 0 expected)')
    .option('--all-known-bad', 'every known-bad strategy (each should be found)')
    .option('--runs <n>', `runs per strategy (default ${DEFAULT_RUNS})`, wholeNumber('--runs', 1), DEFAULT_RUNS)
    .option('--seed <n>', 'campaign seed (default 1)', wholeNumber('--seed', 0), 1)
    .option('--time-limit <s>', 'wall-clock seconds per strategy after which no run starts', seconds)
    .option('--exhaustive', 'each run explores every order of same-time events, up to a bound (tiny machines)')
    .option('--workers <n>', 'worker threads (default 1: this thread)', wholeNumber('--workers', 1), 1)
    .option('--shard <I/N>', 'run shard I of N of the campaign (default: from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID)')
    .option('--shard-count <n>', 'shard count for JOB_COMPLETION_INDEX (default MEMMAP_SIM_SHARDS)', wholeNumber('--shard-count', 1))
    .option('--scope <name>', 'machine sizes: tiny, small (default), big (namespaces up to 4 TiB), exhaustive', 'small')
    .option('--json', 'print one JSON array, one entry per strategy')
    .option('--out <dir>', `folder for the minimal scenarios (default ${DEFAULT_OUT})`, DEFAULT_OUT)
    .action(async (o: CheckOptions) => {
      const strategies = selectStrategies(selection(o));
      const scope = o.exhaustive && o.scope === 'small' ? 'exhaustive' : parseScope(o.scope);
      const shard = o.shard === undefined ? shardFromEnv(process.env, o.shardCount) : parseShard(o.shard);
      const reports = await runCampaign({
        strategies,
        runs: o.runs,
        seed: o.seed,
        scope,
        timeLimitS: o.timeLimit,
        workers: o.workers,
        shard,
        exhaustive: o.exhaustive,
        outDir: o.out,
      });
      print(o.json ? JSON.stringify(reports) : renderCheck(reports));
      if (reports.some((r) => r.found > 0)) throw new ExitWith(1);
    });

  program
    .command('merge')
    .description('join the JSON results of the shards of a check campaign into the whole campaign')
    .argument('<files...>', 'shard results (check --json output)')
    .option('--json', 'print one JSON array (as check --json)')
    .action((files: string[], o: { json?: boolean }) => {
      const shards = files.map((f, i) => {
        const text = readBoundedFile(f, `FILES[${i}]`, MAX_SHARD_BYTES, 'a shard result');
        try {
          return JSON.parse(text);
        } catch (e) {
          throw new InputError(`FILES[${i}]`, `cannot read ${f} as JSON: ${(e as Error).message}`);
        }
      });
      const reports = mergeShards(shards);
      print(o.json ? JSON.stringify(reports) : renderCheck(reports));
      if (reports.some((r) => r.found > 0)) throw new ExitWith(1);
    });
}
