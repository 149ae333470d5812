import { EventQueue, type QueueEntry } from './event-queue.js';
import type { SeededRandom } from './random.js';
import { RecentTimers, type TimerLabel } from './recent-timers.js';

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
  private nextLabel: TimerLabel | undefined;
  /** Labels of the last timers fired, for naming what repeats in a stuck run. */
  readonly recent = new RecentTimers();

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
    const label = this.nextLabel;
    this.nextLabel = undefined;
    return this.schedule(fn, timeout, Priority.actor, label);
  }

  /** Labels the next `setTimeout` (XState's scheduler does not pass what it delivers). */
  labelNext(label: TimerLabel): void {
    this.nextLabel = label;
  }

  clearTimeout(id: QueueEntry | undefined): void {
    if (id) this.queue.cancel(id);
  }

  schedule(fn: () => void, delayNs: number, priority: number = Priority.engine, label?: TimerLabel): QueueEntry {
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
      label,
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
    this.recent.record(entry.label);
    entry.fn();
    return true;
  }
}
