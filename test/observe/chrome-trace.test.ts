import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import { createSimulation } from '../../src/api/simulate.js';
import { chromeTrace, withIssues, type ChromeTrace } from '../../src/report/chrome-trace.js';

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
      expect(s.ts + s.dur!).toBeLessThanOrEqual(totalMs * 1000 + 1); // totalMs is rounded to the microsecond;
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

describe('the trace as Perfetto users expect it', () => {
  function fullTrace(name: string, strategy: string): ChromeTrace {
    const sim = createSimulation(loadScenario(name).input, { name, strategy });
    let trace: ChromeTrace | undefined;
    sim.trace$.pipe(chromeTrace()).subscribe((t) => (trace = t));
    const result = sim.run();
    return withIssues(trace!, result);
  }

  it('has the violations of bug-publish-early as instant events on the issues track, pfns in hex and history in args', () => {
    const sim = createSimulation(loadScenario('seed000-pmem-4x128g').input, { name: 'seed000-pmem-4x128g', strategy: 'bug-publish-early' });
    let raw: ChromeTrace | undefined;
    sim.trace$.pipe(chromeTrace()).subscribe((t) => (raw = t));
    const result = sim.run();
    const trace = withIssues(raw!, result);
    const issuesPid = trace.traceEvents.find((e) => e.name === 'process_name' && e.args?.name === 'issues')!.pid;
    const instants = trace.traceEvents.filter((e) => e.pid === issuesPid && e.ph === 'i' && e.cat === 'violation');
    expect(result.violations.length).toBeGreaterThan(0);
    expect(instants.length).toBe(result.violations.reduce((n, v) => n + v.examples.length, 0));
    expect(new Set(instants.map((e) => e.name))).toEqual(new Set(result.violations.map((v) => `${v.invariant} ${v.kind}`)));
    for (const e of instants) {
      if (e.args?.pfns !== undefined) expect(e.args.pfns).toMatch(/^\[0x[0-9a-f]+, 0x[0-9a-f]+\)$/);
    }
    expect(instants.some((e) => Array.isArray(e.args?.history) && (e.args.history as unknown[]).length > 0)).toBe(true);
  });

  it('has pmem1 waiting for mem_hotplug_lock as a slice under async8, and its hand-off as a flow', () => {
    const trace = fullTrace('seed000-pmem-4x128g', 'async8');
    const waits = trace.traceEvents.filter((e) => e.cat === 'lock-wait');
    const pmem1 = waits.find((e) => e.args?.holder === 'pmem1')!;
    expect(pmem1.ph).toBe('X');
    expect(pmem1.dur!).toBeGreaterThan(0);
    expect(pmem1.args?.kernel).toBe('percpu_down_write');
    expect(trace.traceEvents.some((e) => e.ph === 's' && e.name === 'mem_hotplug_lock hand-off')).toBe(true);
  });

  it('pairs every flow start with one finish, and orders processes and threads with sort indexes', () => {
    for (const strategy of ['async8', 'bug-publish-early']) {
      const trace = fullTrace('seed000-pmem-4x128g', strategy);
      const flows = trace.traceEvents.filter((e) => e.ph === 's' || e.ph === 'f');
      expect(flows.length).toBeGreaterThan(0);
      const ids = new Map<number, string[]>();
      for (const f of flows) ids.set(f.id!, [...(ids.get(f.id!) ?? []), f.ph]);
      for (const [id, phs] of ids) expect(phs.sort(), `flow ${id}`).toEqual(['f', 's']);
      const procs = trace.traceEvents.filter((e) => e.name === 'process_name');
      const sorted = trace.traceEvents.filter((e) => e.name === 'process_sort_index');
      expect(sorted.map((e) => e.pid).sort()).toEqual(procs.map((e) => e.pid).sort());
      const order = [...sorted]
        .sort((a, b) => Number(a.args!.sort_index) - Number(b.args!.sort_index))
        .map((s) => procs.find((p) => p.pid === s.pid)!.args!.name);
      expect(order.slice(0, 5)).toEqual(strategy === 'async8' ? ['pmem0', 'pmem1', 'pmem2', 'pmem3', 'locks'] : ['issues', 'pmem0', 'pmem1', 'pmem2', 'pmem3']);
      expect(trace.traceEvents.filter((e) => e.name === 'thread_sort_index').length).toBe(trace.traceEvents.filter((e) => e.name === 'thread_name').length);
    }
    const publish = fullTrace('seed000-pmem-4x128g', 'bug-publish-early');
    expect(publish.traceEvents.some((e) => e.ph === 's' && e.name === 'publish to DAX access')).toBe(true);
  });

  it('names the kernel functions in args: memmap_init_zone_device, deferred_init_maxorder, padata_do_multithreaded', () => {
    const kernels = (t: ChromeTrace) => new Set(t.traceEvents.map((e) => e.args?.kernel).filter(Boolean));
    const probe = kernels(traceOf('seed000-pmem-128g', { strategy: 'outside-lock' }).trace);
    for (const k of ['memmap_init_zone_device', 'percpu_down_write', 'sparse_add_section']) expect(probe).toContain(k);
    const boot = kernels(traceOf('seed003-skylake-768g', { threads: 13 }).trace);
    for (const k of ['deferred_init_maxorder', 'padata_do_multithreaded', 'deferred_init_memmap']) expect(boot).toContain(k);
  });
});
