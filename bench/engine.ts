/**
 * Engine benchmark. Prints one JSON document:
 * - micro: events per second of the engine alone: a VirtualClock driving a
 *   ping-pong pair of XState actors that send each other delayed events
 *   (every event is one clock timer and one XState macrostep); and, for
 *   scale, the clock's heap with no actors at all;
 * - runs: seed001-pmem-3t-4node (12 TiB of pmem) under each strategy, each in
 *   a fresh child process (dist/bench/engine-run.js): wall time, engine
 *   events, peak RSS and peak heap, against the goals (under 2 s and under
 *   500 MB per run);
 * - memory: the generated scenarios of bench/scenarios/memory.ts, each in a
 *   child process, against goals that ask memory and time to follow the
 *   work, not the size of the machine: one 4 PiB namespace under 1 s and
 *   300 MB; 256 x 4 TiB namespaces under 5 s and 500 MB; a node with 10,000
 *   DRAM ranges under 5 s;
 * - tinyScope: runs per second in this one process on the checker's tiny
 *   scope, the cases drawn as `check --scope tiny` draws them (drawCase of
 *   each run's runSeed) for every correct strategy of both families, round
 *   robin; warm (a first pass untimed); goal at least 1,000 runs per second;
 * - big: 64 TiB on 8 nodes at 128 threads, warm (the second run in a child
 *   process): bench/scenarios/pmem-64t-8node.json (8 TiB of fsdax pmem with
 *   altmap per node) under outside-lock-mt at --threads 128, goal under
 *   0.5 s; and, as its boot variant without a goal, boot-64t-8node (8 TiB
 *   of DRAM and 128 CPUs per node, padata);
 * - bootRanges: the boot of one node with 10,000 DRAM ranges (memory:dram-10k,
 *   padata), cold, in a child process: goal under 5 s.
 * A goal on time is judged on the process's CPU time (cpuMs): on a shared
 * machine wall time also counts other jobs' turns. Both are printed.
 *
 *   npm run bench                      # builds, then runs this
 *   node dist/bench/engine.js [events]
 *   node dist/bench/engine.js --memory # the memory goals alone
 *   node dist/bench/engine.js --speed  # the tiny-scope, 64 TiB and 10,000-range goals alone
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createActor, enqueueActions, setup, type AnyActorRef } from 'xstate';
import { drawCase } from '../src/api/check/draw.js';
import { runCase } from '../src/api/check/run-case.js';
import { runSeed } from '../src/api/check/run-seed.js';
import { selectStrategies } from '../src/api/check/strategies.js';
import { runToQuiescence } from '../src/sim/run-loop.js';
import { VirtualClock } from '../src/sim/virtual-clock.js';

const SCENARIO = 'seed001-pmem-3t-4node';
const STRATEGIES = ['serial', 'async8', 'outside-lock', 'rwsem', 'outside-lock-mt'] as const;
const GOAL_WALL_MS = 2000;
const GOAL_RSS_MB = 500;

/** Generated scenarios (bench/scenarios/memory.ts), their strategy and their goals; null: no memory goal. */
const MEMORY_GOALS = [
  { scenario: 'memory:ns-4p', strategy: 'outside-lock', wallMs: 1000, peakRssMB: 300 },
  { scenario: 'memory:ns-256x4t', strategy: 'outside-lock', wallMs: 5000, peakRssMB: 500 },
  { scenario: 'memory:dram-10k', strategy: 'padata', wallMs: 5000, peakRssMB: null },
] as const;

/** Runs of the tiny-scope goal, and the runs of its untimed first pass. */
const TINY_RUNS = 2000;
const TINY_WARMUP_RUNS = 400;
const GOAL_TINY_RUNS_PER_SEC = 1000;
const GOAL_BIG_MS = 500;
const SCENARIOS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'scenarios');
const BIG = { scenario: join(SCENARIOS_DIR, 'pmem-64t-8node.json'), strategy: 'outside-lock-mt', threads: 128 } as const;
const BIG_BOOT = { scenario: join(SCENARIOS_DIR, 'boot-64t-8node.json'), strategy: 'padata' } as const;
/** A node whose memory is 10,000 DRAM ranges (bench/scenarios/memory.ts): every range is a padata job. */
const BOOT_RANGES = { scenario: 'memory:dram-10k', strategy: 'padata', cpuMs: 5000 } as const;

