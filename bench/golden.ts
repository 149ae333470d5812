/**
 * The golden file: the result JSON and a digest of the whole trace of every
 * built-in scenario x strategy x geometry, and of a fixed-seed campaign of
 * generated runs (both families, tiny and small scopes). A change to the
 * engine that must not change results is judged against it: every line must
 * come out byte-identical.
 *
 *   npm run golden                              # builds, then checks against test/golden/golden.jsonl.gz
 *   node dist/bench/golden.js --write           # records it again (only for a change of results made on purpose)
 *   node dist/bench/golden.js --runs 200        # checks the built-ins and the first 200 generated runs
 *
 * Prints one JSON document: runs checked, mismatches (key and the first
 * differing field), wall time. Exit 1 on any mismatch.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { drawCase } from '../src/api/check/draw.js';
import { runSeed } from '../src/api/check/run-seed.js';
import type { Scope } from '../src/api/check/scopes.js';
import { allStrategies } from '../src/api/check/strategies.js';
import { listScenarios, loadScenario, PACKAGE_ROOT } from '../src/api/load-scenario.js';
import { createSimulation, type SimulateOptions } from '../src/api/simulate.js';
import { SimulationError } from '../src/api/simulation-error.js';
import { BOOT_STRATEGIES } from '../src/model/boot-strategies.js';
import { STRATEGIES } from '../src/model/strategies.js';
import { runOptions } from '../src/testing/arbitraries.js';

const FILE = join(PACKAGE_ROOT, 'test', 'golden', 'golden.jsonl.gz');
const CAMPAIGN_SEED = 20261202;
const CAMPAIGN_RUNS = 1200;

export interface GoldenCase {
  readonly key: string;
  readonly scenario: unknown;
  readonly options: SimulateOptions;
}

export interface GoldenLine {
  readonly key: string;
  /** sha256 of the trace events' JSON, one per line, in order. */
  readonly trace: string;
  readonly events: number;
  /** The run's result JSON, or `error: <message>` and the partial result for a failed run. */
  readonly result: string;
}

/** Every built-in scenario under every strategy of its families, devdax ones at each geometry. */
export function builtinCases(): GoldenCase[] {
  const out: GoldenCase[] = [];
  for (const { name } of listScenarios()) {
    const { input } = loadScenario(name);
    const doc = input as { boot?: unknown; namespaces?: readonly { mode?: string }[] };
    const strategies = [...(doc.namespaces?.length ? STRATEGIES.keys() : []), ...(doc.boot ? BOOT_STRATEGIES.keys() : [])];
    const devdax = (doc.namespaces ?? []).some((n) => n.mode === 'devdax');
    const geometries = devdax ? (['4K', '2M', '1G'] as const) : [undefined];
    for (const strategy of strategies) {
      for (const geometry of geometries) {
        out.push({ key: `${name}/${strategy}${geometry ? `/${geometry}` : ''}`, scenario: input, options: { strategy, ...(geometry ? { geometry } : {}) } });
      }
    }
  }
  return out;
}

/** Run i of the campaign: strategy i mod all, tiny scope but every fourth run small. */
export function campaignCases(runs = CAMPAIGN_RUNS): GoldenCase[] {
  const all = allStrategies();
  const out: GoldenCase[] = [];
  for (let i = 0; i < runs; i++) {
    const s = all[i % all.length];
    const scope: Scope = i % 4 === 3 ? 'small' : 'tiny';
    const c = drawCase(s.family, scope, runSeed(CAMPAIGN_SEED, s.name, i));
    out.push({ key: `campaign/${i}/${s.name}/${scope}`, scenario: c.scenario, options: runOptions(c, s.name) });
  }
  return out;
}

export function goldenLine(c: GoldenCase): GoldenLine {
  const sim = createSimulation(c.scenario, c.options);
  const hash = createHash('sha256');
  let events = 0;
  sim.trace$.subscribe((e) => {
    hash.update(JSON.stringify(e));
    hash.update('\n');
    events++;
  });
  let result: string;
  try {
    result = JSON.stringify(sim.run());
  } catch (e) {
    if (!(e instanceof SimulationError)) throw e;
    result = `error: ${e.message} ${JSON.stringify(e.result)}`;
  }
  return { key: c.key, trace: hash.digest('hex'), events, result };
}

export function readGolden(file = FILE): Map<string, GoldenLine> {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter(Boolean);
  return new Map(lines.map((l) => JSON.parse(l) as GoldenLine).map((g) => [g.key, g]));
}

/** The first path at which two JSON documents differ, for a readable mismatch. */
export function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object')
    return a === b ? '' : `${path || '(root)'}: ${JSON.stringify(a)?.slice(0, 80)} -> ${JSON.stringify(b)?.slice(0, 80)}`;
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return '';
}

function mismatch(want: GoldenLine | undefined, got: GoldenLine): string | null {
  if (!want) return 'not in the golden file';
  if (want.result !== got.result) {
    try {
      return `result differs at ${firstDifference(JSON.parse(want.result), JSON.parse(got.result)) || 'key order'}`;
    } catch {
      return `result differs: ${want.result.slice(0, 120)} -> ${got.result.slice(0, 120)}`;
    }
  }
  if (want.trace !== got.trace) return `trace differs (${want.events} -> ${got.events} events)`;
  return null;
}

function main(argv: readonly string[]): number {
  const write = argv.includes('--write');
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : CAMPAIGN_RUNS;
  if (!Number.isInteger(runs) || runs < 0 || runs > CAMPAIGN_RUNS) {
    process.stderr.write(`golden: --runs must be a whole number from 0 to ${CAMPAIGN_RUNS}\n`);
    return 2;
  }
  const cases = [...builtinCases(), ...campaignCases(write ? CAMPAIGN_RUNS : runs)];
  const start = performance.now();
  const lines = cases.map(goldenLine);
  const wallMs = Math.round(performance.now() - start);
  if (write) {
    mkdirSync(dirname(FILE), { recursive: true });
    writeFileSync(FILE, gzipSync(lines.map((l) => JSON.stringify(l)).join('\n') + '\n', { level: 9 }));
    process.stdout.write(`${JSON.stringify({ wrote: FILE, runs: lines.length, wallMs }, null, 2)}\n`);
    return 0;
  }
  const golden = readGolden();
  const mismatches = lines.flatMap((l) => {
    const m = mismatch(golden.get(l.key), l);
    return m ? [{ key: l.key, mismatch: m }] : [];
  });
  process.stdout.write(
    `${JSON.stringify({ runs: lines.length, identical: lines.length - mismatches.length, mismatches: mismatches.slice(0, 50), wallMs }, null, 2)}\n`,
  );
  return mismatches.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
