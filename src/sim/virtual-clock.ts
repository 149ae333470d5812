import { EventQueue, type QueueEntry } from './event-queue.js';
import type { SeededRandom } from './random.js';
import { RecentTimers, type TimerLabel } from './recent-timers.js';
import { HALT, type TieChooser } from './tie-chooser.js';

/** Timers due at the same instant run in priority order: lower first. */
/** XState's Clock interface (not exported by xstate's index). */
export interface Clock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/** How a clock explores schedules; the default is neither. */
export interface ClockExploration {
  /** Picks among timers due at the same instant. */
  readonly chooser?: TieChooser;
  /** Rounds every positive delay up to a whole number of quanta (ns): timings known only to within a quantum. */
  readonly quantumNs?: number;
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
 * Ties are FIFO unless `explore` is set, when the seeded source orders them,
 * or a `chooser` is given, when it picks among them (exhaustive exploration).
 */
export class VirtualClock implements Clock {
  private readonly queue = new EventQueue();
  private nowNs = 0;
  private seq = 0;
  private fired = 0;
  private nextLabel: TimerLabel | undefined;
  /** Labels of the last timers fired, for naming what repeats in a stuck run. */
  readonly recent = new RecentTimers();
  private choices = 0;
  private stopped = false;
  private readonly chooser?: TieChooser;
  private readonly quantumNs: number;

  constructor(
    private readonly random?: SeededRandom,
    private readonly explore = false,
    options: ClockExploration = {},
  ) {
    this.chooser = options.chooser;
    this.quantumNs = options.quantumNs ?? 0;
    if (!(this.quantumNs >= 0) || !Number.isFinite(this.quantumNs)) {
      throw new RangeError(`quantumNs must be a finite, non-negative number of ns, got ${this.quantumNs}`);
    }
  }

  now(): number {
    return this.nowNs;
  }

  get pending(): number {
    return this.queue.size;
  }

  get eventsFired(): number {
    return this.fired;
  }

  /** Choice points met so far (ties among k > 1 timers, with a chooser). */
  get choicePoints(): number {
    return this.choices;
  }

  /** True once the chooser ended the run with HALT. */
  get halted(): boolean {
    return this.stopped;
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
      time: this.dueTime(delayNs),
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
    const entry = this.chooser ? this.chosen() : this.queue.pop();
    if (!entry) return false;
    this.nowNs = entry.time;
    this.fired++;
    this.recent.record(entry.label);
    entry.fn();
    return true;
  }

  /**
   * With a quantum every positive delay ends on the next whole quantum (at
   * least one ahead, so a float rounding down cannot freeze the clock):
   * timers within one quantum of each other become ties.
   */
  private dueTime(delayNs: number): number {
    const due = this.nowNs + delayNs;
    const q = this.quantumNs;
    if (q === 0 || delayNs === 0) return due;
    return Math.max(this.nowNs + q, Math.ceil(due / q) * q);
  }

  private chosen(): QueueEntry | undefined {
    const ties = this.queue.takeTies();
    if (ties.length <= 1) return ties[0];
    const queue = this.queue;
    const pick = this.chooser!({ index: this.choices++, timeNs: ties[0].time, candidates: ties, pending: () => queue.liveEntries() });
    if (pick === HALT) {
      this.stopped = true;
      queue.clear();
      return undefined;
    }
    if (!Number.isInteger(pick) || pick < 0 || pick >= ties.length) {
      throw new RangeError(`chooser picked ${pick} of ${ties.length} timers`);
    }
    ties.forEach((e, i) => i !== pick && queue.push(e));
    return ties[pick];
  }
}
