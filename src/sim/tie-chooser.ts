import { InputError } from '../model/input-error.js';
import type { QueueEntry } from './event-queue.js';

/**
 * A choice point: k > 1 live timers share the earliest (time, priority), so
 * any of them may run next. Candidates are in insertion (FIFO) order; index 0
 * is what a run without a chooser would pick.
 */
export interface ChoicePoint {
  /** Ordinal of this choice point in the run, from 0. */
  readonly index: number;
  readonly timeNs: number;
  readonly candidates: readonly QueueEntry[];
  /** The other live timers, in no particular order. */
  pending(): readonly QueueEntry[];
}

/** Returned by a chooser to end the run at once (its state was explored already). */
export const HALT = -1;

/** Picks the candidate to run, by index, or HALT. Called only when k > 1. */
export type TieChooser = (point: ChoicePoint) => number;

/**
 * Follows a recorded choice sequence, then FIFO: the replay of a path found by
 * exhaustive exploration. A choice out of range means the run is not the one
 * that was recorded.
 */
export function replayChooser(choices: readonly number[]): TieChooser {
  return (point) => {
    const c = choices[point.index] ?? 0;
    if (!Number.isInteger(c) || c < 0 || c >= point.candidates.length) {
      throw new InputError(
        'choices',
        `choice ${point.index} is ${c}, but only ${point.candidates.length} timers are due at ${point.timeNs} ns: not a path of this scenario and strategy`,
      );
    }
    return c;
  };
}
