/**
 * A set of pfns as sorted, disjoint, non-adjacent [start, end) intervals.
 * Work arrives in long runs, so the set stays a handful of intervals.
 */
export class IntervalSet {
  private starts: number[] = [];
  private ends: number[] = [];

  get intervals(): number {
    return this.starts.length;
  }

  /** Pages in the set. */
  size(): number {
    let n = 0;
    for (let i = 0; i < this.starts.length; i++) n += this.ends[i] - this.starts[i];
    return n;
  }

  /** Index of the first interval whose end is > pfn. */
  private lower(pfn: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] <= pfn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(pfn: number): boolean {
    const i = this.lower(pfn);
    return i < this.starts.length && this.starts[i] <= pfn;
  }

  /** The part of [start, end) already in the set, as intervals. */
  overlap(start: number, end: number): [number, number][] {
    const out: [number, number][] = [];
    if (end <= start) return out;
    for (let i = this.lower(start); i < this.starts.length && this.starts[i] < end; i++) {
      out.push([Math.max(start, this.starts[i]), Math.min(end, this.ends[i])]);
    }
    return out;
  }

  /** The part of [start, end) not in the set, as intervals. */
  gaps(start: number, end: number): [number, number][] {
    const out: [number, number][] = [];
    let at = start;
    for (const [s, e] of this.overlap(start, end)) {
      if (s > at) out.push([at, s]);
      at = e;
    }
    if (at < end) out.push([at, end]);
    return out;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    // Merge every interval touching [start, end].
    const i = this.lower(start - 1);
    let j = i;
    let s = start;
    let e = end;
    while (j < this.starts.length && this.starts[j] <= end) {
      s = Math.min(s, this.starts[j]);
      e = Math.max(e, this.ends[j]);
      j++;
    }
    this.starts.splice(i, j - i, s);
    this.ends.splice(i, j - i, e);
  }
}
