/**
 * Boot benchmark: fidelity against the published Skylake table, the
 * SimPy peer beside memmap-sim, and speed and memory at scale. Prints ONE JSON
 * document.
 *
 *   npm run -s bench:boot                  # builds, then runs this (-s keeps npm's banner off stdout)
 *   node dist/bench/boot.js [--profile]    # --profile: CPU-profile every timed child run
 *
 * 1. fidelity: seed003-skylake-768g (Jordan, padata v2 5/7, 20 May 2020;
 *    kernel-facts.md §3.1). Three predictors, each calibrated on the 1- and
 *    52-thread rows only and judged on the held-out rows 6, 13, 19, 26, 39:
 *    - memmap-sim (the library: simulate with threads; deferred init = the
 *      slowest node's deferredInitMs, boot = bootMs; profile skylake-2020,
 *      fitted by `memmap-sim calibrate` on those two rows);
 *    - the plain formula max(T1 / n, T52) (boot: + the same rest-of-boot);
 *    - the SimPy peer, bench/peers/skylake_simpy.py under /usr/bin/python3
 *      (Debian's python3-simpy3), which fits itself on the same two rows.
 * 2. speed: wall time per run of memmap-sim (Skylake at 52 threads: the cold
 *    first run in a fresh process and the warm median of 5; goal under 1 s)
 *    and of the peer.
 * 3. scale: bench/scenarios/boot-64t-8node.json (64 TiB, 8 nodes, 128 CPUs
 *    each) at the node CPU count and at --threads 1, each in a child process
 *    (bench/boot-run.ts): wall, peak RSS, peak heap (goal under 30 s and
 *    1 GiB); then peak live heap of its first 1, 2, 4, 8 nodes (8 to 64 TiB:
 *    more workers in flight) and of one node of 1, 2, 4, 8 TiB (the same
 *    128 workers, more pages): memory follows the work in flight.
 * 4. goals: booleans. When a speed or memory goal is missed, the run that
 *    missed it is repeated under `node --cpu-prof` and the functions with the
 *    most self time are listed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, simulate } from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const ROOT = join(HERE, '..', '..');
const CHILD = join(HERE, 'boot-run.js');
const PEER = join(ROOT, 'bench', 'peers', 'skylake_simpy.py');
const PEER_PYTHON = '/usr/bin/python3';
const BIG = join(ROOT, 'bench', 'scenarios', 'boot-64t-8node.json');

const SCENARIO = 'seed003-skylake-768g';
/** Jordan, "[PATCH v2 5/7] mm: parallelize deferred_init_memmap()", Skylake table (kernel-facts.md §3.1), ms. */
const PUBLISHED = {
  noPadata: { deferredInitMs: 1779.0, bootMs: 4078.0 },
  rows: [
    { threads: 1, deferredInitMs: 1717.7, bootMs: 4021.3 },
    { threads: 6, deferredInitMs: 341.0, bootMs: 2644.7 },
    { threads: 13, deferredInitMs: 193.3, bootMs: 2498.0 },
    { threads: 19, deferredInitMs: 175.3, bootMs: 2482.0 },
    { threads: 26, deferredInitMs: 193.7, bootMs: 2495.0 },
    { threads: 39, deferredInitMs: 172.7, bootMs: 2478.0 },
    { threads: 52, deferredInitMs: 143.3, bootMs: 2448.0 },
  ],
} as const;
const FIT_ROWS = [1, 52];
const HELD_OUT = [6, 13, 19, 26, 39];

const GOALS = {
  heldOutMedianAbsErrPct: 15,
  heldOutMaxAbsErrPct: 25,
  skylakeWallMs: 1000,
  bigWallMs: 30_000,
  bigMemMB: 1024,
  /** Peak live heap may differ by at most this much between 1 and 8 TiB per node. */
  flatHeapSpreadMB: 2,
};
const spread = (xs: readonly number[]) => round(Math.max(...xs) - Math.min(...xs), 1);

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const errPct = (pred: number, pub: number) => round(((pred - pub) / pub) * 100, 1);

