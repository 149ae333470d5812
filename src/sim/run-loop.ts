import type { VirtualClock } from './virtual-clock.js';

export interface RunLimits {
  /** Stop before the first timer due after this simulated time (ns). */
  readonly maxTimeNs?: number;
  /** Stop after this many timers have fired. */
  readonly maxEvents?: number;
}

export type RunOutcome =
  | { readonly kind: 'quiescent'; readonly events: number; readonly timeNs: number }
  | { readonly kind: 'time-limit' | 'event-limit'; readonly events: number; readonly timeNs: number };

/**
 * Drives the clock until no timer is pending (quiescence) or a limit is hit.
 * Each timer runs its XState send to completion before the next one pops, so
 * the queue alone decides every interleaving.
 */
export function runToQuiescence(clock: VirtualClock, limits: RunLimits = {}): RunOutcome {
  const maxTime = limits.maxTimeNs ?? Infinity;
  const maxEvents = limits.maxEvents ?? Infinity;
  let events = 0;
  for (;;) {
    const next = clock.nextTime();
    if (next === undefined) return { kind: 'quiescent', events, timeNs: clock.now() };
    if (next > maxTime) return { kind: 'time-limit', events, timeNs: clock.now() };
    if (events >= maxEvents) return { kind: 'event-limit', events, timeNs: clock.now() };
    clock.step();
    events++;
  }
}
