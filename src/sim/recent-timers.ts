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
  private readonly ring: (TimerLabel | undefined)[];
  private at = 0;

  constructor(readonly size = 1024) {
    this.ring = new Array<TimerLabel | undefined>(size);
  }

  record(label: TimerLabel | undefined): void {
    this.ring[this.at] = label;
    this.at = (this.at + 1) % this.size;
  }

  /** The most frequent label (ties: the one fired last), or undefined if none was recorded. */
  mostFrequent(): Repeating | undefined {
    const counts = new Map<string, { label: TimerLabel; n: number }>();
    let best: { label: TimerLabel; n: number } | undefined;
    // Oldest to newest, so `>=` lets the newest win a tie.
    for (let k = 0; k < this.size; k++) {
      const label = this.ring[(this.at + k) % this.size];
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
