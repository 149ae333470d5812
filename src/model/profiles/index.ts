import { didYouMean } from '../nearest-name.js';
import type { z } from 'zod';
import { ProfileInputSchema } from '../scenario-schema.js';
import { InputError } from '../input-error.js';
import { PARAM_NAMES, withDefaults, type HardwareProfile, type Param, type ParamName, type ResolvedProfile } from '../profile.js';
import { pmem2018 } from './pmem-2018.js';
import { skylake2020 } from './skylake-2020.js';
import { devdax2022 } from './devdax-2022.js';
import { PARAM_RANGES, rangeRule } from './ranges.js';

export const PROFILES: ReadonlyMap<string, HardwareProfile> = new Map([
  [pmem2018.name, pmem2018],
  [devdax2022.name, devdax2022],
  [skylake2020.name, skylake2020],
]);

export const DEFAULT_PROFILE = pmem2018.name;

/** A profile as a scenario or `--profile FILE` gives it: a base plus overrides. */
export type ProfileInput = z.output<typeof ProfileInputSchema>;

export function profileByName(name: string, field: string): ResolvedProfile {
  const p = PROFILES.get(name);
  if (!p) throw new InputError(field, `unknown profile "${name}"${didYouMean(name, PROFILES.keys())} (known: ${[...PROFILES.keys()].join(', ')})`);
  return withDefaults(p);
}

/**
 * Resolves a profile name or an inline profile. Overrides without their own
 * provenance are marked `measured` by the user, with the scenario as source.
 * `under`: the profile a document without `base` applies to (a --profile file
 * keeps the scenario's profile); its name then says so, e.g. `skylake-2020+file`.
 */
export function resolveProfile(input: string | ProfileInput, field = 'profile', under?: ResolvedProfile): ResolvedProfile {
  if (typeof input === 'string') return profileByName(input, field);
  const kept = input.base === undefined && under !== undefined;
  const base = kept ? under : profileByName(input.base ?? DEFAULT_PROFILE, `${field}.base`);
  const params = { ...base.params } as Record<ParamName, Param>;
  for (const [key, raw] of Object.entries(input.params ?? {})) {
    if (!(PARAM_NAMES as readonly string[]).includes(key)) {
      throw new InputError(`${field}.params.${key}`, `unknown parameter (known: ${PARAM_NAMES.join(', ')})`);
    }
    const name = key as ParamName;
    const value = typeof raw === 'number' ? raw : raw.value;
    const range = PARAM_RANGES[name];
    if (typeof value !== 'number' || !(value >= range.min && value <= range.max)) {
      throw new InputError(`${field}.params.${key}`, rangeRule(range, base.params[name].unit));
    }
    params[name] = {
      value,
      unit: base.params[name].unit,
      provenance: typeof raw === 'number' ? 'measured' : (raw.provenance ?? 'measured'),
      source: typeof raw === 'number' ? `given by ${input.name ?? 'the scenario'}` : (raw.source ?? `given by ${input.name ?? 'the scenario'}`),
    };
  }
  return {
    name: kept ? `${base.name}+${input.name ?? 'file'}` : (input.name ?? `${base.name}+overrides`),
    description: input.description ?? base.description,
    dramSharing: input.dramSharing ?? base.dramSharing,
    params,
  };
}
