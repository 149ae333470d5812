/**
 * The boot machines of the boot property tests: the library's generator
 * (src/testing, published as `memmap-sim/testing`). `unit`: 1 puts DRAM and
 * reserved edges anywhere; 1024 (MAX_ORDER_NR_PAGES) on max-order boundaries.
 */
import type fc from 'fast-check';
import { bootMachineArb as libraryBootMachineArb, type BootMachine } from '../../src/testing/index.js';

export type GeneratedBoot = BootMachine;

export const bootMachineArb = (unit: number): fc.Arbitrary<GeneratedBoot> => libraryBootMachineArb({ unit });
