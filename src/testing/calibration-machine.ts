/**
 * Machines for checking calibration: the range `calibrate` promises (2 CPUs
 * and 8 GiB to 1,024 CPUs and 64 TiB in all, drawn log-uniformly, 1-4 NUMA
 * nodes, with or without SMT) and a known profile over pmem-2018 whose
 * parameters are drawn in their physical ranges. Simulate two rows with
 * `known`, calibrate on them, and compare.
 */
import fc from 'fast-check';

export interface CalibrationMachine {
  readonly scenario: { readonly name: string; readonly boot: object; readonly nodes: readonly object[] };
  /** The node's CPUs: the second row's thread count. */
  readonly cpusPerNode: number;
  /** The profile that makes the rows. */
  readonly known: { readonly base: 'pmem-2018'; readonly params: { pageInitNs: number; dramWriteGBs: number; smtFactor: number } };
}

export interface CalibrationMachineOptions {
  /** All CPUs of the machine. Default 2-1024. */
  readonly cpus?: { readonly min: number; readonly max: number };
  /** All memory in GiB. Default 8-65536 (64 TiB). */
  readonly gib?: { readonly min: number; readonly max: number };
}

const GiB = 2 ** 30;
const logInt = (r: { min: number; max: number }) =>
  fc.double({ min: Math.log(r.min), max: Math.log(r.max), noNaN: true }).map((x) => Math.min(r.max, Math.max(r.min, Math.round(Math.exp(x)))));
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

export function calibrationMachineArb(options: CalibrationMachineOptions = {}): fc.Arbitrary<CalibrationMachine> {
  return fc
    .record({
      nodes: fc.integer({ min: 1, max: 4 }),
      smt: fc.boolean(),
      cpus: logInt(options.cpus ?? { min: 2, max: 1024 }),
      gib: logInt(options.gib ?? { min: 8, max: 65536 }),
      pageInitNs: fc.double({ min: 5, max: 40, noNaN: true }),
      dramWriteGBs: fc.double({ min: 10, max: 150, noNaN: true }),
      // A pair of SMT siblings together does at least what one thread alone does (factor >= 0.5).
      smtFactor: fc.double({ min: 0.5, max: 0.95, noNaN: true }),
    })
    .map((m) => {
      // Every node has at least 2 CPUs, so its two rows differ in threads; the nodes split the CPUs and memory evenly.
      const nodes = Math.max(1, Math.min(m.nodes, Math.floor(m.cpus / 2)));
      const threadsPerCore = m.smt ? 2 : 1;
      const cores = Math.max(2 / threadsPerCore, Math.round(m.cpus / nodes / threadsPerCore));
      const gibPerNode = Math.max(2, Math.round(m.gib / nodes));
      const cpusPerNode = cores * threadsPerCore;
      const scenario = {
        name: `cal-${nodes}x${cpusPerNode}cpu-${gibPerNode}g`,
        boot: {},
        nodes: Array.from({ length: nodes }, (_, id) => ({
          id,
          cores,
          threadsPerCore,
          dram: [{ start: String((4 + id * gibPerNode) * GiB), size: String(gibPerNode * GiB) }],
        })),
      };
      const params = { pageInitNs: round(m.pageInitNs, 2), dramWriteGBs: round(m.dramWriteGBs, 1), smtFactor: round(m.smtFactor, 2) };
      return { scenario, cpusPerNode, known: { base: 'pmem-2018' as const, params } };
    });
}
