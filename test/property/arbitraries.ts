/**
 * The pmem machines of the property tests: the library's generator
 * (src/testing, published as `memmap-sim/testing`) with its defaults.
 */
import type fc from 'fast-check';
import { pmemMachineArb, type PmemMachine } from '../../src/testing/index.js';

export const FC_SEED = Number(process.env.FC_SEED ?? 42);

const MiB = 2 ** 20;
const GiB = 2 ** 30;

export type GeneratedMachine = PmemMachine;

/** Small machines: 1-3 nodes, 1-4 namespaces of 2 MiB multiples up to 2 GiB, shared devices or not, altmap or not, 1-16 threads. */
export const machineArb: fc.Arbitrary<GeneratedMachine> = pmemMachineArb();

export const sizeBytesOf = (size: string) => Number(size.slice(0, -1)) * MiB;
export { GiB, MiB };
