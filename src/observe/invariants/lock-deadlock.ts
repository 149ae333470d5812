import type { LockMode, TraceEvent, TraceOf } from '../../model/trace-events.js';
import { checker, type Checker } from '../issues.js';

/**
 * I4, second half: no deadlock. At the end of the run, every lock request
 * still waiting is an edge of the wait-for graph, from the waiter to each
 * holder of that lock in a conflicting mode; a cycle (a holder waiting on
 * itself counts: a percpu rwsem cannot be taken for read by its writer) is
 * a deadlock, reported with the actors around the cycle and the lock events
 * that built it.
 */
export function lockDeadlock(): Checker {
  return checker(['lock.request', 'lock.acquired', 'lock.released'], () => {
    const holders = new Map<string, Map<string, LockMode>>();
    const waiting = new Map<string, TraceOf<'lock.request'>>();
    const history = new Map<string, TraceEvent[]>();
    const note = (holder: string, e: TraceEvent) => {
      const h = history.get(holder) ?? [];
      h.push(e);
      history.set(holder, h.slice(-4));
    };
    return {
      next(e) {
        if (e.type === 'lock.request') {
          waiting.set(e.holder, e);
          note(e.holder, e);
        } else if (e.type === 'lock.acquired') {
          waiting.delete(e.holder);
          if (!holders.has(e.lock)) holders.set(e.lock, new Map());
          holders.get(e.lock)!.set(e.holder, e.mode);
          note(e.holder, e);
        } else if (e.type === 'lock.released') {
          holders.get(e.lock)?.delete(e.holder);
          note(e.holder, e);
        }
      },
      complete(report) {
        // waiter -> holders it waits for (a writer waits for everyone, a reader for writers)
        const edges = new Map<string, string[]>();
        for (const [waiter, req] of waiting) {
          const held = [...(holders.get(req.lock) ?? new Map<string, LockMode>()).entries()];
          edges.set(
            waiter,
            held.filter(([, mode]) => req.mode === 'write' || mode === 'write').map(([h]) => h),
          );
        }
        const seen = new Set<string>();
        for (const start of edges.keys()) {
          if (seen.has(start)) continue;
          const path: string[] = [];
          const onPath = new Set<string>();
          const walk = (n: string): string[] | null => {
            if (onPath.has(n)) return path.slice(path.indexOf(n));
            if (seen.has(n)) return null;
            seen.add(n);
            onPath.add(n);
            path.push(n);
            for (const m of edges.get(n) ?? []) {
              const cycle = walk(m);
              if (cycle) return cycle;
            }
            onPath.delete(n);
            path.pop();
            return null;
          };
          const cycle = walk(start);
          if (!cycle) continue;
          const req = waiting.get(cycle[0])!;
          // Waiters whose wait-for chain ends in the cycle are stuck behind it.
          const inCycle = new Set(cycle);
          const reaches = (n: string, depth = 0): boolean => inCycle.has(n) || (depth < edges.size && (edges.get(n) ?? []).some((m) => reaches(m, depth + 1)));
          const behind = [...edges.keys()].filter((w) => !inCycle.has(w) && reaches(w)).sort();
          report({
            severity: 'violation',
            invariant: 'I4',
            kind: 'deadlock',
            place: req.lock,
            atNs: req.t,
            message:
              (cycle.length === 1
                ? `${cycle[0]} waits for ${req.lock} (${req.mode}) while it holds it itself: it never returns`
                : `deadlock: ${cycle.map((a, i) => `${a} waits for ${waiting.get(a)!.lock} held by ${cycle[(i + 1) % cycle.length]}`).join(', ')}`) +
              (behind.length ? `; ${behind.length} more waiting behind it (${behind.join(', ')})` : ''),
            actors: [...cycle, ...behind],
            history: cycle.flatMap((a) => history.get(a) ?? []).sort((x, y) => x.t - y.t),
          });
        }
      },
    };
  });
}
