import { Observable, type OperatorFunction } from 'rxjs';
import type { TraceEvent, TraceOf, TraceType } from '../model/trace-events.js';

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
 * Occurrences folded into one report per (severity, invariant, kind, place),
 * in order of first occurrence: a bug that fires a million times costs a
 * counter, not a million objects.
 */
export class IssueTally {
  private readonly reports = new Map<string, { first: Issue; count: number; examples: Issue[] }>();

  add(issue: Issue): void {
    const key = `${issue.severity}|${issue.invariant}|${issue.kind}|${issue.place}`;
    const r = this.reports.get(key);
    const n = issue.weight ?? 1;
    if (!r) this.reports.set(key, { first: issue, count: n, examples: [issue] });
    else {
      r.count += n;
      if (r.examples.length < EXAMPLES_KEPT) r.examples.push(issue);
    }
  }

  reportsSoFar(): IssueReport[] {
    return [...this.reports.values()].map((r) => ({ ...r.first, count: r.count, examples: r.examples }));
  }
}

/** The issues of a stream, tallied (IssueTally), emitted once when it completes. */
export function aggregateIssues(): OperatorFunction<Issue, IssueReport[]> {
  return (source) =>
    new Observable<IssueReport[]>((sub) => {
      const tally = new IssueTally();
      return source.subscribe({
        next: (issue) => tally.add(issue),
        error: (e) => sub.error(e),
        complete() {
          sub.next(tally.reportsSoFar());
          sub.complete();
        },
      });
    });
}

/** One run of a checker: fed the events of the types it reads, it pushes issues through `report`. */
export interface CheckerRun<T extends TraceType> {
  next(event: TraceOf<T>, report: (i: Issue) => void): void;
  complete?(report: (i: Issue) => void): void;
}

/** A checker's logic: the trace event types it reads, and a fresh state per run. */
export interface CheckerSpec<T extends TraceType = TraceType> {
  readonly reads: readonly T[];
  readonly make: () => CheckerRun<T>;
}

/** A checker as an RxJS operator over the whole trace, with its spec for callers that dispatch by type. */
export type Checker = OperatorFunction<TraceEvent, Issue> & { readonly spec: CheckerSpec };

/**
 * Builds a checker from the event types it reads and a per-run state with a
 * per-event step and an end-of-run step; both push issues through `report`.
 * The step sees only the types in `reads` (its parameter is narrowed to
 * them, so a test of another type does not compile): a run's collector hands
 * each event only to the checkers that read its type.
 */
export function checker<T extends TraceType>(reads: readonly T[], make: () => CheckerRun<T>): Checker {
  const types = new Set<TraceType>(reads);
  const operator: OperatorFunction<TraceEvent, Issue> = (source) =>
    new Observable<Issue>((sub) => {
      const c = make();
      const report = (i: Issue) => sub.next(i);
      return source.subscribe({
        next: (e) => {
          if (types.has(e.type)) c.next(e as TraceOf<T>, report);
        },
        error: (e) => sub.error(e),
        complete() {
          c.complete?.(report);
          sub.complete();
        },
      });
    });
  return Object.assign(operator, { spec: { reads, make } as unknown as CheckerSpec });
}