type Ball = { type: 'BALL'; n: number };

/** One player: on BALL n, sends BALL n+1 to its peer 10 ns later, until n reaches the limit. */
const player = setup({
  types: { context: {} as { peer: string; limit: number }, events: {} as Ball, input: {} as { peer: string; limit: number } },
  actions: {
    volley: enqueueActions(({ context, event, enqueue, system }) => {
      if (event.n >= context.limit) return;
      const peer = system.get(context.peer) as AnyActorRef;
      // An explicit id: XState would otherwise draw one from Math.random.
      enqueue.sendTo(peer, { type: 'BALL', n: event.n + 1 }, { delay: 10, id: 'ball' });
    }),
  },
}).createMachine({
  context: ({ input }) => ({ peer: input.peer, limit: input.limit }),
  initial: 'playing',
  states: { playing: { on: { BALL: { actions: 'volley' } } } },
});

const table = setup({
  types: { input: {} as { limit: number }, context: {} as { limit: number } },
  actors: { player },
}).createMachine({
  context: ({ input }) => ({ limit: input.limit }),
  entry: enqueueActions(({ context, enqueue }) => {
    enqueue.spawnChild('player', { id: 'ping', systemId: 'ping', input: { peer: 'pong', limit: context.limit } });
    enqueue.spawnChild('player', { id: 'pong', systemId: 'pong', input: { peer: 'ping', limit: context.limit } });
  }),
});

function pingPong(events: number): { events: number; wallMs: number; eventsPerSec: number; simulatedNs: number } {
  const clock = new VirtualClock();
  const root = createActor(table, { clock, input: { limit: events } });
  root.start();
  (root.system.get('ping') as AnyActorRef).send({ type: 'BALL', n: 0 });
  const t0 = performance.now();
  const outcome = runToQuiescence(clock);
  const wallMs = performance.now() - t0;
  root.stop();
  return { events: outcome.events, wallMs: round(wallMs), eventsPerSec: Math.round(outcome.events / (wallMs / 1e3)), simulatedNs: outcome.timeNs };
}

/** The heap alone: every fired timer schedules the next, with 64 timers pending. */
function clockOnly(events: number): { events: number; wallMs: number; eventsPerSec: number } {
  const clock = new VirtualClock();
  let left = events;
  const tick = () => {
    if (--left > 0) clock.setTimeout(tick, 10 + (left % 7));
  };
  for (let i = 0; i < 64; i++) clock.setTimeout(tick, i);
  const t0 = performance.now();
  const outcome = runToQuiescence(clock);
  const wallMs = performance.now() - t0;
  return { events: outcome.events, wallMs: round(wallMs), eventsPerSec: Math.round(outcome.events / (wallMs / 1e3)) };
}

const round = (x: number) => Math.round(x * 10) / 10;

interface ChildResult {
  scenario: string;
  strategy: string;
  threads: number;
  warm: boolean;
  wallMs: number;
  cpuMs: number;
  events: number;
  traceEvents: number;
  simulatedMs: number;
  violations: number;
  peakRssMB: number;
  heapUsedMB: number;
}

function runChild(strategy: string, scenario: string = SCENARIO, extra: readonly string[] = []): ChildResult & { processWallMs: number } {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'engine-run.js');
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [child, scenario, strategy, ...extra], { encoding: 'utf8', maxBuffer: 2 ** 24 });
  const processWallMs = Math.round(performance.now() - t0);
  return { ...(JSON.parse(out) as ChildResult), processWallMs };
}

function memoryRuns() {
  return MEMORY_GOALS.map((g) => {
    const r = runChild(g.strategy, g.scenario);
    const goals = { wallUnder: r.wallMs < g.wallMs, ...(g.peakRssMB === null ? {} : { rssUnder: r.peakRssMB < g.peakRssMB }) };
    return { ...r, goal: { wallMs: g.wallMs, peakRssMB: g.peakRssMB }, goals, met: Object.values(goals).every(Boolean) };
  });
}