interface Series {
  deferredInitMs: (number | null)[];
  bootMs: (number | null)[];
}

/** Per-row errors and the held-out summary of one predictor. */
function score(series: Series) {
  const rows = PUBLISHED.rows.map((row, i) => {
    const d = series.deferredInitMs[i];
    const b = series.bootMs[i];
    return {
      threads: row.threads,
      role: FIT_ROWS.includes(row.threads) ? 'fit' : 'held-out',
      deferredInitMs: d === null ? null : round(d, 1),
      deferredInitErrPct: d === null ? null : errPct(d, row.deferredInitMs),
      bootMs: b === null ? null : round(b, 1),
      bootErrPct: b === null ? null : errPct(b, row.bootMs),
    };
  });
  const held = rows.filter((r) => r.role === 'held-out');
  const summary = (key: 'deferredInitErrPct' | 'bootErrPct') => {
    const abs = held
      .map((r) => r[key])
      .filter((x): x is number => x !== null)
      .map(Math.abs);
    if (abs.length !== held.length) return null;
    const med = round(median(abs), 1);
    const max = round(Math.max(...abs), 1);
    return { medianAbsErrPct: med, maxAbsErrPct: max, withinGoal: med <= GOALS.heldOutMedianAbsErrPct && max <= GOALS.heldOutMaxAbsErrPct };
  };
  return { rows, heldOut: { deferredInit: summary('deferredInitErrPct'), boot: summary('bootErrPct') } };
}

interface ChildRun {
  scenario: string;
  nodes: number;
  deferredPages: number;
  deferredTiB: number;
  threadsPerNode: number[];
  chunks: number;
  deferredInitMs: number;
  bootMs: number | null;
  violations: number;
  engineEvents: number;
  traceEvents: number;
  importMs: number;
  coldWallMs: number;
  warmWallMs: number[];
  warmMedianMs: number | null;
  peakRssMB: number;
  maxRssMB: number;
  peakHeapUsedMB: number;
  endHeapUsedMB: number;
}

interface ChildOpts {
  threads?: number;
  nodes?: number;
  nodeSize?: string;
  repeat?: number;
  live?: boolean;
}

function childArgs(ref: string, opts: ChildOpts): string[] {
  const args = [ref];
  if (opts.nodeSize !== undefined) args.push('--node-size', opts.nodeSize);
  if (opts.live) args.push('--live');
  if (opts.threads !== undefined) args.push('--threads', String(opts.threads));
  if (opts.nodes !== undefined) args.push('--nodes', String(opts.nodes));
  if (opts.repeat !== undefined) args.push('--repeat', String(opts.repeat));
  return args;
}

