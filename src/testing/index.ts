/**
 * memmap-sim/testing: fast-check arbitraries of scenarios and run choices, and
 * checks on run results, for property tests here and in projects that import
 * the library. Needs fast-check (an optional peer dependency).
 */
export {
  pmemMachineArb,
  bootMachineArb,
  probeStrategyArb,
  bootStrategyArb,
  threadsArb,
  seedArb,
  runOptions,
  CORRECT_PROBE_STRATEGIES,
  KNOWN_BAD_PROBE_STRATEGIES,
  ALWAYS_CAUGHT_PROBE_BUGS,
  CORRECT_BOOT_STRATEGIES,
  KNOWN_BAD_BOOT_STRATEGIES,
  type IntRange,
  type NamespaceMode,
  type NamespaceGeometry,
  type PmemMachine,
  type PmemMachineOptions,
  type BootMachine,
  type BootMachineOptions,
} from './arbitraries.js';
export { calibrationMachineArb, type CalibrationMachine, type CalibrationMachineOptions } from './calibration-machine.js';
export { assertClean, assertCaught, violationKinds, findingKinds } from './assertions.js';
