import type { Command } from 'commander';
import { InputError } from '../model/input-error.js';

/** Commander argument parsers that name the flag and the rule on bad input. */
export function wholeNumber(flag: string, min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InputError(flag, `must be a whole number >= ${min}, got "${value}"`);
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InputError(flag, `must be a whole number >= ${min}, got "${value}"`);
    return n;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The flags every command that simulates a scenario takes, after --strategy. */
export function withScenarioFlags(command: Command): Command {
  return command
    .option('--threads <n>', 'threads for multithreaded strategies (boot: padata max_threads)', wholeNumber('--threads', 1))
    .option('--seed <n>', 'seed for tie-breaking and jitter', wholeNumber('--seed', 0))
    .option('--profile <file>', 'hardware profile overrides (JSON/YAML), e.g. from calibrate --json')
    .option('--geometry <size>', 'compound page size of every devdax namespace: 4K, 2M or 1G (docs/compound-devmaps.md)');
}
