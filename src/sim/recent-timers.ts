/** What a fired timer delivered: the target actor's id and the event type. */
export interface TimerLabel {
  readonly actor: string;
  readonly event: string;
}

/** The most frequent label among the recent timers, and how often it fired there. */
export interface Repeating extends TimerLabel {
  readonly repeats: number;
}

/**
 * The labels of the last `size` fired timers, in a ring: when a run goes over
 * its budget, the label that dominates them names the actor and the event
 * that repeat. Bounded memory whatever the run length.
 */
export class RecentTimers {
  // Grows to `size` before it wraps: a run of a few timers allocates a few slots, not `size`.
  private readonly ring: (TimerLabel | undefined)[] = [];
  private at = 0;

  constructor(readonly size = 1024) {}

  record(label: TimerLabel | undefined): void {
    if (this.ring.length < this.size) this.ring.push(label);
    else this.ring[this.at] = label;
    this.at = (this.at + 1) % this.size;
  }

  /** The most frequent label (ties: the one fired last), or undefined if none was recorded. */
  mostFrequent(): Repeating | undefined {
    const counts = new Map<string, { label: TimerLabel; n: number }>();
    let best: { label: TimerLabel; n: number } | undefined;
    // Oldest to newest, so `>=` lets the newest win a tie.
    const n = this.ring.length;
    const oldest = n < this.size ? 0 : this.at;
    for (let k = 0; k < n; k++) {
      const label = this.ring[(oldest + k) % n];
      if (!label) continue;
      const key = `${label.actor}\u0000${label.event}`;
      const c = counts.get(key) ?? { label, n: 0 };
      c.n++;
      counts.set(key, c);
      if (!best || c.n >= best.n) best = c;
    }
    return best && { actor: best.label.actor, event: best.label.event, repeats: best.n };
  }
}
