/**
 * The machines a campaign draws, by scope and family: the widened
 * `memmap-sim/testing` generators. Every run explores (seeded tie-breaking)
 * and draws a bounded jitter, so a run is a machine plus a schedule.
 */
import { didYouMean } from '../../model/nearest-name.js';
import type fc from 'fast-check';
import { InputError } from '../../model/input-error.js';
import { bootMachineArb, pmemMachineArb, type BootMachineOptions, type PmemMachineOptions } from '../../testing/arbitraries.js';
import type { Family } from './strategies.js';

export const SCOPES = ['tiny', 'small', 'big', 'exhaustive'] as const;
export type Scope = (typeof SCOPES)[number];

/** One generated run: the scenario (jitter included) and the run choices. */
export interface CheckCase {
  readonly scenario: Record<string, unknown> & { readonly name: string };
  readonly threads: number | undefined;
  readonly seed: number;
  readonly explore: boolean;
}

const JITTER = 0.2;
const schedule = { explore: true, jitter: JITTER, seed: { min: 0, max: 1_000_000 } } as const;

const PMEM: Record<Scope, PmemMachineOptions> = {
  // One or two small nodes, namespaces up to 128 MiB (1 GiB compound ones are 1-2 GiB).
  tiny: {
    nodes: { min: 1, max: 2 },
    dramGiB: { min: 1, max: 2 },
    dramRanges: { min: 1, max: 2 },
    maxReserved: 1,
    cores: { min: 1, max: 4 },
    namespaces: { min: 1, max: 3 },
    units: { min: 1, max: 64 },
    threads: { min: 1, max: 6 },
    devices: ['dimm0'],
  },
  // 1-64 CPUs per node (32 cores x 2 threads), up to 6 namespaces of up to 2 GiB.
  small: {
    nodes: { min: 1, max: 3 },
    dramGiB: { min: 1, max: 4 },
    dramRanges: { min: 1, max: 3 },
    maxReserved: 2,
    cores: { min: 1, max: 32 },
    namespaces: { min: 1, max: 6 },
    units: { min: 1, max: 1024 },
    threads: { min: 1, max: 16 },
  },
  // Namespaces up to 4 TiB (2^21 units of 2 MiB).
  big: {
    nodes: { min: 1, max: 3 },
    dramGiB: { min: 1, max: 4 },
    dramRanges: { min: 1, max: 3 },
    maxReserved: 2,
    cores: { min: 1, max: 32 },
    namespaces: { min: 1, max: 4 },
    units: { min: 1, max: 2 ** 21 },
    threads: { min: 1, max: 16 },
  },
  // What exhaustive exploration can enumerate: one node, one namespace of one or two sections, 2-3 threads.
  exhaustive: {
    nodes: { min: 1, max: 1 },
    dramGiB: { min: 1, max: 1 },
    dramRanges: { min: 1, max: 1 },
    cores: { min: 1, max: 2 },
    namespaces: { min: 1, max: 1 },
    units: { min: 1, max: 128 },
    threads: { min: 2, max: 3 },
    devices: [],
  },
};

const BOOT: Record<Scope, BootMachineOptions> = {
  tiny: { nodes: { min: 1, max: 1 }, ranges: { min: 1, max: 2 }, maxReserved: 1, cores: { min: 1, max: 4 }, threads: { min: 1, max: 4 } },
  small: { nodes: { min: 1, max: 3 }, ranges: { min: 1, max: 3 }, maxReserved: 2, cores: { min: 1, max: 32 }, threads: { min: 1, max: 16 } },
  big: { nodes: { min: 1, max: 4 }, ranges: { min: 1, max: 4 }, maxReserved: 3, cores: { min: 1, max: 32 }, threads: { min: 1, max: 64 } },
  // Two nodes of one range of two to four sections (32768 pages each; the first is initialized early), 2-3 threads.
  exhaustive: {
    nodes: { min: 2, max: 2 },
    ranges: { min: 1, max: 1 },
    rangeUnits: { min: 65536, max: 131072 },
    maxReserved: 1,
    cores: { min: 1, max: 2 },
    threads: { min: 2, max: 3 },
  },
};

export function parseScope(value: string): Scope {
  if (!(SCOPES as readonly string[]).includes(value))
    throw new InputError('--scope', `must be one of ${SCOPES.join(', ')}, got "${value}"${didYouMean(value, SCOPES)}`);
  return value as Scope;
}

/** The machines (and schedules) a campaign of this family and scope draws. */
export function caseArb(family: Family, scope: Scope): fc.Arbitrary<CheckCase> {
  if (family === 'probe') return pmemMachineArb({ ...PMEM[scope], geometry: true, early: true, ...schedule }) as fc.Arbitrary<CheckCase>;
  return bootMachineArb({ ...BOOT[scope], ...schedule }) as unknown as fc.Arbitrary<CheckCase>;
}
