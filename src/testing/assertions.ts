/**
 * Checks on a run result for property tests. They throw a plain Error, so they
 * work inside `fc.assert` under any test runner.
 */
import type { RunResult } from '../api/result.js';
import type { IssueReport } from '../observe/issues.js';

type Checked = Pick<RunResult, 'scenario' | 'strategy' | 'violations' | 'findings' | 'engine'>;

const line = (i: IssueReport) => `${i.invariant} ${i.kind} at ${i.place} (x${i.count}): ${i.message}`;
const sortedKinds = (issues: readonly IssueReport[]) => [...new Set(issues.map((i) => i.kind))].sort();

/** The distinct kinds of the run's violations, sorted (e.g. ['dax-before-init']). */
export function violationKinds(result: Pick<RunResult, 'violations'>): string[] {
  return sortedKinds(result.violations);
}

/** The distinct kinds of the run's findings (wasted work, not hazards), sorted (e.g. ['redundant-pass']). */
export function findingKinds(result: Pick<RunResult, 'findings'>): string[] {
  return sortedKinds(result.findings);
}

/** Throws unless the run reached quiescence with no violation. Findings are allowed. */
export function assertClean(result: Checked, label = ''): void {
  const where = `${label ? `${label}: ` : ''}${result.scenario} under ${result.strategy}`;
  const problems: string[] = [];
  if (result.engine.outcome !== 'quiescent') problems.push(`run ended ${result.engine.outcome}, not quiescent`);
  for (const v of result.violations) problems.push(line(v));
  if (problems.length) throw new Error(`${where}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
}

/** Throws unless the run reported at least one violation of `kind`; returns those reports. */
export function assertCaught(result: Checked, kind: string, label = ''): IssueReport[] {
  const hits = result.violations.filter((v) => v.kind === kind);
  if (!hits.length) {
    const seen = violationKinds(result);
    throw new Error(
      `${label ? `${label}: ` : ''}${result.scenario} under ${result.strategy}: no ${kind} violation (saw ${seen.length ? seen.join(', ') : 'none'})`,
    );
  }
  return hits;
}