function runChild(ref: string, opts: ChildOpts = {}): ChildRun & { processWallMs: number } {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['--expose-gc', CHILD, ...childArgs(ref, opts)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return { ...(JSON.parse(out) as ChildRun), processWallMs: Math.round(performance.now() - t0) };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** A profile's script URL, relative to the package root when it is one of ours. */
function shortUrl(url: string): string {
  if (url.startsWith('file:')) return relative(ROOT, fileURLToPath(url));
  if (url.startsWith('/')) return relative(ROOT, url);
  return url; // node:internal/..., evalmachine, ...
}

/** Repeats a child run under --cpu-prof; the functions with the most self time. */
function cpuProfile(ref: string, opts: { threads?: number; nodes?: number }, top = 12) {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-sim-boot-prof-'));
  try {
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, CHILD, ...childArgs(ref, opts)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return { error: 'no profile written' };
    const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const samples = prof.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0) || 1;
    const totalMs = (prof.endTime - prof.startTime) / 1e3;
    const self = new Map<string, number>();
    for (const n of prof.nodes) {
      const { functionName, url, lineNumber } = n.callFrame;
      const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'} ${where}`.trim();
      self.set(key, (self.get(key) ?? 0) + (n.hitCount ?? 0));
    }
    const byFile = new Map<string, number>();
    for (const n of prof.nodes) {
      const url = n.callFrame.url;
      const key = !url
        ? `(${n.callFrame.functionName || 'native'})`
        : url.includes('node_modules/')
          ? url.replace(/^.*node_modules\/([^/]+).*$/, 'node_modules/$1')
          : shortUrl(url);
      byFile.set(key, (byFile.get(key) ?? 0) + (n.hitCount ?? 0));
    }
    const rank = (m: Map<string, number>) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([what, hits]) => ({ what, selfPct: round((hits / samples) * 100, 1), selfMs: round((hits / samples) * totalMs, 0) }));
    return { profiledMs: round(totalMs, 0), topFunctions: rank(self), topFiles: rank(byFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PeerDoc {
  skipped?: string;
  peer?: string;
  threads?: number[];
  predictedMs?: number[];
  predictedBootMs?: number[];
  wallMsPerRun?: number;
  wallMsRuns?: number[];
  fitWallMs?: number;
  fitted?: Record<string, unknown>;
  model?: string;
}

function runPeer(nodePages: readonly number[]): PeerDoc & { processWallMs?: number } {
  if (!existsSync(PEER_PYTHON)) return { skipped: `${PEER_PYTHON} not found (the peer needs Debian's python3 with python3-simpy3)` };
  const t0 = performance.now();
  const r = spawnSync(PEER_PYTHON, [PEER, '--pages', nodePages.join(','), '--repeat', '5'], { encoding: 'utf8' });
  const processWallMs = Math.round(performance.now() - t0);
  if (r.error) return { skipped: `cannot run ${PEER_PYTHON}: ${r.error.message}` };
  if (r.status !== 0) return { skipped: `peer exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  try {
    return { ...(JSON.parse(r.stdout) as PeerDoc), processWallMs };
  } catch {
    return { skipped: `peer printed no JSON: ${r.stdout.slice(0, 200)}` };
  }
}

function main(argv: readonly string[]): void {
  const forceProfile = argv.includes('--profile');

  // Speed first, in fresh processes, so nothing here has warmed the JIT for them.
  const skylake = runChild(SCENARIO, { threads: 52, repeat: 5 });
  const big = runChild(BIG);
  const bigOne = runChild(BIG, { threads: 1 });
  // Memory against machine size, live heap (GC before every sample): more nodes
  // means more workers in flight (128 per node); bigger nodes mean only more pages.
  const byNodes = [1, 2, 4, 8].map((n) => runChild(BIG, { nodes: n, live: true }));
  const byNodeSize = ['1T', '2T', '4T', '8T'].map((size) => runChild(BIG, { nodes: 1, nodeSize: size, live: true }));

  // Fidelity, in this process (the library, as a user calls it).
  const { input, name } = loadScenario(SCENARIO);
  const runs = PUBLISHED.rows.map((row) => simulate(input, { name, threads: row.threads }));
  const slowest = (r: (typeof runs)[number]) => Math.max(...r.nodes.map((n) => n.deferredInitMs));
  const memmapSim = score({ deferredInitMs: runs.map(slowest), bootMs: runs.map((r) => r.bootMs) });
  const noPadataRun = simulate(input, { name, strategy: 'deferred-serial' });
  const nodePages = runs[0].nodes.map((n) => n.pages);

  const t1 = PUBLISHED.rows[0].deferredInitMs;
  const t52 = PUBLISHED.rows.at(-1)!.deferredInitMs;
  const restOfBoot = (PUBLISHED.rows[0].bootMs - t1 + PUBLISHED.rows.at(-1)!.bootMs - t52) / 2;
  const formulaMs = PUBLISHED.rows.map((r) => Math.max(t1 / r.threads, t52));
  const formula = score({ deferredInitMs: formulaMs, bootMs: formulaMs.map((d) => d + restOfBoot) });

  const peerDoc = runPeer(nodePages);
  const peerAt = (key: 'predictedMs' | 'predictedBootMs') =>
    PUBLISHED.rows.map((r) => {
      const i = peerDoc.threads?.indexOf(r.threads) ?? -1;
      return i >= 0 ? (peerDoc[key]?.[i] ?? null) : null;
    });
  const peer = peerDoc.skipped ? null : score({ deferredInitMs: peerAt('predictedMs'), bootMs: peerAt('predictedBootMs') });

  const side = PUBLISHED.rows.map((row, i) => ({
    threads: row.threads,
    role: memmapSim.rows[i].role,
    published: { deferredInitMs: row.deferredInitMs, bootMs: row.bootMs },
    memmapSim: {
      deferredInitMs: memmapSim.rows[i].deferredInitMs,
      errPct: memmapSim.rows[i].deferredInitErrPct,
      bootMs: memmapSim.rows[i].bootMs,
      bootErrPct: memmapSim.rows[i].bootErrPct,
    },
    formula: {
      deferredInitMs: formula.rows[i].deferredInitMs,
      errPct: formula.rows[i].deferredInitErrPct,
      bootMs: formula.rows[i].bootMs,
      bootErrPct: formula.rows[i].bootErrPct,
    },
    simpyPeer: peer && {
      deferredInitMs: peer.rows[i].deferredInitMs,
      errPct: peer.rows[i].deferredInitErrPct,
      bootMs: peer.rows[i].bootMs,
      bootErrPct: peer.rows[i].bootErrPct,
    },
  }));

  const ms = memmapSim.heldOut.deferredInit!;
  const mb = memmapSim.heldOut.boot!;
  const beats = (other: ReturnType<typeof score> | null) =>
    other === null ? null : ms.medianAbsErrPct < other.heldOut.deferredInit!.medianAbsErrPct && ms.maxAbsErrPct < other.heldOut.deferredInit!.maxAbsErrPct;
  const goals = {
    deferredInitHeldOutWithin15And25Pct: ms.withinGoal,
    bootHeldOutWithin15And25Pct: mb.withinGoal,
    beatsFormula: beats(formula),
    beatsSimpyPeer: beats(peer),
    skylake52ColdUnder1s: skylake.coldWallMs < GOALS.skylakeWallMs,
    skylake52WarmUnder1s: (skylake.warmMedianMs ?? Infinity) < GOALS.skylakeWallMs,
    big64TiBUnder30s: big.coldWallMs < GOALS.bigWallMs,
    big64TiBUnder1GiB: Math.max(big.peakRssMB, big.maxRssMB) < GOALS.bigMemMB,
    big64TiBThreads1Under30s: bigOne.coldWallMs < GOALS.bigWallMs,
    big64TiBThreads1Under1GiB: Math.max(bigOne.peakRssMB, bigOne.maxRssMB) < GOALS.bigMemMB,
    liveHeapFlatWithNodeSize: spread(byNodeSize.map((r) => r.peakHeapUsedMB)) <= GOALS.flatHeapSpreadMB,
  };

  // What dominates a missed speed or memory goal (or every timed run with --profile).
  const profiles: Record<string, unknown> = {};
  if (forceProfile || !goals.skylake52ColdUnder1s || !goals.skylake52WarmUnder1s) profiles.skylake52 = cpuProfile(SCENARIO, { threads: 52 });
  if (forceProfile || !goals.big64TiBUnder30s || !goals.big64TiBUnder1GiB) profiles.big64TiB = cpuProfile(BIG, {});
  if (forceProfile || !goals.big64TiBThreads1Under30s || !goals.big64TiBThreads1Under1GiB) profiles.big64TiBThreads1 = cpuProfile(BIG, { threads: 1 });

  const pick = (r: ChildRun & { processWallMs: number }) => ({
    scenario: r.scenario,
    nodes: r.nodes,
    deferredTiB: r.deferredTiB,
    threadsPerNode: r.threadsPerNode[0],
    chunks: r.chunks,
    deferredInitMs: r.deferredInitMs,
    bootMs: r.bootMs,
    violations: r.violations,
    engineEvents: r.engineEvents,
    traceEvents: r.traceEvents,
    wallMs: r.coldWallMs,
    processWallMs: r.processWallMs,
    peakRssMB: r.peakRssMB,
    maxRssMB: r.maxRssMB,
    peakHeapUsedMB: r.peakHeapUsedMB,
  });

  const doc = {
    bench: 'boot',
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: availableParallelism(),
    loadavg1m: round(loadavg()[0]),
    scenario: SCENARIO,
    source: 'Daniel Jordan, "[PATCH v2 5/7] mm: parallelize deferred_init_memmap()", 20 May 2020: Skylake table (kernel-facts.md §3.1)',
    fitRows: FIT_ROWS,
    heldOutRows: HELD_OUT,
    goals: GOALS,
    fidelity: {
      table: side,
      noPadata: {
        published: PUBLISHED.noPadata,
        memmapSim: {
          strategy: 'deferred-serial',
          deferredInitMs: Math.max(...noPadataRun.nodes.map((n) => n.deferredInitMs)),
          errPct: errPct(Math.max(...noPadataRun.nodes.map((n) => n.deferredInitMs)), PUBLISHED.noPadata.deferredInitMs),
          bootMs: noPadataRun.bootMs,
          bootErrPct: noPadataRun.bootMs === null ? null : errPct(noPadataRun.bootMs, PUBLISHED.noPadata.bootMs),
        },
      },
      heldOut: { memmapSim: memmapSim.heldOut, formula: formula.heldOut, simpyPeer: peer?.heldOut ?? null },
      memmapSimProfile: runs[0].profile,
      nodePages,
    },
    peer: {
      script: relative(ROOT, PEER),
      python: PEER_PYTHON,
      ...(peerDoc.skipped
        ? { skipped: peerDoc.skipped }
        : { version: peerDoc.peer, model: peerDoc.model, fitted: peerDoc.fitted, fitWallMs: peerDoc.fitWallMs, processWallMs: peerDoc.processWallMs }),
    },
    speed: {
      memmapSim: {
        run: `${SCENARIO} at 52 threads, library createSimulation + run, fresh process`,
        importMs: skylake.importMs,
        coldWallMs: skylake.coldWallMs,
        warmWallMs: skylake.warmWallMs,
        warmMedianMs: skylake.warmMedianMs,
        processWallMs: skylake.processWallMs,
        engineEvents: skylake.engineEvents,
        traceEvents: skylake.traceEvents,
      },
      simpyPeer: peerDoc.skipped
        ? null
        : { run: `${SCENARIO} at 52 threads, one simulate() call, median of 5`, wallMsPerRun: peerDoc.wallMsPerRun, wallMsRuns: peerDoc.wallMsRuns },
    },
    scale: {
      file: relative(ROOT, BIG),
      atNodeCpus: pick(big),
      threads1: pick(bigOne),
      memory: {
        note: 'peakLiveHeapMB: the largest V8 heapUsed right after a forced GC, sampled every 256 trace events (node --expose-gc, boot-run --live); the heap with no run is about 11 MB',
        byNodes: byNodes.map((r) => ({
          nodes: r.nodes,
          deferredTiB: r.deferredTiB,
          workersInFlight: r.threadsPerNode.reduce((a, t) => a + t, 0),
          chunks: r.chunks,
          peakLiveHeapMB: r.peakHeapUsedMB,
          endLiveHeapMB: r.endHeapUsedMB,
          peakRssMB: r.peakRssMB,
        })),
        liveHeapPerNodeMB: round((byNodes.at(-1)!.peakHeapUsedMB - byNodes[0].peakHeapUsedMB) / (byNodes.at(-1)!.nodes - byNodes[0].nodes), 2),
        byNodeSize: byNodeSize.map((r, i) => ({
          nodes: r.nodes,
          nodeSize: ['1T', '2T', '4T', '8T'][i],
          deferredTiB: r.deferredTiB,
          workersInFlight: r.threadsPerNode[0],
          chunks: r.chunks,
          peakLiveHeapMB: r.peakHeapUsedMB,
          peakRssMB: r.peakRssMB,
        })),
        byNodeSizeSpreadMB: spread(byNodeSize.map((r) => r.peakHeapUsedMB)),
      },
    },
    goalsMet: goals,
    allGoalsMet: Object.values(goals).every((g) => g !== false),
    ...(Object.keys(profiles).length ? { profiles } : {}),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

main(process.argv.slice(2));
