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
 *   DRAM ranges under 5 s.
 *
 *   npm run bench                      # builds, then runs this
 *   node dist/bench/engine.js [events]
 *   node dist/bench/engine.js --memory # the memory goals alone
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createActor, enqueueActions, setup, type AnyActorRef } from 'xstate';
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
  wallMs: number;
  cpuMs: number;
  events: number;
  traceEvents: number;
  simulatedMs: number;
  violations: number;
  peakRssMB: number;
  heapUsedMB: number;
}

function runChild(strategy: string, scenario: string = SCENARIO): ChildResult & { processWallMs: number } {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'engine-run.js');
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [child, scenario, strategy], { encoding: 'utf8', maxBuffer: 2 ** 24 });
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

function main(): void {
  const header = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cpus: availableParallelism() };
  if (process.argv[2] === '--memory') {
    const memory = memoryRuns();
    process.stdout.write(`${JSON.stringify({ ...header, loadavg1m: round(loadavg()[0]), memory, allGoalsMet: memory.every((r) => r.met) }, null, 2)}\n`);
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
  const doc = {
    ...header,
    loadavg1m: round(loadavg()[0]),
    micro,
    scenario: SCENARIO,
    goals: { wallMs: GOAL_WALL_MS, peakRssMB: GOAL_RSS_MB },
    runs,
    memory,
    allGoalsMet: runs.every((r) => r.goals.wallUnder2s && r.goals.rssUnder500MB) && memory.every((r) => r.met),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

main();
