import { InputError } from './input-error.js';

interface Claimed {
  readonly startPfn: number;
  readonly endPfn: number;
  readonly field: string;
  /** Order of claiming: an overlap names the earliest claim it meets. */
  readonly order: number;
}

/**
 * The physical ranges a scenario has claimed (DRAM, namespaces), kept sorted
 * so a claim costs a binary search, not a scan of every earlier range: a node
 * may have 10,000 DRAM ranges.
 */
export class OccupiedRanges {
  private readonly sorted: Claimed[] = [];
  private count = 0;

  /** Adds [startPfn, endPfn), or refuses it naming the earliest claimed range it overlaps. */
  claim(range: { readonly startPfn: number; readonly endPfn: number }, field: string): void {
    // Claimed ranges are disjoint, so those overlapping the new one are consecutive from the first ending after its start.
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].endPfn <= range.startPfn) lo = mid + 1;
      else hi = mid;
    }
    let hit: Claimed | null = null;
    for (let i = lo; i < this.sorted.length && this.sorted[i].startPfn < range.endPfn; i++) {
      const o = this.sorted[i];
      if (range.startPfn < o.endPfn && (!hit || o.order < hit.order)) hit = o;
    }
    if (hit) throw new InputError(field, `overlaps ${hit.field} (ranges must not overlap)`);
    this.sorted.splice(lo, 0, { startPfn: range.startPfn, endPfn: range.endPfn, field, order: this.count++ });
  }

  /** The end of the highest claimed range (0 when none). */
  endPfn(): number {
    return Math.max(0, this.sorted.at(-1)?.endPfn ?? 0);
  }
}
