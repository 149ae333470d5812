import { vi } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import type { NamespaceResult, RunResult } from '../../src/api/result.js';
import { createSimulation, simulate, type SimulateOptions } from '../../src/api/simulate.js';
import { main } from '../../src/cli/main.js';
import type { TraceEvent } from '../../src/model/trace-events.js';

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
export const TiB = 2 ** 40;

export const CORRECT = ['serial', 'async8', 'outside-lock', 'rwsem', 'outside-lock-mt'] as const;
export const COMPOUND_BUGS = ['bug-split-compound', 'bug-unordered-populate', 'bug-early-section', 'bug-1g-pageblock'] as const;

/** One devdax namespace (memmap in DRAM) on a small node, as a scenario document. */
export function devdax(size: string, geometry: '4K' | '2M' | '1G', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `devdax-${size}-${geometry}`,
    profile: 'devdax-2022',
    nodes: [{ id: 0, cores: 8, threadsPerCore: 2, dram: [{ start: '4G', size: '16G' }] }],
    namespaces: [{ name: 'dax0', node: 0, size, mode: 'devdax', altmap: false, geometry, ...extra }],
  };
}

export function seed002(options: SimulateOptions = {}): RunResult {
  return simulate(loadScenario('seed002-devdax-128g').input, { name: 'seed002-devdax-128g', ...options });
}

/** Runs a scenario and keeps its whole trace (small scenarios only). */
export function traced(scenario: unknown, options: SimulateOptions = {}): { result: RunResult; trace: TraceEvent[] } {
  const sim = createSimulation(scenario, options);
  const trace: TraceEvent[] = [];
  sim.trace$.subscribe((e) => trace.push(e));
  return { result: sim.run(), trace };
}

export function ns(r: RunResult, name: string): NamespaceResult {
  const n = r.namespaces.find((x) => x.name === name);
  if (!n) throw new Error(`no namespace ${name}`);
  return n;
}

/** The CLI in-process: exit code and what it wrote. */
export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
