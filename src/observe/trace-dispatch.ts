import type { TraceEvent, TraceType } from '../model/trace-events.js';

/**
 * Hands each trace event to the readers of its type only, in the order they
 * were added: what an RxJS Subject with one filtering operator per checker
 * does, without calling every checker for every event.
 */
export class TraceDispatch {
  private readonly byType = new Map<TraceType, ((event: TraceEvent) => void)[]>();

  add(reads: readonly TraceType[], read: (event: TraceEvent) => void): void {
    for (const type of new Set(reads)) {
      const readers = this.byType.get(type);
      if (readers) readers.push(read);
      else this.byType.set(type, [read]);
    }
  }

  next(event: TraceEvent): void {
    const readers = this.byType.get(event.type);
    if (readers === undefined) return;
    for (let i = 0; i < readers.length; i++) readers[i](event);
  }
}
