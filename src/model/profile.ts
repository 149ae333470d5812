/**
 * Hardware profiles: every cost the time model uses, each number with where
 * it comes from. `measured` = measured on a machine; `fitted` = solved from a
 * cited published figure (the comment and `source` show the arithmetic);
 * `default` = a stated assumption of ours that no published figure pins down.
 */
export type Provenance = 'measured' | 'fitted' | 'default';

export interface Param {
  readonly value: number;
  readonly unit: string;
  readonly provenance: Provenance;
  readonly source: string;
}

/** The costs the simulation reads. Add a name here, then to every profile. */
export const PARAM_NAMES = [
  'zoneDevicePageInitNs',
  'pgmapPassPageNs',
  'percpuRefGetNs',
  'pmemWriteGBs',
  'dramWriteGBs',
  'smtFactor',
  'workerStartNs',
  'sectionActivateNs',
  'zoneResizeNs',
  'hotplugLockWriteNs',
  'lockHandoffNs',
] as const;

export type ParamName = (typeof PARAM_NAMES)[number];

export interface HardwareProfile {
  readonly name: string;
  readonly description: string;
  readonly params: { readonly [K in ParamName]: Param };
}

/** The numbers alone, as the machines use them. */
export type Costs = { readonly [K in ParamName]: number };

export function costsOf(profile: HardwareProfile): Costs {
  const out = {} as Record<ParamName, number>;
  for (const name of PARAM_NAMES) out[name] = profile.params[name].value;
  return out;
}
