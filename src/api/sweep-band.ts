/**
 * A sweep with the calibration's uncertainty carried through it: the sweep
 * is run again with each fitted parameter one standard uncertainty up and
 * down, and each row gets the one-sigma spread of its deferred init and boot.
 */
import type { ProfileInput } from '../model/profiles/index.js';
import { sweep, type SweepRow } from './sweep.js';
import { halfSpread, perturbations, type Uncertainty } from './uncertainty.js';

export interface BandedSweepRow extends SweepRow {
  /** One standard uncertainty of deferredInitMs from the calibration, or null without one. */
  readonly deferredInitSigmaMs: number | null;
  readonly bootSigmaMs: number | null;
}

export type SweepOptions = NonNullable<Parameters<typeof sweep>[2]>;

/** Runs in a banded sweep: one sweep per perturbed profile, plus the sweep itself. */
export const bandedRuns = (threads: number, profile: ProfileInput | undefined, uncertainty: Uncertainty | undefined): number =>
  threads * (1 + perturbations(profile, uncertainty).length);

export function sweepWithBand(input: unknown, threads: readonly number[], options: SweepOptions & { uncertainty?: Uncertainty } = {}): BandedSweepRow[] {
  const { uncertainty, onProgress, ...rest } = options;
  const others = perturbations(rest.profile, uncertainty);
  const total = threads.length * (1 + others.length);
  let done = 0;
  const tick = () => onProgress?.(++done, total);
  const rows = sweep(input, threads, { ...rest, onProgress: tick });
  const perturbed = others.map((profile) => sweep(input, threads, { ...rest, profile, onProgress: tick }));
  const sigma = (pick: (r: SweepRow) => number | null, i: number): number | null => {
    if (!perturbed.length) return null;
    const values = perturbed.map((p) => pick(p[i]));
    return values.every((v): v is number => v !== null) ? round3(halfSpread(values)) : null;
  };
  return rows.map((r, i) => ({ ...r, deferredInitSigmaMs: sigma((x) => x.deferredInitMs, i), bootSigmaMs: sigma((x) => x.bootMs, i) }));
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
