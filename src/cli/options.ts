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
