import fc from 'fast-check';
import { caseArb, type CheckCase, type Scope } from './scopes.js';
import type { Family } from './strategies.js';

const arbs = new Map<string, fc.Arbitrary<CheckCase>>();

/** The arbitrary of a family and scope, built once per process. */
export function arbOf(family: Family, scope: Scope): fc.Arbitrary<CheckCase> {
  const key = `${family}/${scope}`;
  let arb = arbs.get(key);
  if (!arb) arbs.set(key, (arb = caseArb(family, scope)));
  return arb;
}

/** The case fast-check draws first from `seed`: the same one `fc.check` with that seed runs first. */
export function drawCase(family: Family, scope: Scope, seed: number): CheckCase {
  return fc.sample(arbOf(family, scope), { seed, numRuns: 1 })[0];
}
