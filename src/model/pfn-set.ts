import { PfnMap } from './pfn-map.js';
import type { PfnRange } from './scenario.js';

/**
 * A persistent set of pfns as sorted, disjoint, non-adjacent [start, end)
 * intervals (a PfnMap from start to end): `add` returns a new set and leaves
 * this one as it was, at the cost of the few leaves it touches.
 */
export class PfnSet {
  private constructor(private readonly intervals: PfnMap<number>) {}

  static empty(): PfnSet {
    return new PfnSet(PfnMap.empty());
  }

  /** The part of [startPfn, endPfn) in the set, as ranges. */
  overlap(startPfn: number, endPfn: number): PfnRange[] {
    if (endPfn <= startPfn) return [];
    const out: PfnRange[] = [];
    const before = this.intervals.floor(startPfn - 1);
    if (before && before[1] > startPfn) out.push({ startPfn, endPfn: Math.min(endPfn, before[1]) });
    for (const [s, e] of this.intervals.range(startPfn, endPfn)) out.push({ startPfn: s, endPfn: Math.min(endPfn, e) });
    return out;
  }

  /** This set with [startPfn, endPfn) added, merged with every interval it touches. */
  add(startPfn: number, endPfn: number): PfnSet {
    if (endPfn <= startPfn) return this;
    let s = startPfn;
    let e = endPfn;
    const before = this.intervals.floor(startPfn - 1);
    if (before && before[1] >= startPfn) [s, e] = [before[0], Math.max(e, before[1])];
    const touching = this.intervals.range(startPfn, endPfn + 1);
    if (touching.length > 0) e = Math.max(e, touching[touching.length - 1][1]);
    return new PfnSet(this.intervals.replace(s, endPfn + 1, [[s, e]]));
  }
}
