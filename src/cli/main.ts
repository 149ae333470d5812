import { type Command, CommanderError } from 'commander';
import { SimulationError } from '../api/simulation-error.js';
import { InputError } from '../model/input-error.js';
import { ExitWith } from './exit-with.js';
import { buildProgram } from './program.js';

/**
 * Runs the CLI and returns its exit code: 0; 2 for bad input, with one line
 * on stderr naming the field or flag and the rule it broke; 1 when an actor
 * of a run threw, with one line naming the actor, or when `check` found a
 * violation or a run that did not end.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  let commanderMessage = '';
  program.configureOutput({ writeErr: (s) => (commanderMessage += s) });
  // Subcommands of command groups (`scenario from-dmesg`) report through the same sink.
  const quiet = (cs: readonly Command[]): void => {
    for (const c of cs) {
      c.configureOutput({ writeErr: (s) => (commanderMessage += s) });
      quiet(c.commands);
    }
  };
  quiet(program.commands);
  // A bare `memmap-sim` is a request for help, as with git or npm.
  if (argv.length === 0) {
    process.stdout.write(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitWith) return e.code;
    if (e instanceof InputError) {
      process.stderr.write(`memmap-sim: ${e.field}: ${e.rule}\n`);
      return 2;
    }
    if (e instanceof SimulationError) {
      process.stderr.write(`memmap-sim: internal error: ${e.actor}: ${oneLine(e.message)} (handling ${e.event})\n`);
      return 1;
    }
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) {
        if (commanderMessage) process.stdout.write(commanderMessage);
        return 0;
      }
      const line = oneCommanderLine(commanderMessage || e.message);
      process.stderr.write(`memmap-sim: ${line}\n`);
      return 2;
    }
    throw e;
  }
}

/** Commander's first line, with its "(Did you mean ...?)" suggestion kept on the same line. */
function oneCommanderLine(message: string): string {
  const [first, ...rest] = message.trim().split('\n');
  const hint = rest.find((l) => l.startsWith('(Did you mean'));
  return `${first.replace(/^error: /, '')}${hint ? ` ${hint.trim()}` : ''}`;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
