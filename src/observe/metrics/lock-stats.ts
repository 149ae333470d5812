import { metric, type Metric } from './metric.js';

export interface LockStats {
  readonly name: string;
  readonly acquisitions: number;
  readonly holdNs: number;
  readonly writeHoldNs: number;
  readonly readHoldNs: number;
  readonly waitNs: number;
  readonly maxWaitNs: number;
}

/** Hold and wait totals per lock. */
export function lockStats(): Metric<LockStats[]> {
  return metric(['lock.acquired', 'lock.released'], () => {
    const stats = new Map<string, { -readonly [K in keyof LockStats]: LockStats[K] }>();
    const get = (name: string) => {
      let s = stats.get(name);
      if (!s) stats.set(name, (s = { name, acquisitions: 0, holdNs: 0, writeHoldNs: 0, readHoldNs: 0, waitNs: 0, maxWaitNs: 0 }));
      return s;
    };
    return {
      next(e) {
        if (e.type === 'lock.acquired') {
          const s = get(e.lock);
          s.acquisitions++;
          s.waitNs += e.waitNs;
          s.maxWaitNs = Math.max(s.maxWaitNs, e.waitNs);
        } else if (e.type === 'lock.released') {
          const s = get(e.lock);
          s.holdNs += e.heldNs;
          if (e.mode === 'write') s.writeHoldNs += e.heldNs;
          else s.readHoldNs += e.heldNs;
        }
      },
      result: () => [...stats.values()],
    };
  });
}
