import type { Repeating } from './recent-timers.js';
import type { VirtualClock } from './virtual-clock.js';

export interface RunLimits {
  /** Stop before the first timer due after this simulated time (ns). */
  readonly maxTimeNs?: number;
  /** Stop after this many timers have fired. */
  readonly maxEvents?: number;
}

/** The default bound of a run, derived from its scenario: going over it means the run is stuck. */
export interface RunBudget {
  readonly maxTimeNs: number;
  readonly maxEvents: number;
}

export interface StuckReport extends Repeating {
  /** Simulated time when the budget ran out. */
  readonly atNs: number;
}

interface Ended {
  readonly events: number;
  readonly timeNs: number;
}

export type RunOutcome =
  | (Ended & { readonly kind: 'quiescent' })
  | (Ended & { readonly kind: 'time-limit' | 'event-limit' })
  | (Ended & { readonly kind: 'stuck'; readonly stuck: StuckReport })
  | (Ended & { readonly kind: 'failed' });

/**
 * Drives the clock until no timer is pending (quiescence), a caller's limit
 * is hit, the default budget runs out (stuck), or `failed()` turns true after
 * a timer (an actor threw). Each timer runs its XState send to completion
 * before the next one pops, so the queue alone decides every interleaving.
 * Explicit limits take precedence over the budget on their own dimension.
 */
export function runToQuiescence(
  clock: VirtualClock,
  limits: RunLimits = {},
  budget: RunBudget = { maxTimeNs: Infinity, maxEvents: Infinity },
  failed: () => boolean = () => false,
): RunOutcome {
  const maxTime = limits.maxTimeNs ?? budget.maxTimeNs;
  const maxEvents = limits.maxEvents ?? budget.maxEvents;
  let events = 0;
  const end = (kind: 'quiescent' | 'time-limit' | 'event-limit' | 'failed') => ({ kind, events, timeNs: clock.now() });
  const stuck = (): RunOutcome => {
    const r = clock.recent.mostFrequent() ?? { actor: 'unknown', event: 'unknown', repeats: 0 };
    return { kind: 'stuck', events, timeNs: clock.now(), stuck: { ...r, atNs: clock.now() } };
  };
  if (failed()) return end('failed');
  for (;;) {
    const next = clock.nextTime();
    if (next === undefined) return end('quiescent');
    if (next > maxTime) return limits.maxTimeNs === undefined ? stuck() : end('time-limit');
    if (events >= maxEvents) return limits.maxEvents === undefined ? stuck() : end('event-limit');
    clock.step();
    events++;
    if (failed()) return end('failed');
  }
}
