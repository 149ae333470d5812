/**
 * The probe bugs of the catalogue that need a second lock, a read hold or a
 * reference drop: each is caught with its invariant, pfns, actors and
 * history, on a small machine and on the built-in scenario it is run on.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, simulate, type SimulateOptions } from '../../src/api/simulate.js';
import { loadScenario } from '../../src/api/load-scenario.js';
import type { RunResult } from '../../src/api/result.js';
import type { IssueReport } from '../../src/observe/issues.js';
import type { TraceEvent, TraceOf } from '../../src/model/trace-events.js';

/** `count` pmem namespaces of 2 GiB, round-robin over `nodes` nodes. */
function pmem(count: number, nodes = 1): Record<string, unknown> {
  return {
    name: 'pmem-small',
    profile: 'pmem-2018',
    nodes: Array.from({ length: nodes }, (_, id) => ({ id, cores: 4, dram: [{ start: `${4 + id * 16}G`, size: '16G' }] })),
    namespaces: Array.from({ length: count }, (_, i) => ({ name: `pmem${i}`, node: i % nodes, size: '2G' })),
  };
}

function traced(scenario: unknown, options: SimulateOptions): { result: RunResult; trace: TraceEvent[] } {
  const sim = createSimulation(scenario, options);
  const trace: TraceEvent[] = [];
  sim.trace$.subscribe((e) => trace.push(e));
  return { result: sim.run(), trace };
}

function caught(r: RunResult, kind: string): IssueReport[] {
  const hits = r.violations.filter((v) => v.kind === kind);
  expect(hits.length, `${kind} in ${JSON.stringify(r.violations.map((v) => v.kind))}`).toBeGreaterThan(0);
  return hits;
}

describe('bug-lock-order: mem_hotplug_lock and pgdat_resize_lock taken in opposite orders', () => {
  const { result, trace } = traced(pmem(2), { strategy: 'bug-lock-order' });

  it('the run ends deadlocked, never quiescent, and its namespaces are never available', () => {
    expect(result.engine.outcome).toBe('deadlocked');
    expect(result.namespaces.map((n) => n.availableAtMs)).toEqual([null, null]);
  });

  it('I4: the wait-for graph has the cycle pmem1 -> mem_hotplug_lock -> pmem0 -> pgdat_resize_lock -> pmem1', () => {
    const [v] = caught(result, 'deadlock');
    expect(v.invariant).toBe('I4');
    // The cycle starts at the first waiter: pmem1 asked for mem_hotplug_lock before pmem0 asked for pgdat_resize_lock.
    expect(v.actors).toEqual(['pmem1', 'pmem0']);
    expect(v.message).toBe('deadlock: pmem1 waits for mem_hotplug_lock held by pmem0, pmem0 waits for node0/pgdat_resize_lock held by pmem1');
    // The history: each one's grant of the lock it holds and its request for the other.
    const steps = (v.history ?? []).map((e) => (e.type.startsWith('lock.') && 'lock' in e && 'holder' in e ? `${e.holder} ${e.type} ${e.lock}` : e.type));
    expect(steps).toEqual(
      expect.arrayContaining([
        'pmem0 lock.acquired mem_hotplug_lock',
        'pmem0 lock.request node0/pgdat_resize_lock',
        'pmem1 lock.acquired node0/pgdat_resize_lock',
        'pmem1 lock.request mem_hotplug_lock',
      ]),
    );
    // Neither probe gets past its second lock: nothing is resized, nothing published.
    expect(trace.some((e) => e.type === 'zone.resize' || e.type === 'namespace.published')).toBe(false);
    expect(result.engine.outcome).not.toBe('failed');
  });

  it('pgdat_resize_lock is a spinlock: exclusive, granted at once', () => {
    const grant = trace.find((e) => e.type === 'lock.acquired' && e.lock === 'node0/pgdat_resize_lock');
    expect(grant).toMatchObject({ holder: 'pmem1', mode: 'write', waitNs: 0, t: 0 });
  });

  it('latent with one namespace, or with the two paths on different nodes (a pgdat_resize_lock each)', () => {
    for (const scenario of [pmem(1), pmem(2, 2)]) {
      const r = simulate(scenario, { strategy: 'bug-lock-order' });
      expect(r.violations).toEqual([]);
      expect(r.namespaces.every((n) => n.availableAtMs !== null)).toBe(true);
    }
  });

  it('run --strategy bug-lock-order on seed000-pmem-4x128g: the deadlock, two more probes stuck behind it', () => {
    const r = simulate(loadScenario('seed000-pmem-4x128g').input, { strategy: 'bug-lock-order' });
    const [v] = caught(r, 'deadlock');
    expect(v.actors).toEqual(['pmem0', 'pmem1', 'pmem2', 'pmem3']);
    expect(v.message).toContain('2 more waiting behind it (pmem2, pmem3)');
  });
});

