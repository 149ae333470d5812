import { Command } from 'commander';
import { registerAdviseCommand } from './advise-command.js';
import { registerCalibrateCommand } from './calibrate-command.js';
import { registerSweepCommand } from './sweep-command.js';
import { registerCheckCommands } from './check-command.js';
import { registerInfoCommands } from './info-commands.js';
import { registerInspectCommand } from './inspect-command.js';
import { registerRunCommands } from './run-commands.js';
import { registerScenarioCommands } from './scenario-commands.js';
import { registerVmemmapCommand } from './vmemmap-command.js';

/** The `memmap-sim` command with every subcommand, ready to parse. */
export function buildProgram(): Command {
  const program = new Command('memmap-sim')
    .description('Simulate Linux memmap (struct page) initialization: time it and check its concurrency hazards')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride();
  registerRunCommands(program);
  registerSweepCommand(program);
  registerCalibrateCommand(program);
  registerAdviseCommand(program);
  registerInfoCommands(program);
  registerVmemmapCommand(program);
  registerInspectCommand(program);
  registerCheckCommands(program);
  registerScenarioCommands(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}
