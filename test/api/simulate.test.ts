import { describe, expect, it } from 'vitest';
import { createSimulation, simulate } from '../../src/api/simulate.js';
import type { TraceEvent } from '../../src/model/trace-events.js';

const machine = {
  name: 'two',
  nodes: [{ id: 0, cores: 8, threadsPerCore: 2, dram: [{ start: '0', size: '4G' }] }],
  namespaces: [
    { name: 'a', node: 0, size: '2G' },
    { name: 'b', node: 0, size: '1026M', device: 'a' },
  ],
};

function traced(input: unknown, options: Parameters<typeof createSimulation>[1]) {
  const sim = createSimulation(input, options);
  const trace: TraceEvent[] = [];
  sim.trace$.subscribe((e) => trace.push(e));
  const result = sim.run();
  return { result, trace };
}

describe('simulate', () => {
  it('results do not depend on how many sections one section actor holds', () => {
    for (const strategy of ['serial', 'async8', 'outside-lock', 'rwsem', 'outside-lock-mt']) {
      const base = simulate(machine, { strategy, threads: 5 });
      for (const sectionsPerActor of [1, 7]) {
        const other = simulate(machine, { strategy, threads: 5, sectionsPerActor });
        expect(other.totalMs, `${strategy} with ${sectionsPerActor} section(s) per actor`).toBeCloseTo(base.totalMs, 3);
        expect(other.namespaces.map((n) => n.structPagesInitialized)).toEqual(base.namespaces.map((n) => n.structPagesInitialized));
        expect(other.violations).toEqual([]);
      }
    }
  });

  it('refuses a bad sectionsPerActor', () => {
    expect(() => simulate(machine, { sectionsPerActor: 0 })).toThrow(/sectionsPerActor/);
  });

  it('a Simulation runs once', () => {
    const sim = createSimulation(machine, { strategy: 'serial' });
    sim.run();
    expect(() => sim.run()).toThrow();
  });

  it('a time limit stops the run early and says so; unfinished namespaces are not reported as missing pages', () => {
    const full = simulate(machine, { strategy: 'serial' });
    const cut = simulate(machine, { strategy: 'serial', limits: { maxTimeNs: (full.totalMs * 1e6) / 4 } });
    expect(cut.engine.outcome).toBe('time-limit');
    expect(cut.violations).toEqual([]);
    expect(cut.namespaces.some((n) => n.availableAtMs === null)).toBe(true);
    expect(full.engine.outcome).toBe('quiescent');
  });

  it('an event limit stops the run after that many events', () => {
    const r = simulate(machine, { strategy: 'async8', limits: { maxEvents: 10 } });
    expect(r.engine).toEqual({ events: 10, outcome: 'event-limit' });
  });

  it('trace$ carries the whole run, ending with every namespace available', () => {
    const { result, trace } = traced(machine, { strategy: 'rwsem' });
    const available = trace.filter((e) => e.type === 'namespace.available').map((e) => (e as { namespace: string }).namespace);
    expect(available.sort()).toEqual(['a', 'b']);
    expect(result.engine.events).toBeGreaterThan(0);
    expect(Math.max(...trace.map((e) => e.t))).toBeCloseTo(result.totalMs * 1e6, -3);
  });
});

/** The probe steps of one namespace, as the trace shows them, with the lock mode held. */
function steps(trace: TraceEvent[], ns: string): string[] {
  const out: string[] = [];
  for (const e of trace) {
    if (e.type === 'lock.acquired' && e.holder === ns) out.push(`lock:${e.mode}`);
    else if (e.type === 'section.activate' && e.namespace === ns && out.at(-1) !== 'activate') out.push('activate');
    else if (e.type === 'zone.resize' && e.by === ns) out.push('resize');
    else if (e.type === 'init.start' && e.namespace === ns) out.push(`init:${e.pass}:${e.work}:${e.lockMode ?? 'unlocked'}`);
    else if (e.type === 'pgmap.ref' && e.namespace === ns && e.how === 'bulk') out.push('ref-bulk');
    else if (e.type === 'namespace.published' && e.namespace === ns) out.push('publish');
  }
  return out;
}

