/**
 * Checker benchmark. Prints one JSON document:
 * - tinyScope: simulate() runs per second on the tiny scope (one node, 1 GiB,
 *   2 CPUs, boot), over seeds with seeded tie-breaking and jitter;
 * - exhaustive: exploreExhaustive on the tiny boot scope (one section, one
 *   max-order block, 2 threads) and on tiny devdax probes: paths, distinct
 *   states, wall time (median of 3), states and paths per second;
 * - spin: the Spin peer (bench/peers/run-spin.sh) on the same hazard, if
 *   spin and gcc are installed; side by side with memmap-sim's explorer.
 *
 *   npm run bench:check        # builds, then runs this
 *   node dist/bench/check.js [runs]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exploreExhaustive, simulate, type ExhaustiveOptions } from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const scenarioFile = (name: string) => join(ROOT, 'bench', 'scenarios', `${name}.json`);
const readScenario = (name: string): unknown => JSON.parse(readFileSync(scenarioFile(name), 'utf8'));

const TINY = 'tiny-1g-2cpu';
const BOOT_TINY = 'exhaustive-boot-tiny';

function tinyScopeRuns(runs: number) {
  const scenario = readScenario(TINY);
  const out = [];
  for (const strategy of ['padata', 'bug-unaligned-chunks']) {
    simulate(scenario, { strategy, seed: 0 }); // warm the JIT
    const t0 = performance.now();
    let events = 0;
    let violating = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const r = simulate({ ...(scenario as object), jitter: 0.1 }, { strategy, seed, explore: true });
      events += r.engine.events;
      if (r.violations.length) violating++;
    }
    const ms = performance.now() - t0;
    out.push({ scenario: TINY, strategy, runs, wallMs: Math.round(ms), runsPerSecond: Math.round((runs * 1000) / ms), meanEvents: Math.round(events / runs), runsWithViolations: violating });
  }
  return out;
}

interface ExhaustiveCase {
  readonly label: string;
  readonly scenario: unknown;
  readonly scenarioName: string;
  readonly options: ExhaustiveOptions;
}

/** The 1 GiB devdax probe of the exhaustive tests: one CPU, a compound page split between two workers. */
const daxTiny = (cores: number, size: string) => ({
  name: `dax-tiny-${cores}cpu-${size}`,
  profile: 'devdax-2022',
  nodes: [{ id: 0, cores, dram: [{ start: '4G', size: '1G' }] }],
  namespaces: [{ name: 'dax0.0', node: 0, size, mode: 'devdax', altmap: false, geometry: '1G' }],
});

function exhaustiveCases(): ExhaustiveCase[] {
  const boot = readScenario(BOOT_TINY);
  const dax1 = daxTiny(1, '1G');
  const dax4 = daxTiny(4, '3G');
  return [
    { label: 'unaligned, first violation', scenario: boot, scenarioName: BOOT_TINY, options: { strategy: 'bug-unaligned-chunks', threads: 2 } },
    { label: 'unaligned, whole space', scenario: boot, scenarioName: BOOT_TINY, options: { strategy: 'bug-unaligned-chunks', threads: 2, stopAtFirst: false } },
    { label: 'unaligned, whole space, no pruning', scenario: boot, scenarioName: BOOT_TINY, options: { strategy: 'bug-unaligned-chunks', threads: 2, stopAtFirst: false, prune: false } },
    { label: 'aligned (padata), whole space', scenario: boot, scenarioName: BOOT_TINY, options: { strategy: 'padata', threads: 2, stopAtFirst: false } },
    { label: 'split compound page, 1 CPU, whole space', scenario: dax1, scenarioName: dax1.name, options: { strategy: 'bug-split-compound', threads: 2, stopAtFirst: false } },
    { label: 'outside-lock-mt, 3 workers, whole space', scenario: dax4, scenarioName: dax4.name, options: { strategy: 'outside-lock-mt', threads: 3, stopAtFirst: false } },
  ];
}

function exhaustiveRuns() {
  return exhaustiveCases().map((c) => {
    exploreExhaustive(c.scenario, c.options); // warm the JIT
    // The median of three timed explorations (they are deterministic: same result each time).
    const times: number[] = [];
    let r = exploreExhaustive(c.scenario, { ...c.options, maxPaths: 1 });
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      r = exploreExhaustive(c.scenario, c.options);
      times.push(performance.now() - t0);
    }
    const ms = times.sort((a, b) => a - b)[1];
    return {
      case: c.label,
      scenario: c.scenarioName,
      strategy: r.strategy,
      quantumNs: r.quantumNs,
      prune: c.options.prune ?? true,
      paths: r.paths,
      pruned: r.pruned,
      states: r.states,
      maxDepth: r.maxDepth,
      exhausted: r.exhausted,
      bound: r.bound,
      violations: r.violations.map((v) => ({ invariant: v.invariant, kind: v.kind, choices: v.choices })),
      wallMs: Math.round(ms),
      statesPerSecond: Math.round((r.states * 1000) / ms),
      pathsPerSecond: Math.round((r.paths * 1000) / ms),
    };
  });
}

function spinPeer(): unknown {
  const script = join(ROOT, 'bench', 'peers', 'run-spin.sh');
  try {
    const out = execFileSync('bash', [script], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return out
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as unknown);
  } catch (e) {
    return { skipped: `bench/peers/run-spin.sh failed or spin is not installed (apt-get install -y spin): ${(e as Error).message.split('\n')[0]}` };
  }
}

function main(): void {
  const runs = Number(process.argv[2] ?? 200);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write('bench/check: runs must be a whole number >= 1\n');
    process.exit(2);
  }
  const doc = {
    node: process.version,
    tinyScope: tinyScopeRuns(runs),
    exhaustive: exhaustiveRuns(),
    spin: spinPeer(),
  };
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

main();
