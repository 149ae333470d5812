import type { ResolvedScenario } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SeededRandom } from '../../src/sim/random.js';
import type { VirtualClock } from '../../src/sim/virtual-clock.js';

/**
 * What every machine of a run shares: the clock (read-only here; delays go
 * through XState, which the clock drives), the trace sink, the scenario and
 * the seeded random source. Passed as input, never imported globally, so two
 * runs in one process cannot see each other.
 */
export interface SimEnv {
  readonly clock: VirtualClock;
  readonly emit: (event: TraceEvent) => void;
  readonly scenario: ResolvedScenario;
  readonly random: SeededRandom;
  /** A duration with the scenario's seeded jitter applied. */
  readonly cost: (durationNs: number) => number;
  /**
   * Deliver messages that coincide as separate same-time timers, so a tie
   * chooser orders them (exhaustive exploration). Off: delivered at once, in order.
   */
  readonly interleave?: boolean;
}

/**
 * The one action through which a machine traces: it runs when the actor
 * executes the transition, never inside xstate's pure `transition()`.
 * Enqueue it as `{ type: 'emitTrace', params: { trace } }` where the trace
 * must come out among the messages a step sends.
 */
export function emitTrace({ context }: { context: { readonly env: SimEnv } }, params: { readonly trace: readonly TraceEvent[] }): void {
  for (const e of params.trace) context.env.emit(e);
}
