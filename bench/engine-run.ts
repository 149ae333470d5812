/**
 * One measured run, in a process of its own (spawned by bench/engine.ts):
 *
 *   node dist/bench/engine-run.js <scenario|file> <strategy> [threads]
 *
 * Prints one JSON document: {scenario, strategy, threads, wallMs, events,
 * simulatedMs, violations, peakRssMB, heapUsedMB}.
 * - wallMs: wall time of the run itself (createSimulation + run), not of
 *   loading Node and the modules.
 * - peakRssMB: the process's peak resident set (getrusage maxrss), which
 *   includes Node itself.
 * - heapUsedMB: the largest V8 heapUsed seen, sampled every 64 trace events
 *   during the run and once at its end.
 */
import { createSimulation, loadScenario } from '../src/index.js';

function main(argv: readonly string[]): void {
  const [ref, strategy, threadsArg] = argv;
  if (!ref || !strategy) {
    process.stderr.write('usage: node dist/bench/engine-run.js <scenario|file> <strategy> [threads]\n');
    process.exitCode = 2;
    return;
  }
  const { input, name } = loadScenario(ref);
  let heapPeak = process.memoryUsage().heapUsed;
  let seen = 0;
  const t0 = performance.now();
  const sim = createSimulation(input, { name, strategy, threads: threadsArg === undefined ? undefined : Number(threadsArg) });
  sim.trace$.subscribe(() => {
    if (++seen % 64 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  });
  const result = sim.run();
  const wallMs = performance.now() - t0;
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      scenario: result.scenario,
      strategy: result.strategy,
      threads: result.threads,
      wallMs: Math.round(wallMs),
      events: result.engine.events,
      traceEvents: seen,
      simulatedMs: result.totalMs,
      violations: result.violations.reduce((a, v) => a + v.count, 0),
      // maxRSS is in KiB on Linux.
      peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
      heapUsedMB: mb(heapPeak),
    })}\n`,
  );
}

main(process.argv.slice(2));
