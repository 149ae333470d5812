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

/** `--choices 0,1,0`: a choice sequence of exhaustive exploration. */
export function choiceList(flag: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((p) => p.trim());
    if (!parts.every((p) => /^\d+$/.test(p))) throw new InputError(flag, `must be whole numbers >= 0 separated by commas, got "${value}"`);
    return parts.map(Number);
  };
}

/** A finite number >= 0 (ns). */
export function nonNegative(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InputError(flag, `must be a finite number >= 0, got "${value}"`);
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
