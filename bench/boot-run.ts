/**
 * One measured boot run, in a process of its own (spawned by bench/boot.ts):
 *
 *   node [--expose-gc] dist/bench/boot-run.js <scenario|file> [--threads N] [--nodes K] [--node-size SIZE] [--repeat R] [--strategy S] [--live]
 *
 * --nodes K keeps only the scenario's first K nodes (bench/boot.ts uses it to
 * run 8, 16, 32 and 64 TiB from bench/scenarios/boot-64t-8node.json);
 * --node-size SIZE resizes every kept node to SIZE of DRAM (its last range
 * grows or shrinks; its start and the other ranges stay);
 * --repeat R runs the same scenario R more times after the first (warm runs);
 * --live collects garbage (node --expose-gc) before every memory sample, so
 * peakHeapUsedMB is the peak of the live heap rather than of heap plus garbage
 * (much slower: its wall times mean nothing).
 *
 * Prints one JSON document:
 * - importMs: loading memmap-sim's modules (not part of any run);
 * - coldWallMs: the first run in this process (createSimulation + run): JIT
 *   cold, the way a CLI user's single run goes;
 * - warmWallMs, warmMedianMs: the R runs after it;
 * - peakRssMB: the largest process.memoryUsage().rss sampled (every 256 trace
 *   events and at the end of each run); maxRssMB: getrusage's maxrss, which
 *   also counts Node itself and any peak between samples;
 * - peakHeapUsedMB: the largest V8 heapUsed sampled the same way; endHeapUsedMB
 *   after the runs, following a forced GC when node runs with --expose-gc.
 */
import { performance } from 'node:perf_hooks';

interface Args {
  ref: string;
  threads?: number;
  nodes?: number;
  repeat: number;
  strategy?: string;
  nodeSize?: string;
  live: boolean;
}

function parseArgs(argv: readonly string[]): Args | null {
  const [ref, ...rest] = argv;
  if (!ref || ref.startsWith('--')) return null;
  const out: Args = { ref, repeat: 0, live: false };
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    if (flag === '--live') {
      out.live = true;
      i--;
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined) return null;
    if (flag === '--threads') out.threads = Number(value);
    else if (flag === '--nodes') out.nodes = Number(value);
    else if (flag === '--repeat') out.repeat = Number(value);
    else if (flag === '--strategy') out.strategy = value;
    else if (flag === '--node-size') out.nodeSize = value;
    else return null;
  }
  return out;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(
      'usage: node [--expose-gc] dist/bench/boot-run.js <scenario|file> [--threads N] [--nodes K] [--node-size SIZE] [--repeat R] [--strategy S] [--live]\n',
    );
    process.exitCode = 2;
    return;
  }
  const tImport = performance.now();
  const { createSimulation, loadScenario, parseSize } = await import('../src/index.js');
  const importMs = performance.now() - tImport;

  const { input, name } = loadScenario(args.ref);
  type Range = { start: string | number; size: string | number };
  type Node = { dram: Range[] };
  const doc = input as { nodes: Node[] };
  let nodes = args.nodes === undefined ? doc.nodes : doc.nodes.slice(0, args.nodes);
  if (args.nodeSize !== undefined) {
    const want = parseSize(args.nodeSize, '--node-size');
    nodes = nodes.map((n) => {
      const others = n.dram.slice(0, -1).reduce((a, r) => a + parseSize(r.size, 'dram.size'), 0);
      return { ...n, dram: [...n.dram.slice(0, -1), { ...n.dram.at(-1)!, size: want - others }] };
    });
  }
  const scenario = { ...doc, nodes };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (args.live && !gc) throw new Error('--live needs node --expose-gc');

  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    if (args.live) gc!();
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  sample();

  const once = () => {
    let seen = 0;
    const t0 = performance.now();
    const sim = createSimulation(scenario, { name, threads: args.threads, strategy: args.strategy });
    sim.trace$.subscribe(() => {
      if (++seen % 256 === 0) sample();
    });
    const result = sim.run();
    const wallMs = performance.now() - t0;
    sample();
    return { result, wallMs, traceEvents: seen };
  };

  const first = once();
  const warm: number[] = [];
  for (let i = 0; i < args.repeat; i++) warm.push(once().wallMs);
  const sorted = [...warm].sort((a, b) => a - b);
  if (gc) gc();
  const r = first.result;
  const pages = r.nodes.reduce((a, n) => a + n.pages, 0);
  process.stdout.write(
    `${JSON.stringify({
      scenario: r.scenario,
      nodes: r.nodes.length,
      deferredPages: pages,
      // 4 KiB pages; the early-initialized part and the memmap are not in `pages`.
      deferredTiB: Math.round(((pages * 4096) / 2 ** 40) * 1000) / 1000,
      strategy: r.strategy,
      threadsPerNode: r.nodes.map((n) => n.threads),
      chunks: r.nodes.reduce((a, n) => a + n.chunks, 0),
      deferredInitMs: r.nodes.length ? Math.max(...r.nodes.map((n) => n.deferredInitMs)) : 0,
      bootMs: r.bootMs,
      violations: r.violations.reduce((a, v) => a + v.count, 0),
      engineEvents: r.engine.events,
      traceEvents: first.traceEvents,
      importMs: round1(importMs),
      coldWallMs: round1(first.wallMs),
      warmWallMs: warm.map(round1),
      warmMedianMs: sorted.length ? round1(sorted[Math.floor((sorted.length - 1) / 2)]) : null,
      peakRssMB: mb(peakRss),
      maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
      peakHeapUsedMB: mb(peakHeap),
      live: args.live,
      endHeapUsedMB: mb(process.memoryUsage().heapUsed),
    })}\n`,
  );
}

await main(process.argv.slice(2));
