import type { Command } from 'commander';
import { advise, SPEEDUP_SHARE, type Advice } from '../api/advise.js';
import { calibrate, parseMeasure } from '../api/calibrate.js';
import { loadProfile, loadScenario, loadUncertainty } from '../api/load-scenario.js';
import { ExitWith } from './exit-with.js';
import { collect } from './options.js';
import { duration, table } from './table.js';

function render(a: Advice, source: string): string {
  const pm = (v: number | null) => (v === null ? '' : ` ± ${duration(v)}`);
  const range =
    a.threadsRange && a.threadsRange[0] !== a.threadsRange[1] ? ` (${a.threadsRange[0]}-${a.threadsRange[1]} within the calibration's uncertainty)` : '';
  return (
    `${a.scenario}: advice from ${source}\n` +
    `threads per node: ${a.threads} of ${a.cpus}${range}: speedup ${a.speedup.toFixed(2)}x, ${Math.round(100 * SPEEDUP_SHARE)}% of the best ${a.bestSpeedup.toFixed(2)}x\n` +
    `chunk: ${a.chunkPages} pages (${a.chunkMiB} MiB) per padata grab at ${a.threads} threads\n` +
    `strategy: ${a.strategy}\n` +
    `boot: ${duration(a.todayBootMs)} as given, ${duration(a.advisedBootMs)} advised: ${a.savedMs >= 0 ? 'saves' : 'costs'} ${duration(Math.abs(a.savedMs))}${pm(a.savedMsUncertainty)}` +
    `${a.threads < a.cpus ? `, and leaves ${a.cpus - a.threads} CPUs per node free` : ''}\n\n` +
    table([['strategy', 'boot', 'deferred init'], ...a.strategies.map((s) => [s.name, duration(s.bootMs), duration(s.deferredInitMs)])])
  );
}

export function registerAdviseCommand(program: Command): void {
  program
    .command('advise')
    .description('threads per node, chunk size and boot strategy for a machine, and the boot time they save, with their uncertainty')
    .argument('<scenario>', 'a built-in scenario name (see `list`) or a JSON/YAML file with a boot section')
    .option('--profile <file>', 'hardware profile (JSON/YAML); a calibrate --json document also gives its uncertainty')
    .option('--measure <threads:ms>', 'calibrate first on measured deferred-init times (as calibrate --measure); repeat', collect)
    .option('--json', 'print one JSON document')
    .action((ref: string, opts: { profile?: string; measure?: string[]; json?: boolean }) => {
      const { input, name } = loadScenario(ref);
      let profile = opts.profile ? loadProfile(opts.profile) : undefined;
      let uncertainty = opts.profile ? loadUncertainty(opts.profile) : undefined;
      let source = opts.profile ? `profile ${opts.profile}` : "the scenario's profile (no calibration: no uncertainty)";
      if (opts.measure?.length) {
        const c = calibrate(
          input,
          opts.measure.map((m) => parseMeasure(m, '--measure')),
          { name, base: profile },
        );
        if (!c.fit.withinTolerance) {
          process.stderr.write(`memmap-sim: advise: the calibration failed (${c.fit.reason}); no advice\n`);
          throw new ExitWith(1);
        }
        [profile, uncertainty, source] = [c.profile, c.fit.uncertainty, `a calibration on ${opts.measure.join(', ')}`];
      }
      const a = advise(input, { name, profile, uncertainty });
      process.stdout.write(opts.json ? `${JSON.stringify(a)}\n` : render(a, source));
    });
}
