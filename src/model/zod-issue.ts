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

/**
 * A union whose value matched none of its branches (a profile given as a
 * name or as an object): the branch that got furthest into the value says
 * what is wrong, with its path below the union's.
 */
function unionBranch(issue: z.core.$ZodIssue): { path: readonly PropertyKey[]; rule: string } | null {
  const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
  let best: z.core.$ZodIssue | null = null;
  for (const b of branches) if (b[0] && (!best || b[0].path.length > best.path.length)) best = b[0];
  if (!best || best.path.length === 0) {
    // No branch got inside the value: its type is wrong for all of them.
    // A branch that is itself a union of objects (a strategy definition) expects an object.
    const expected = branches.map((b) => (b[0]?.code === 'invalid_type' ? b[0].expected : b[0]?.code === 'invalid_union' ? 'object' : null));
    if (!expected.length || expected.some((e) => e === null)) return null;
    return { path: issue.path, rule: `must be a ${[...new Set(expected)].join(' or ')}` };
  }
  const inner = ruleOf(best);
  return { path: [...issue.path, ...inner.path], rule: inner.rule };
}

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
      return unionBranch(issue) ?? { path: issue.path, rule: issue.message };
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