/** The tiny-scope cases, as a campaign of seed 1 draws them: run i of each correct strategy, round robin over the strategies. */
function tinyCases(runs: number) {
  const strategies = selectStrategies({ all: 'correct' });
  const cases = [];
  for (let i = 0; cases.length < runs; i++) {
    for (const s of strategies) if (cases.length < runs) cases.push({ s, c: drawCase(s.family, 'tiny', runSeed(1, s.name, i)) });
  }
  return { strategies, cases };
}

/** Runs per second in this process on the tiny scope, warm: the first TINY_WARMUP_RUNS cases once untimed, then all of them timed. */
function tinyScope() {
  const { strategies, cases } = tinyCases(TINY_RUNS);
  for (const { s, c } of cases.slice(0, TINY_WARMUP_RUNS)) runCase(c, s.ref);
  let found = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const { s, c } of cases) if (runCase(c, s.ref).found) found++;
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const runsPerCpuSecond = Math.round((cases.length * 1000) / cpuMs);
  return {
    scope: 'tiny',
    runs: cases.length,
    strategies: strategies.map((s) => `${s.family}:${s.name}`),
    found,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(cpuMs),
    runsPerSecond: Math.round((cases.length * 1000) / wallMs),
    runsPerCpuSecond,
    goal: { runsPerSecond: GOAL_TINY_RUNS_PER_SEC },
    met: runsPerCpuSecond >= GOAL_TINY_RUNS_PER_SEC,
  };
}

/** 64 TiB on 8 nodes at 128 threads, warm, in a child process; and its boot variant. */
function bigRuns() {
  const r = runChild(BIG.strategy, BIG.scenario, [String(BIG.threads), '--warm']);
  const probe = { ...r, goal: { cpuMs: GOAL_BIG_MS }, met: r.cpuMs < GOAL_BIG_MS };
  const boot = { ...runChild(BIG_BOOT.strategy, BIG_BOOT.scenario, ['--warm']), goal: null };
  return { probe, boot };
}

/** The 10,000-range boot, cold (its one run is the point: per-range work must not add up), judged on CPU time. */
function bootRanges() {
  const r = runChild(BOOT_RANGES.strategy, BOOT_RANGES.scenario);
  return { ...r, goal: { cpuMs: BOOT_RANGES.cpuMs }, met: r.cpuMs < BOOT_RANGES.cpuMs };
}

function speedGoals() {
  const tiny = tinyScope();
  const big = bigRuns();
  const ranges = bootRanges();
  return { tinyScope: tiny, big, bootRanges: ranges, met: tiny.met && big.probe.met && ranges.met };
}

function main(): void {
  const header = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cpus: availableParallelism() };
  if (process.argv[2] === '--memory') {
    const memory = memoryRuns();
    process.stdout.write(`${JSON.stringify({ ...header, loadavg1m: round(loadavg()[0]), memory, allGoalsMet: memory.every((r) => r.met) }, null, 2)}\n`);
    return;
  }
  if (process.argv[2] === '--speed') {
    const speed = speedGoals();
    process.stdout.write(`${JSON.stringify({ ...header, loadavg1m: round(loadavg()[0]), ...speed, allGoalsMet: speed.met }, null, 2)}\n`);
    return;
  }
  const n = Number(process.argv[2] ?? 200_000);
  // A short warm-up so the JIT has compiled the hot paths before timing.
  pingPong(10_000);
  clockOnly(10_000);
  const micro = { pingPong: pingPong(n), clockOnly: clockOnly(n * 5) };
  const runs = STRATEGIES.map((s) => {
    const r = runChild(s);
    return { ...r, goals: { wallUnder2s: r.wallMs < GOAL_WALL_MS, rssUnder500MB: r.peakRssMB < GOAL_RSS_MB } };
  });
  const memory = memoryRuns();
  const speed = speedGoals();
  const doc = {
    ...header,
    loadavg1m: round(loadavg()[0]),
    micro,
    scenario: SCENARIO,
    goals: { wallMs: GOAL_WALL_MS, peakRssMB: GOAL_RSS_MB },
    runs,
    memory,
    tinyScope: speed.tinyScope,
    big: speed.big,
    bootRanges: speed.bootRanges,
    allGoalsMet: runs.every((r) => r.goals.wallUnder2s && r.goals.rssUnder500MB) && memory.every((r) => r.met) && speed.met,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

main();
