/**
 * The mechanisms the boot model stands on: usemap words and cache-line
 * bounces (H13), SMT siblings, helper start latency, deferred_grow_zone (H2).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import { simulate } from '../../src/api/simulate.js';
import { MO, ofType, PPS, slowest, smallBoot, traced } from './helpers.js';
import { PARAM_RANGES } from '../../src/model/profiles/ranges.js';

describe('usemap words (pageblock bits, 16 pageblocks to a 64-bit word, per section)', () => {
  it('padata: chunks are section-aligned, so no usemap word is ever written by two workers (seed003, 52 threads)', () => {
    const { input, name } = loadScenario('seed003-skylake-768g');
    const { result, trace } = traced(input, { name, threads: 52 });
    for (const n of result.nodes) {
      expect(n.sharedUsemapWords).toBe(0);
      expect(n.bounces).toBe(0);
      expect(n.chunks).toBeGreaterThan(150);
    }
    expect(ofType(trace, 'usemap.shared')).toEqual([]);
  });

  it('bug-unaligned-chunks: chunk edges split usemap words between two workers, close enough in time to bounce', () => {
    const { result, trace } = traced(smallBoot(), { strategy: 'bug-unaligned-chunks', threads: 7 });
    const [node] = result.nodes;
    expect(node.sharedUsemapWords).toBeGreaterThan(0);
    expect(node.bounces).toBeGreaterThan(0);
    expect(node.bounces).toBeLessThanOrEqual(node.sharedUsemapWords);
    const shared = ofType(trace, 'usemap.shared');
    expect(shared).toHaveLength(node.sharedUsemapWords);
    const chunkEnds = new Set(ofType(trace, 'padata.chunk').map((c) => c.endPfn));
    for (const s of shared) {
      expect(s.workers[0]).not.toBe(s.workers[1]);
      // The shared word holds a chunk boundary: 16 pageblocks of 512 pages = 8192 pages per word.
      const wordStart = s.section * PPS + (s.word % (PPS / 8192)) * 8192;
      expect(
        [...chunkEnds].some((e) => e > wordStart && e < wordStart + 8192),
        `word ${s.word} of section ${s.section}`,
      ).toBe(true);
    }
  });

  it('a bounce costs time: bug-unaligned-chunks is slower when a bounce costs 1 ms than when it is free (profile bounceNs)', () => {
    const at = (bounceNs: number) =>
      slowest(simulate(smallBoot(), { strategy: 'bug-unaligned-chunks', threads: 7, profile: { base: 'skylake-2020', params: { bounceNs } } }));
    expect(at(1_000_000)).toBeGreaterThan(at(0) + 1);
  });
});

describe('SMT: two workers on one core run slower than on two cores', () => {
  // 4 cores x 2 threads, 64 GiB of Normal; memory as fast as a profile allows, so the CPU is the only limit.
  const doc = {
    name: 'smt',
    boot: {},
    nodes: [
      {
        id: 0,
        cores: 4,
        threadsPerCore: 2,
        dram: [
          { start: '0', size: '2G' },
          { start: '4G', size: '64G' },
        ],
      },
    ],
  };
  const cpuBound = (smtFactor?: number) => ({
    base: 'skylake-2020',
    params: {
      dramWriteGBs: PARAM_RANGES.dramWriteGBs.max,
      streamGBs: PARAM_RANGES.streamGBs.max,
      workerStartNs: 0,
      ...(smtFactor === undefined ? {} : { smtFactor }),
    },
  });
  const time = (threads: number, smtFactor?: number, cores = 4, threadsPerCore = 2) =>
    slowest(simulate({ ...doc, nodes: [{ ...doc.nodes[0], cores, threadsPerCore }] }, { threads, profile: cpuBound(smtFactor) }));

  it('8 threads on 4 cores x 2 are slower than 2x of 4 threads: the siblings run at smtFactor (0.6, so 1.2x per core)', () => {
    const t4 = time(4);
    const t8 = time(8);
    expect(t8).toBeGreaterThan(t4 / 2);
    expect(t4 / t8).toBeGreaterThan(1.1);
    expect(t4 / t8).toBeLessThan(1.3);
  });

  it('...while 8 threads on 8 cores x 1 are about 2x of 4', () => {
    const ratio = time(4, undefined, 8, 1) / time(8, undefined, 8, 1);
    expect(ratio).toBeGreaterThan(1.85);
    expect(ratio).toBeLessThan(2.05);
  });

  it('...and with smtFactor 1 (no SMT penalty) the siblings double the throughput too', () => {
    const ratio = time(4, 1) / time(8, 1);
    expect(ratio).toBeGreaterThan(1.85);
    expect(ratio).toBeLessThan(2.05);
  });

  it('up to one thread per core, workers get whole cores first', () => {
    const { trace } = traced(doc, { threads: 4, profile: cpuBound() });
    const ends = ofType(trace, 'pages.init');
    // All four workers initialize at the same, full speed: their first steps (the same size) end together.
    const firsts = new Map<string, number>();
    for (const p of ends) if (!firsts.has(p.worker)) firsts.set(p.worker, (p.t - p.startedAt) / (p.endPfn - p.startPfn));
    const perPage = [...firsts.values()];
    expect(perPage).toHaveLength(4);
    expect(Math.max(...perPage) / Math.min(...perPage)).toBeLessThan(1.01);
  });
});

describe('helper start latency: queued helpers start workerStartNs after the caller', () => {
  const firstGrab = (workerStartNs?: number) => {
    const profile = workerStartNs === undefined ? undefined : { base: 'skylake-2020', params: { workerStartNs } };
    const { trace } = traced(smallBoot(), { threads: 6, profile });
    const [start] = ofType(trace, 'padata.start');
    const first = new Map<string, number>();
    for (const c of ofType(trace, 'padata.chunk')) if (!first.has(c.worker)) first.set(c.worker, c.t);
    const firstStep = new Map<string, number>();
    for (const p of ofType(trace, 'pages.init')) if (!firstStep.has(p.worker)) firstStep.set(p.worker, p.startedAt);
    return { start, first, firstStep };
  };

  it.each([20_000, 123_456])('workerStartNs = %i: the caller (w0) grabs at once, every helper that much later', (ns) => {
    const { start, first, firstStep } = firstGrab(ns);
    expect(start.nworks).toBe(6);
    expect(first.size).toBe(6);
    expect(first.get('node0/j0/w0')).toBe(start.t);
    for (let k = 1; k < 6; k++) expect(first.get(`node0/j0/w${k}`)).toBe(start.t + ns);
    // The first stores start at the grab.
    for (const [w, t] of first) expect(firstStep.get(w)).toBe(t);
  });

  it('the default profile value is used when the profile does not set it (skylake-2020: 20 us)', () => {
    const { start, first } = firstGrab();
    expect(first.get('node0/j0/w1')! - start.t).toBe(20_000);
  });

  it('a single-threaded job runs inline: no helper, no latency', () => {
    const { trace } = traced(smallBoot(), { strategy: 'deferred-serial' });
    const [start] = ofType(trace, 'padata.start');
    expect(start.nworks).toBe(1);
    const workers = new Set(ofType(trace, 'padata.chunk').map((c) => c.worker));
    expect([...workers]).toEqual(['node0/j0/w0']);
    expect(ofType(trace, 'padata.chunk')[0].t).toBe(start.t);
  });
});

describe('deferred_grow_zone: an early allocation burst grows the zone by whole sections, IRQs off', () => {
  const FIRST = 2 * PPS;
  const grown = (pages: number, strategy = 'padata') => traced(smallBoot({ boot: { growZone: { node: 0, pages } } }), { strategy });

  it('the correct grow stops on a section boundary with at least ALIGN(pages, section) pages, and reports its IRQs-off time', () => {
    const { result, trace } = grown(1000);
    const g = result.nodes[0].grow!;
    expect(g.stopPfn).toBe(FIRST + PPS);
    expect(g.stopPfn % PPS).toBe(0);
    expect(g.stopPfn % MO).toBe(0);
    expect(g.pages).toBe(PPS);
    const [gs] = ofType(trace, 'grow.start');
    const [ge] = ofType(trace, 'grow.end');
    expect(gs.firstDeferredPfn).toBe(FIRST);
    expect(gs.pages).toBe(1000);
    expect(ge.irqsOffNs).toBe(ge.t - gs.t);
    expect(ge.irqsOffNs).toBeGreaterThan(0);
    expect(g.irqsOffMs).toBeCloseTo(ge.irqsOffNs / 1e6, 3);
    // One section on one CPU: about 32768 x 12 ns, plus memory time.
    expect(ge.irqsOffNs).toBeGreaterThan(PPS * 10);
    expect(result.violations).toEqual([]);
  });

  it('the grow runs on one thread and finishes before deferred_init_memmap claims the rest (deferred.start)', () => {
    const { trace } = grown(1000);
    const growJob = ofType(trace, 'padata.start').find((p) => p.job.endsWith('/grow'))!;
    expect(growJob.nworks).toBe(1);
    const [ge] = ofType(trace, 'grow.end');
    const [ds] = ofType(trace, 'deferred.start');
    const order = trace.map((e) => e.type);
    expect(order.indexOf('grow.start')).toBeLessThan(order.indexOf('grow.end'));
    expect(order.indexOf('grow.end')).toBeLessThan(order.indexOf('deferred.start'));
    expect(ds.t).toBeGreaterThanOrEqual(ge.t);
    for (const p of ofType(trace, 'pages.init').filter((x) => x.worker.includes('/grow/'))) expect(p.t).toBeLessThanOrEqual(ds.t);
    // pgdatinit starts from where the grow stopped.
    expect(ds.firstDeferredPfn).toBe(ge.stopPfn);
  });

  it('the grown pages are not counted again by pgdatinit, and the kernel line times only deferred_init_memmap', () => {
    const plain = traced(smallBoot()).result.nodes[0];
    const { result } = grown(1000);
    const n = result.nodes[0];
    expect(n.pages + n.grow!.pages).toBe(plain.pages);
    expect(n.doneAtMs).toBeCloseTo(n.grow!.irqsOffMs + n.deferredInitMs, 2);
  });

  it('a burst larger than the zone (as large as the node, the most a scenario may ask) grows all of it; pgdatinit then has nothing left', () => {
    const { result } = grown(262_144);
    const n = result.nodes[0];
    expect(n.grow!.pages).toBe(192512);
    expect(n.pages).toBe(0);
    expect(result.violations).toEqual([]);
  });

  it('without deferred init (no-defer) there is no deferred_grow_zone: growZone changes nothing', () => {
    const { result, trace } = grown(1000, 'no-defer');
    expect(ofType(trace, 'grow.start')).toEqual([]);
    expect(result.nodes[0].grow).toBeNull();
    expect(result.nodes[0].pages).toBe(traced(smallBoot(), { strategy: 'no-defer' }).result.nodes[0].pages);
  });
});
