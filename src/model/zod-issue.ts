import { didYouMean } from './nearest-name.js';
import type { z } from 'zod';
import { InputError } from './input-error.js';

/**
 * A zod path as the scenario docs write it: `strategy.steps[3].mode`. A
 * prefix ending in a space (`--strategy-file s.yaml: `) is followed by the
 * bare path.
 */
export function pathOf(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out && !out.endsWith(' ') ? `.${String(p)}` : String(p);
  return out.trimEnd();
}

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

/** One zod issue as a rule a user can act on, in one line. */
export function ruleOf(issue: z.core.$ZodIssue): { path: readonly PropertyKey[]; rule: string } {
  switch (issue.code) {
    case 'invalid_value':
      return { path: issue.path, rule: issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of ${list(issue.values)}` };
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return { path: issue.path, rule: `must be one of ${list(options)}` };
      }
      return { path: issue.path, rule: issue.message };
    case 'unrecognized_keys':
      return { path: [...issue.path, issue.keys[0]], rule: 'unknown field' };
    case 'invalid_type':
      return { path: issue.path, rule: /received undefined/.test(issue.message) ? 'is required' : `must be a ${issue.expected}` };
    case 'too_small':
      return { path: issue.path, rule: issue.origin === 'array' ? `needs at least ${issue.minimum} item(s)` : `must be >= ${issue.minimum}` };
    case 'too_big':
      return { path: issue.path, rule: issue.origin === 'array' ? `has more than ${issue.maximum} items (the limit)` : `must be <= ${issue.maximum}` };
    default:
      return { path: issue.path, rule: issue.message };
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** The first issue of a failed parse of `input` as an InputError; `prefix` names where the document came from. */
export function inputErrorOf(error: z.ZodError, prefix: string, input?: unknown): InputError {
  const issue = error.issues[0];
  const missing = issue.code !== 'unrecognized_keys' && issue.path.length > 0 && valueAt(input, issue.path) === undefined;
  const { path, rule } = missing ? { path: issue.path, rule: 'is required' } : ruleOf(issue);
  const given = valueAt(input, issue.path);
  const hint = issue.code === 'invalid_value' && typeof given === 'string' ? didYouMean(given, issue.values.map(String)) : '';
  return new InputError(pathOf(path, prefix) || '(document)', rule + hint);
}
