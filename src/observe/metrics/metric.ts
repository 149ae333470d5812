import { Observable, type OperatorFunction } from 'rxjs';
import type { TraceEvent, TraceOf, TraceType } from '../../model/trace-events.js';

/** One run of a metric: fed the events of the types it reads, it gives its figure at the end. */
export interface MetricRun<T extends TraceType, R> {
  next(event: TraceOf<T>): void;
  result(): R;
}

/** A metric's logic: the trace event types it reads, and a fresh state per run. */
export interface MetricSpec<R, T extends TraceType = TraceType> {
  readonly reads: readonly T[];
  readonly make: () => MetricRun<T, R>;
}

/** A metric as an RxJS operator (one value when the trace completes), with its spec for callers that dispatch by type. */
export type Metric<R> = OperatorFunction<TraceEvent, R> & { readonly spec: MetricSpec<R> };

/**
 * Builds a metric from the event types it reads and a per-run fold. The
 * fold sees only those types (its parameter is narrowed to them): a run's
 * collector hands each event only to the metrics that read its type.
 */
export function metric<T extends TraceType, R>(reads: readonly T[], make: () => MetricRun<T, R>): Metric<R> {
  const types = new Set<TraceType>(reads);
  const operator: OperatorFunction<TraceEvent, R> = (source) =>
    new Observable<R>((sub) => {
      const run = make();
      return source.subscribe({
        next: (e) => {
          if (types.has(e.type)) run.next(e as TraceOf<T>);
        },
        error: (err) => sub.error(err),
        complete() {
          sub.next(run.result());
          sub.complete();
        },
      });
    });
  return Object.assign(operator, { spec: { reads, make } as unknown as MetricSpec<R> });
}
