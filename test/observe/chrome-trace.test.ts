import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import { createSimulation } from '../../src/api/simulate.js';
import { chromeTrace, type ChromeTrace } from '../../src/observe/exporters/chrome-trace.js';

function traceOf(name: string, options: Parameters<typeof createSimulation>[1] = {}): { trace: ChromeTrace; totalMs: number } {
  const sim = createSimulation(loadScenario(name).input, { name, ...options });
  let trace: ChromeTrace | undefined;
  sim.trace$.pipe(chromeTrace()).subscribe((t) => (trace = t));
  const r = sim.run();
  return { trace: trace!, totalMs: r.totalMs };
}

const threadNames = (t: ChromeTrace) => t.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => String(e.args?.name));

describe('Chrome/Perfetto trace export', () => {
  it('shows the eight async8 workers as threads, each with init spans inside the run', () => {
    const { trace, totalMs } = traceOf('seed000-pmem-128g', { strategy: 'async8' });
    const workers = threadNames(trace).filter((n) => /^pmem0\/w\d$/.test(n));
    expect(workers.sort()).toEqual(['pmem0/w0', 'pmem0/w1', 'pmem0/w2', 'pmem0/w3', 'pmem0/w4', 'pmem0/w5', 'pmem0/w6', 'pmem0/w7']);
    const spans = trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'init');
    expect(spans.length).toBeGreaterThanOrEqual(8);
    for (const s of spans) {
      expect(s.dur!).toBeGreaterThan(0);
      expect(s.ts + s.dur!).toBeLessThanOrEqual(totalMs * 1000 + 1) // totalMs is rounded to the microsecond;
    }
  });

  it('puts every lock hold on the lock track, serialized under async8', () => {
    const { trace } = traceOf('seed000-pmem-4x128g', { strategy: 'async8' });
    const holds = trace.traceEvents.filter((e) => e.cat === 'lock').sort((a, b) => a.ts - b.ts);
    expect(holds).toHaveLength(4);
    for (let i = 1; i < holds.length; i++) expect(holds[i].ts).toBeGreaterThanOrEqual(holds[i - 1].ts + holds[i - 1].dur!);
  });

  it('has bandwidth counters that never exceed the channel capacity, and pgdatinit spans at boot', () => {
    const { trace } = traceOf('seed003-skylake-768g', { threads: 13 });
    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    expect(counters.length).toBeGreaterThan(0);
    for (const c of counters) expect(Number(c.args!['GB/s'])).toBeLessThanOrEqual(60.76);
    expect(trace.traceEvents.filter((e) => e.cat === 'boot').map((e) => e.name)).toEqual(['deferred init (13 max threads)', 'deferred init (13 max threads)']);
  });
});
