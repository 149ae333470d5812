import { Observable, type OperatorFunction } from 'rxjs';
import type { TraceEvent } from '../model/trace-events.js';

/** One occurrence of a broken invariant (violation) or of wasted work (finding). */
export interface Issue {
  readonly severity: 'violation' | 'finding';
  /** Invariant id from design.md §4 (I1..I8). */
  readonly invariant: string;
  /** Short machine-readable name, e.g. `double-init`. */
  readonly kind: string;
  /** Where: a namespace, zone or lock name. */
  readonly place: string;
  readonly atNs: number;
  readonly message: string;
  readonly pfns?: readonly [number, number];
  readonly actors?: readonly string[];
  /** The events that explain it, oldest first. */
  readonly history?: readonly TraceEvent[];
  readonly pages?: number;
  readonly costNs?: number;
  /** Occurrences this one stands for (an actor may fold many reads into one event). Default 1. */
  readonly weight?: number;
}

/** Occurrences of one kind at one place, reported once with a count. */
export interface IssueReport extends Issue {
  readonly count: number;
  /** The first few occurrences (the first is the report itself). */
  readonly examples: readonly Issue[];
}

export const EXAMPLES_KEPT = 3;

/**
 * Folds occurrences into one report per (severity, invariant, kind, place), in
 * order of first occurrence: a bug that fires a million times costs a counter,
 * not a million objects.
 */
export function aggregateIssues(): OperatorFunction<Issue, IssueReport[]> {
  return (source) =>
    new Observable<IssueReport[]>((sub) => {
      const reports = new Map<string, { first: Issue; count: number; examples: Issue[] }>();
      return source.subscribe({
        next(issue) {
          const key = `${issue.severity}|${issue.invariant}|${issue.kind}|${issue.place}`;
          const r = reports.get(key);
          const n = issue.weight ?? 1;
          if (!r) reports.set(key, { first: issue, count: n, examples: [issue] });
          else {
            r.count += n;
            if (r.examples.length < EXAMPLES_KEPT) r.examples.push(issue);
          }
        },
        error: (e) => sub.error(e),
        complete() {
          sub.next([...reports.values()].map((r) => ({ ...r.first, count: r.count, examples: r.examples })));
          sub.complete();
        },
      });
    });
}

/**
 * Builds a checker operator from a per-event step and an end-of-run step;
 * both push issues through `report`. The state lives in the closure, one per
 * subscription.
 */
export function checker(
  make: () => { next(event: TraceEvent, report: (i: Issue) => void): void; complete?(report: (i: Issue) => void): void },
): OperatorFunction<TraceEvent, Issue> {
  return (source) =>
    new Observable<Issue>((sub) => {
      const c = make();
      const report = (i: Issue) => sub.next(i);
      return source.subscribe({
        next: (e) => c.next(e, report),
        error: (e) => sub.error(e),
        complete() {
          c.complete?.(report);
          sub.complete();
        },
      });
    });
}
