/**
 * Carrying a calibration's uncertainty into a prediction: each fitted
 * parameter is moved one standard uncertainty up and one down (the others at
 * their value), the prediction is made again at each, and the half-spreads
 * of the pairs add in quadrature. `advise`, `sweep --report` and
 * `calibrate --report` share it.
 */
import type { ParamName } from '../model/profile.js';
import type { ProfileInput } from '../model/profiles/index.js';

/** Relative 1-sigma uncertainty of fitted parameters (calibrate's fit.uncertainty). */
export type Uncertainty = Readonly<Partial<Record<ParamName, number>>>;

/** The profile with each fitted parameter one sigma up, then one down: pairs, in that order. */
export function perturbations(profile: ProfileInput | undefined, sigma: Uncertainty | undefined): ProfileInput[] {
  if (!profile || !sigma) return [];
  const out: ProfileInput[] = [];
  for (const [name, s] of Object.entries(sigma) as [ParamName, number][]) {
    const p = profile.params?.[name];
    const value = typeof p === 'number' ? p : p?.value;
    if (value === undefined || !(s > 0)) continue;
    for (const sign of [1, -1]) out.push({ ...profile, params: { ...profile.params, [name]: value * (1 + sign * s) } });
  }
  return out;
}

/** One sigma from +/- pairs: half the spread of each pair, added in quadrature. */
export function halfSpread(values: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < values.length; i += 2) sum += ((values[i] - values[i + 1]) / 2) ** 2;
  return Math.sqrt(sum);
}
