/**
 * Hardware profiles: every cost the time model uses, each number with where
 * it comes from. `measured` = measured on a machine; `fitted` = solved from a
 * cited published figure (the comment and `source` show the arithmetic);
 * `default` = a stated assumption of ours that no published figure pins down.
 *
 * Every parameter has a default (profiles/defaults.ts); a named profile
 * overrides the ones its machine class pins down.
 */
import { DEFAULT_PARAMS } from './profiles/defaults.js';

export type Provenance = 'measured' | 'fitted' | 'default';

export interface Param {
  readonly value: number;
  readonly unit: string;
  readonly provenance: Provenance;
  readonly source: string;
}

export type ParamName = keyof typeof DEFAULT_PARAMS;

export const PARAM_NAMES = Object.keys(DEFAULT_PARAMS) as ParamName[];

/** How workers share a memory channel (machines/shared/memory-channel.machine.ts). */
export type Sharing = 'maxmin' | 'stall';

/** A named machine class: the parameters it fits or measures. */
export interface HardwareProfile {
  readonly name: string;
  readonly description: string;
  /**
   * Sharing law of node DRAM channels; pmem channels are always maxmin.
   * Default maxmin. A modelling choice, documented in docs/model.md.
   */
  readonly dramSharing?: Sharing;
  readonly params: { readonly [K in ParamName]?: Param };
}

/** A profile with every parameter filled in (defaults where it is silent). */
export interface ResolvedProfile extends HardwareProfile {
  readonly params: { readonly [K in ParamName]: Param };
}

/** The numbers alone, as the machines use them. */
export type Costs = { readonly [K in ParamName]: number };

export function withDefaults(profile: HardwareProfile): ResolvedProfile {
  return { ...profile, params: { ...DEFAULT_PARAMS, ...profile.params } as ResolvedProfile['params'] };
}

export function costsOf(profile: ResolvedProfile): Costs {
  const out = {} as Record<ParamName, number>;
  for (const name of PARAM_NAMES) out[name] = profile.params[name].value;
  return out;
}
