import type { Command } from 'commander';
import { z } from 'zod';
import { listScenarios } from '../api/load-scenario.js';
import { PROFILES } from '../model/profiles/index.js';
import { ScenarioSchema } from '../model/scenario-schema.js';
import { BOOT_STRATEGIES } from '../model/boot-strategies.js';
import { STRATEGIES } from '../model/strategies.js';
import { wholeNumber } from './options.js';
import { outputWidth, wrappedTable } from './wrap-table.js';

/** The JSON Schema of scenario files, generated from the zod schema. */
export function scenarioJsonSchema(): object {
  return {
    ...z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'memmap-sim scenario',
  };
}

export function registerInfoCommands(program: Command): void {
  program
    .command('list')
    .description('list built-in scenarios, strategies and hardware profiles')
    .option('--json', 'print one JSON document')
    .option('--width <n>', 'wrap descriptions to this many columns (default: the terminal width, or 100; 0: no wrapping)', wholeNumber('--width', 0))
    .action((opts: { json?: boolean; width?: number }) => {
      const scenarios = listScenarios().map(({ name, description }) => ({ name, description }));
      const strategies = [...STRATEGIES.values()].map(({ name, status, defaultThreads, summary }) => ({ name, status, defaultThreads, summary }));
      const bootStrategies = [...BOOT_STRATEGIES.values()].map(({ name, status, threads, summary }) => ({ name, status, threads, summary }));
      const profiles = [...PROFILES.values()].map(({ name, description }) => ({ name, description }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ scenarios, strategies, bootStrategies, profiles })}\n`);
        return;
      }
      const width = outputWidth(opts.width);
      const table = (rows: string[][]) => wrappedTable(rows, width);
      const out = [
        'scenarios',
        table([['name', 'description'], ...scenarios.map((s) => [s.name, s.description])]),
        'strategies',
        table([['name', 'status', 'threads', 'summary'], ...strategies.map((s) => [s.name, s.status, String(s.defaultThreads), s.summary])]),
        'boot strategies (scenarios with a boot section)',
        table([['name', 'status', 'threads', 'summary'], ...bootStrategies.map((s) => [s.name, s.status, s.threads === 'one' ? '1' : 'node CPUs', s.summary])]),
        'profiles',
        table([['name', 'description'], ...profiles.map((p) => [p.name, p.description])]),
      ];
      process.stdout.write(out.join('\n'));
    });

  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .action(() => {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });
}
