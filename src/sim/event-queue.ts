import type { TimerLabel } from './recent-timers.js';

/**
 * A binary min-heap of timed entries, ordered by (time, priority, tie, seq).
 * `tie` is 0 unless the run explores interleavings, in which case the seeded
 * random source fills it; `seq` (insertion order) makes every order total, so
 * equal inputs always pop in the same order.
 */
export interface QueueEntry {
  readonly time: number;
  readonly priority: number;
  readonly tie: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
  /** What the timer delivers, when known (XState delayed events). */
  readonly label?: TimerLabel;
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  if (a.tie !== b.tie) return a.tie < b.tie;
  return a.seq < b.seq;
}

export class EventQueue {
  private readonly heap: QueueEntry[] = [];
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(entry: QueueEntry): void {
    const heap = this.heap;
    heap.push(entry);
    this.live++;
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  /** Marks an entry cancelled; it is dropped lazily when it reaches the top. */
  cancel(entry: QueueEntry): void {
    if (!entry.cancelled) {
      entry.cancelled = true;
      this.live--;
    }
  }

  /** The earliest live entry, without removing it. */
  peek(): QueueEntry | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  pop(): QueueEntry | undefined {
    this.dropCancelled();
    const top = this.removeTop();
    if (top) this.live--;
    return top;
  }

  /**
   * Removes and returns every live entry that shares the earliest (time,
   * priority), in insertion order, so a chooser's index means the same thing
   * on every re-execution.
   */
  takeTies(): QueueEntry[] {
    const first = this.pop();
    if (!first) return [];
    const ties = [first];
    for (;;) {
      const next = this.peek();
      if (!next || next.time !== first.time || next.priority !== first.priority) break;
      ties.push(this.pop()!);
    }
    return ties.sort((a, b) => a.seq - b.seq);
  }

  /** Live entries in heap order (no particular order): for digests of what is pending. */
  liveEntries(): QueueEntry[] {
    return this.heap.filter((e) => !e.cancelled);
  }

  /** Drops every entry: a run stopped by its chooser ends here. */
  clear(): void {
    for (const e of this.heap) e.cancelled = true;
    this.heap.length = 0;
    this.live = 0;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): QueueEntry | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }
}
