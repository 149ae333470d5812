import { loadScenario } from '../../src/api/load-scenario.js';
import type { RunResult } from '../../src/api/result.js';
import { simulate, type SimulateOptions } from '../../src/api/simulate.js';

export const CORRECT = ['serial', 'async8', 'outside-lock', 'rwsem', 'outside-lock-mt'] as const;
export const KNOWN_BAD = ['bug-resize-unlocked', 'bug-publish-early', 'bug-no-ref'] as const;
export const SCENARIOS = ['seed000-pmem-128g', 'seed000-pmem-4x128g', 'seed001-pmem-3t-4node'] as const;

/** A built-in scenario document (a fresh copy, safe to modify). */
export function scenarioDoc(name: string): Record<string, any> {
  return structuredClone(loadScenario(name).input) as Record<string, any>;
}

const cache = new Map<string, RunResult>();

/** simulate() on a built-in scenario, memoized per (scenario, options) within one test file. */
export function run(name: string, options: SimulateOptions = {}): RunResult {
  const key = `${name}|${JSON.stringify(options)}`;
  let r = cache.get(key);
  if (!r) {
    r = simulate(loadScenario(name).input, { name, ...options });
    cache.set(key, r);
  }
  return r;
}

export const byName = (r: RunResult, ns: string) => {
  const n = r.namespaces.find((x) => x.name === ns);
  if (!n) throw new Error(`no namespace ${ns} in ${r.scenario}/${r.strategy}`);
  return n;
};
