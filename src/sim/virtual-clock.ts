import { EventQueue, type QueueEntry } from './event-queue.js';
import type { SeededRandom } from './random.js';

/** Timers due at the same instant run in priority order: lower first. */
/** XState's Clock interface (not exported by xstate's index). */
export interface Clock {
  setTimeout(fn: (...args: any[]) => void, timeout: number): any;
  clearTimeout(id: any): void;
}

export const Priority = {
  /** XState delayed events (the default for every machine delay). */
  actor: 0,
  /** Work scheduled by the engine itself after actors have settled. */
  engine: 10,
} as const;

/**
 * XState's `Clock`, driven by a heap instead of the wall clock. Time is
 * simulated nanoseconds and only moves when the run loop pops the next entry,
 * so causality holds: nothing fires before the timers due earlier.
 * Ties are FIFO unless `explore` is set, when the seeded source orders them.
 */
export class VirtualClock implements Clock {
  private readonly queue = new EventQueue();
  private nowNs = 0;
  private seq = 0;
  private fired = 0;

  constructor(private readonly random?: SeededRandom, private readonly explore = false) {}

  now(): number {
    return this.nowNs;
  }

  get pending(): number {
    return this.queue.size;
  }

  get eventsFired(): number {
    return this.fired;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): QueueEntry {
    return this.schedule(fn, timeout, Priority.actor);
  }

  clearTimeout(id: QueueEntry | undefined): void {
    if (id) this.queue.cancel(id);
  }

  schedule(fn: () => void, delayNs: number, priority: number = Priority.engine): QueueEntry {
    if (!(delayNs >= 0) || !Number.isFinite(delayNs)) {
      throw new RangeError(`delay must be a finite, non-negative number of ns, got ${delayNs}`);
    }
    const entry: QueueEntry = {
      time: this.nowNs + delayNs,
      priority,
      tie: this.explore && this.random ? this.random.next() : 0,
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.queue.push(entry);
    return entry;
  }

  /** Time of the next live timer, or undefined when idle. */
  nextTime(): number | undefined {
    return this.queue.peek()?.time;
  }

  /** Pops and runs the next timer; false when there is none. */
  step(): boolean {
    const entry = this.queue.pop();
    if (!entry) return false;
    this.nowNs = entry.time;
    this.fired++;
    entry.fn();
    return true;
  }
}
