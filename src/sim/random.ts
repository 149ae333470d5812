import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The only source of randomness in a run: seeded, so the same seed gives the
 * same tie-breaks and jitter. Never Math.random.
 */
export class SeededRandom {
  private readonly rng: RandomGenerator;

  constructor(readonly seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.rng);
  }

  /** Multiplies `value` by a factor uniform in [1 - spread, 1 + spread]. */
  jitter(value: number, spread: number): number {
    if (spread <= 0) return value;
    return value * (1 - spread + 2 * spread * this.next());
  }
}
