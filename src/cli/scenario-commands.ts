import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseBootLog, readLog, scenarioFromLog } from '../api/dmesg/index.js';
import { parseScenario } from '../model/scenario.js';
import { InputError } from '../model/input-error.js';

/** `scenario from-dmesg`: scenarios made from what a machine says about itself. */
export function registerScenarioCommands(program: Command): void {
  const group = program.command('scenario').description('make scenarios: from-dmesg builds one from a kernel boot log');
  group
    .command('from-dmesg')
    .description('write a boot scenario of the machine a kernel boot log (dmesg, serial console) came from')
    .argument('<file>', 'the boot log: a regular file of at most 16 MiB')
    .option('--out <file>', 'write the scenario to this file instead of stdout')
    .action((file: string, opts: { out?: string }) => {
      const scenario = scenarioFromLog(parseBootLog(readLog(file), file));
      // What we write must load: a bug here is ours, but the user sees it as one line.
      parseScenario(scenario);
      const text = `${JSON.stringify(scenario, null, 2)}\n`;
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      try {
        writeFileSync(opts.out, text);
      } catch (e) {
        throw new InputError('--out', `cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      process.stdout.write(
        `wrote ${opts.out}: ${scenario.nodes.length} node(s), ${scenario.nodes.reduce((a, n) => a + n.cores * n.threadsPerCore, 0)} CPU(s)\n`,
      );
    });
  for (const c of group.commands) c.exitOverride();
  group.exitOverride();
}
