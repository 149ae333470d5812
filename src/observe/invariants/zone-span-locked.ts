import type { TraceEvent, TraceOf } from '../../model/trace-events.js';
import { checker, type Checker } from '../issues.js';

/**
 * I4: zone and node spans change only under mem_hotplug_lock held for write
 * by the actor changing them (since v5.14 nothing else serializes them); a
 * read hold is not enough, since other readers resize or walk the span too.
 */
export function zoneSpanLocked(lockName = 'mem_hotplug_lock'): Checker {
  return checker(['lock.acquired', 'lock.released', 'zone.resize'], () => {
    let writer: string | null = null;
    const readers = new Set<string>();
    const lastLockEvent = new Map<string, TraceEvent>();
    const holding = (e: TraceOf<'zone.resize'>) =>
      writer ? `${writer} held ${lockName} for write` : readers.has(e.by) ? `${e.by} held ${lockName} only for read` : `${lockName} was not held for write`;
    return {
      next(e, report) {
        if ((e.type === 'lock.acquired' || e.type === 'lock.released') && e.lock === lockName) {
          lastLockEvent.set(e.holder, e);
          if (e.mode === 'write') writer = e.type === 'lock.acquired' ? e.holder : null;
          else if (e.type === 'lock.acquired') readers.add(e.holder);
          else readers.delete(e.holder);
        } else if (e.type === 'zone.resize' && writer !== e.by) {
          const last = lastLockEvent.get(e.by);
          report({
            severity: 'violation',
            invariant: 'I4',
            kind: 'resize-without-write-lock',
            place: e.zone,
            atNs: e.t,
            message: `${e.zone} span changed by ${e.by} while ${holding(e)}`,
            pfns: [e.startPfn, e.endPfn],
            actors: writer ? [e.by, writer] : [e.by],
            history: last ? [last, e] : [e],
          });
        }
      },
    };
  });
}