describe('bug-resize-under-read: the zone span resized under mem_hotplug_lock held for read', () => {
  it('I4 at each resize, naming the resizer, its read hold and the pfns', () => {
    const { result, trace } = traced(pmem(2), { strategy: 'bug-resize-under-read' });
    const [v] = caught(result, 'resize-without-write-lock');
    expect(v.invariant).toBe('I4');
    expect(v.count).toBe(2);
    const resize = trace.find((e) => e.type === 'zone.resize' && e.by === v.actors![0])!;
    if (resize.type !== 'zone.resize') throw new Error('no resize');
    expect(v.pfns).toEqual([resize.startPfn, resize.endPfn]);
    expect(v.message).toBe(`node0/device span changed by ${resize.by} while ${resize.by} held mem_hotplug_lock only for read`);
    const [held, at] = v.history!;
    expect(held).toMatchObject({ type: 'lock.acquired', holder: resize.by, mode: 'read' });
    expect(at).toBe(resize);
  });

  it('the same probe with the resize in the write section (rwsem) is clean', () => {
    expect(simulate(pmem(2), { strategy: 'rwsem' }).violations).toEqual([]);
  });
});

describe('bug-ref-drop-early: the pgmap references dropped while the pages are published', () => {
  it('I5 when the put happens, with the published pfns, once per namespace', () => {
    const { result, trace } = traced(pmem(2), { strategy: 'bug-ref-drop-early' });
    const hits = caught(result, 'ref-dropped-while-published');
    expect(hits.map((v) => v.place)).toEqual(['pmem0', 'pmem1']);
    for (const v of hits) {
      expect(v.invariant).toBe('I5');
      const probe = trace.find((e) => e.type === 'probe.start' && e.namespace === v.place)!;
      if (probe.type !== 'probe.start') throw new Error('no probe');
      expect(v.pfns).toEqual([probe.dataStartPfn, probe.endPfn]);
      expect(v.actors).toEqual([v.place]);
      const [get, pub, put] = v.history! as readonly [TraceEvent, TraceOf<'namespace.published'>, TraceEvent];
      expect(get).toMatchObject({ type: 'pgmap.ref', how: 'bulk' });
      expect(pub).toMatchObject({ type: 'namespace.published', namespace: v.place });
      expect(put).toMatchObject({ type: 'pgmap.ref', how: 'put', count: -pub.pages });
      expect(v.atNs).toBe(put.t);
      expect(v.pages).toBe(pub.pages);
    }
    // Reported once: not again as a short count at the end.
    expect(result.violations.filter((v) => v.kind === 'refcount-short')).toEqual([]);
  });

  it('run --strategy bug-ref-drop-early on seed000-pmem-128g', () => {
    const r = simulate(loadScenario('seed000-pmem-128g').input, { strategy: 'bug-ref-drop-early' });
    expect(caught(r, 'ref-dropped-while-published').map((v) => v.place)).toEqual(['pmem0']);
  });
});
