/**
 * A run's SimEnv for driving one boot machine alone: a virtual clock, the
 * trace collected in an array, and a small scenario (one node of 1 GiB with
 * boot simulated) unless the test gives its own.
 */
import type { SimEnv } from '../../../machines/shared/sim-env.js';
import { resolveScenario } from '../../../src/model/scenario.js';
import type { TraceEvent } from '../../../src/model/trace-events.js';
import { SeededRandom } from '../../../src/sim/random.js';
import { VirtualClock } from '../../../src/sim/virtual-clock.js';
import { smallBoot } from '../../boot/helpers.js';

export interface BootEnv {
  readonly env: SimEnv;
  readonly clock: VirtualClock;
  readonly trace: TraceEvent[];
}

export function bootEnv(input: unknown = smallBoot()): BootEnv {
  const scenario = resolveScenario(input);
  const random = new SeededRandom(scenario.seed);
  const clock = new VirtualClock(random);
  const trace: TraceEvent[] = [];
  const env: SimEnv = { clock, emit: (e) => trace.push(e), scenario, random, cost: (ns) => ns };
  return { env, clock, trace };
}

/** Fires every pending timer, at most `limit`. */
export function drain(clock: VirtualClock, limit = 100_000): void {
  for (let i = 0; i < limit && clock.step(); i++);
}
