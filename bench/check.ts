/**
 * Checker benchmark. Prints one JSON document:
 * - detection: for each known-bad strategy, the time `check` takes to its
 *   first finding (timeToFirstMs of runCampaign, default scope), median over
 *   20 campaign seeds, against the goal of 1 s;
 * - campaign: check runs per second on the tiny scope for correct strategies,
 *   and exhaustive campaigns (check --exhaustive): paths and states per second;
 * - tinyScope: simulate() runs per second on the tiny scope (one node, 1 GiB,
 *   2 CPUs, boot), over seeds with seeded tie-breaking and jitter;
 * - exhaustive: exploreExhaustive on the tiny boot scope (one section, one
 *   max-order block, 2 threads) and on tiny devdax probes: paths, distinct
 *   states, wall time (median of 3), states and paths per second;
 * - spin: the Spin peer (bench/peers/run-spin.sh) on the same hazard, if
 *   spin and gcc are installed; side by side with memmap-sim's explorer.
 *
 *   npm run -s bench:check     # builds, then runs this
 *   node dist/bench/check.js [runs] [seeds]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCampaign } from '../src/api/check/campaign.js';
import { selectStrategies } from '../src/api/check/strategies.js';
import { exploreExhaustive, simulate, type ExhaustiveOptions } from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const scenarioFile = (name: string) => join(ROOT, 'bench', 'scenarios', `${name}.json`);
const readScenario = (name: string): unknown => JSON.parse(readFileSync(scenarioFile(name), 'utf8'));

const TINY = 'tiny-1g-2cpu';
const GOAL_FIRST_MS = 1000;
/** Runs per detection campaign: the first finding comes within a few runs; the limit bounds a miss. */
const DETECTION_RUNS = 30;
const DETECTION_LIMIT_S = 20;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
};

/** Time to the first finding of each known-bad strategy, over campaign seeds 1..seeds. */
async function detection(seeds: number) {
  const out = [];
  for (const s of selectStrategies({ all: 'known-bad' })) {
    const times: number[] = [];
    const firstRuns: number[] = [];
    let missed = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const [r] = await runCampaign({ strategies: [s], runs: DETECTION_RUNS, seed, scope: 'small', outDir: null, timeLimitS: DETECTION_LIMIT_S });
      if (r.timeToFirstMs === null) missed++;
      else {
        times.push(r.timeToFirstMs);
        firstRuns.push(r.firstRun!);
      }
    }
    const med = median(times);
    out.push({
      strategy: s.name,
      family: s.family,
      seeds,
      found: seeds - missed,
      medianFirstMs: med,
      maxFirstMs: times.length ? Math.max(...times) : null,
      medianFirstRun: median(firstRuns),
      goalMs: GOAL_FIRST_MS,
      meetsGoal: med !== null && missed === 0 && med < GOAL_FIRST_MS,
    });
  }
  return out;
}

/** check campaigns: runs per second on the tiny scope (correct strategies: nothing to shrink), and --exhaustive. */
async function campaigns(runs: number) {
  const tiny = [];
  for (const name of ['outside-lock', 'padata']) {
    const [s] = selectStrategies({ strategy: [name] });
    const t0 = performance.now();
    const [r] = await runCampaign({ strategies: [s], runs, seed: 1, scope: 'tiny', outDir: null });
    const ms = performance.now() - t0;
    tiny.push({ strategy: name, scope: 'tiny', runs: r.runs, found: r.found, wallMs: Math.round(ms), runsPerSecond: Math.round((r.runs * 1000) / ms) });
  }
  const exhaustive = [];
  for (const name of ['padata', 'bug-unaligned-chunks', 'outside-lock-mt']) {
    const [s] = selectStrategies({ strategy: [name] });
    const t0 = performance.now();
    const [r] = await runCampaign({ strategies: [s], runs: 5, seed: 1, scope: 'exhaustive', exhaustive: true, outDir: null, timeLimitS: 60 });
    const ms = performance.now() - t0;
    const ex = r.exhaustive ?? { paths: 0, states: 0, exhaustedRuns: 0 };
    exhaustive.push({
      strategy: name,
      scope: 'exhaustive',
      runs: r.runs,
      found: r.found,
      paths: ex.paths,
      states: ex.states,
      exhaustedRuns: ex.exhaustedRuns,
      wallMs: Math.round(ms),
      statesPerSecond: Math.round((ex.states * 1000) / ms),
      pathsPerSecond: Math.round((ex.paths * 1000) / ms),
    });
  }
  return { tiny, exhaustive };
}
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
    out.push({
      scenario: TINY,
      strategy,
      runs,
      wallMs: Math.round(ms),
      runsPerSecond: Math.round((runs * 1000) / ms),
      meanEvents: Math.round(events / runs),
      runsWithViolations: violating,
    });
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
    {
      label: 'unaligned, whole space, no pruning',
      scenario: boot,
      scenarioName: BOOT_TINY,
      options: { strategy: 'bug-unaligned-chunks', threads: 2, stopAtFirst: false, prune: false },
    },
    { label: 'aligned (padata), whole space', scenario: boot, scenarioName: BOOT_TINY, options: { strategy: 'padata', threads: 2, stopAtFirst: false } },
    {
      label: 'split compound page, 1 CPU, whole space',
      scenario: dax1,
      scenarioName: dax1.name,
      options: { strategy: 'bug-split-compound', threads: 2, stopAtFirst: false },
    },
    {
      label: 'outside-lock-mt, 3 workers, whole space',
      scenario: dax4,
      scenarioName: dax4.name,
      options: { strategy: 'outside-lock-mt', threads: 3, stopAtFirst: false },
    },
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

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 200);
  const seeds = Number(process.argv[3] ?? 20);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seeds) || seeds < 1) {
    process.stderr.write('bench/check: runs and seeds must be whole numbers >= 1\n');
    process.exit(2);
  }
  const doc = {
    node: process.version,
    detection: await detection(seeds),
    campaign: await campaigns(runs),
    tinyScope: tinyScopeRuns(runs),
    exhaustive: exhaustiveRuns(),
    spin: spinPeer(),
  };
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

await main();