describe('the probe steps of each strategy, as the trace shows them (kernel-facts §2.4)', () => {
  const one = { nodes: machine.nodes, namespaces: [{ name: 'p', node: 0, size: '512M' }] };
  const expected: Record<string, string[]> = {
    serial: ['lock:write', 'activate', 'resize', 'init:1:hosting:write', 'init:1:full:write', 'init:2:pgmap:unlocked', 'publish'],
    async8: ['lock:write', 'activate', 'resize', 'init:1:hosting:write', 'init:1:full:write', 'publish'],
    'outside-lock': ['lock:write', 'activate', 'resize', 'init:1:hosting:write', 'init:1:full:unlocked', 'ref-bulk', 'publish'],
    rwsem: ['lock:write', 'activate', 'resize', 'init:1:hosting:write', 'lock:read', 'init:1:full:read', 'ref-bulk', 'publish'],
    'outside-lock-mt': ['lock:write', 'activate', 'resize', 'init:1:hosting:write', 'init:1:full:unlocked', 'ref-bulk', 'publish'],
  };
  for (const [strategy, want] of Object.entries(expected)) {
    it(strategy, () => {
      expect(steps(traced(one, { strategy }).trace, 'p')).toEqual(want);
    });
  }

  it('the trace is causal at each instant: the lock is released before the namespace starts its next step', () => {
    // Regression: the namespace emits its own events (init.start, pgmap.ref, namespace.published) synchronously,
    // while its RELEASE reaches the lock only after the macrostep; the probe must wait for the lock to
    // process it, or lock.released would appear in the trace after the next step had started.
    for (const strategy of ['serial', 'outside-lock', 'rwsem', 'outside-lock-mt', 'async8']) {
      const { trace } = traced(one, { strategy });
      let held: string | null = null;
      for (const e of trace) {
        if (e.type === 'lock.acquired' && e.holder === 'p') held = e.mode;
        else if (e.type === 'lock.released' && e.holder === 'p') held = null;
        else if ((e.type === 'init.start' && e.namespace === 'p') || (e.type === 'namespace.published' && e.namespace === 'p')) {
          const claimed = e.type === 'init.start' ? e.lockMode : null;
          expect(
            held,
            `${strategy}: ${e.type}${e.type === 'init.start' ? ` pass ${e.pass} (${e.work})` : ''} at ${e.t} ns while the trace still shows the lock held`,
          ).toBe(claimed);
        }
      }
    }
  });

  it('async8 splits equally over 8 workers, the last taking the remainder, with a reference per page', () => {
    const odd = { nodes: machine.nodes, namespaces: [{ name: 'p', node: 0, size: '514M', altmap: false }] };
    const { trace } = traced(odd, { strategy: 'async8' });
    const pages = (514 * 2 ** 20) / 4096;
    const ends = trace.filter((e): e is Extract<TraceEvent, { type: 'worker.end' }> => e.type === 'worker.end');
    expect(ends).toHaveLength(8);
    const byWorker = new Map(ends.map((e) => [e.worker, e.pages]));
    const step = Math.floor(pages / 8);
    for (let k = 0; k < 7; k++) expect(byWorker.get(`p/w${k}`)).toBe(step);
    expect(byWorker.get('p/w7')).toBe(pages - 7 * step);
    const refs = trace.filter((e) => e.type === 'pgmap.ref');
    expect(refs.every((e) => (e as { how: string }).how === 'per-page')).toBe(true);
    expect(refs.reduce((a, e) => a + (e as { count: number }).count, 0)).toBe(pages);
  });

  it('outside-lock-mt and rwsem never let two workers share a section', () => {
    for (const strategy of ['outside-lock-mt', 'rwsem']) {
      const { trace } = traced(machine, { strategy, threads: 6 });
      const owner = new Map<string, string>();
      for (const e of trace) {
        if (e.type !== 'pages.init' || e.work !== 'full') continue;
        for (let s = Math.floor(e.startPfn / 32768); s <= Math.floor((e.endPfn - 1) / 32768); s++) {
          const key = `${e.namespace}/${s}`;
          const prev = owner.get(key);
          expect(prev === undefined || prev === e.worker, `${strategy}: section ${key} shared by ${prev} and ${e.worker}`).toBe(true);
          owner.set(key, e.worker);
        }
      }
      expect(owner.size).toBeGreaterThan(0);
    }
  });

  it('under async8, a second namespace waits for the first to release the write lock before it starts', () => {
    const { result, trace } = traced(machine, { strategy: 'async8' });
    const acquired = trace.filter((e) => e.type === 'lock.acquired');
    const released = trace.filter((e) => e.type === 'lock.released');
    expect(acquired).toHaveLength(2);
    expect(acquired[1].t).toBeGreaterThanOrEqual(released[0].t);
    expect(result.locks[0].waitMs).toBeGreaterThan(0);
  });
});
