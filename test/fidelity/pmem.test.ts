/**
 * The figures the probe must reproduce: each published figure of seeds
 * 000 and 001 against the simulation's prediction (docs/fidelity.md).
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.js';
import { byName, CORRECT, KNOWN_BAD, run, scenarioDoc, SCENARIOS } from './helpers.js';

describe('seed000-pmem-128g, async8: speedup saturates on media write bandwidth', () => {
  const total = (threads: number) => run('seed000-pmem-128g', { strategy: 'async8', threads }).totalMs;
  const init = (threads: number) => run('seed000-pmem-128g', { strategy: 'async8', threads }).namespaces[0].initMs;

  it('8 threads are 1.5x to 2.0x faster than 1 thread (seed 000)', () => {
    const speedup = total(1) / total(8);
    expect(speedup).toBeGreaterThanOrEqual(1.5);
    expect(speedup).toBeLessThanOrEqual(2.0);
    const initSpeedup = init(1) / init(8);
    expect(initSpeedup).toBeGreaterThanOrEqual(1.5);
    expect(initSpeedup).toBeLessThanOrEqual(2.0);
  });

  it.each([16, 32])('%i threads are at most 10 percent faster than 8', (threads) => {
    expect(total(8) / total(threads)).toBeLessThanOrEqual(1.1);
    // ...and not slower in a way that would hide the saturation.
    expect(total(threads)).toBeLessThanOrEqual(total(8) * 1.1);
  });

  it('the run really used the requested thread counts', () => {
    for (const threads of [1, 8, 16, 32]) {
      const r = run('seed000-pmem-128g', { strategy: 'async8', threads });
      expect(r.threads).toBe(threads);
      const full = r.namespaces[0].passes.find((p) => p.work === 'full');
      expect(full?.threads).toBe(threads);
      expect(full?.lockMode).toBe('write');
    }
  });

  it('8 threads run under the lock at about the media bandwidth', () => {
    const r = run('seed000-pmem-128g', { strategy: 'async8', threads: 8 });
    const pmem = r.channels.filter((c) => c.bytes > 0);
    expect(pmem).toHaveLength(1);
    expect(pmem[0].peakUtilisation).toBeGreaterThan(0.99);
    expect(pmem[0].peakUtilisation).toBeLessThanOrEqual(1 + 1e-9);
  });
});

describe('seed000-pmem-4x128g: four namespaces probed at once', () => {
  const doc = scenarioDoc('seed000-pmem-4x128g');
  const oneDoc = { ...doc, namespaces: [doc.namespaces[0]] };
  const alone = (strategy: string) => simulate(oneDoc, { strategy, name: 'one-namespace' }).totalMs;
  const four = (strategy: string) => run('seed000-pmem-4x128g', { strategy }).totalMs;

  it('the one-namespace case is the same machine with one namespace', () => {
    const r = simulate(oneDoc, { strategy: 'async8' });
    expect(r.namespaces).toHaveLength(1);
    expect(r.namespaces[0].sizeBytes).toBe(128 * 2 ** 30);
    expect(run('seed000-pmem-4x128g', { strategy: 'async8' }).namespaces).toHaveLength(4);
  });

  it('async8: namespaces serialize on the lock (total >= 3.5x one namespace alone)', () => {
    expect(four('async8') / alone('async8')).toBeGreaterThanOrEqual(3.5);
  });

  it('async8: each namespace waits for the previous one, so availabilities are spread out', () => {
    const r = run('seed000-pmem-4x128g', { strategy: 'async8' });
    const avail = r.namespaces.map((n) => n.availableAtMs ?? Infinity).sort((a, b) => a - b);
    const one = alone('async8');
    for (let k = 1; k < avail.length; k++) expect(avail[k] - avail[k - 1]).toBeGreaterThan(0.8 * one);
  });

  it.each(['outside-lock', 'rwsem'])('%s: namespaces overlap (total <= 1.5x one namespace alone)', (strategy) => {
    expect(four(strategy) / alone(strategy)).toBeLessThanOrEqual(1.5);
  });
});

describe('seed001-pmem-3t-4node: 3 TiB per node', () => {
  const serial = () => run('seed001-pmem-3t-4node', { strategy: 'serial' });
  const outside = () => run('seed001-pmem-3t-4node', { strategy: 'outside-lock' });

  it("one node's 3 TiB initialized single-threaded takes 20 to 50 s (24 s, 30-40 s published)", () => {
    const r = outside();
    expect(r.namespaces).toHaveLength(4);
    for (const n of r.namespaces) {
      expect(n.sizeBytes).toBe(3 * 2 ** 40);
      expect(n.initMs).toBeGreaterThanOrEqual(20_000);
      expect(n.initMs).toBeLessThanOrEqual(50_000);
      for (const p of n.passes) expect(p.threads).toBe(1);
      expect(n.passes.find((p) => p.work === 'full')?.lockMode).toBeNull();
    }
  });

  it("serial's second pass costs 15 to 30 s more per node than outside-lock (about 20 s published)", () => {
    for (const n of serial().namespaces) {
      const extra = n.initMs - byName(outside(), n.name).initMs;
      expect(extra).toBeGreaterThanOrEqual(15_000);
      expect(extra).toBeLessThanOrEqual(30_000);
    }
  });

  it('nodes probed concurrently (outside-lock) finish at least 90 s sooner than under the lock one after another (serial)', () => {
    expect(serial().totalMs - outside().totalMs).toBeGreaterThanOrEqual(90_000);
  });

  it('serial: first pass under the write lock, second pass (pgmap) outside it', () => {
    for (const n of serial().namespaces) {
      const kinds = n.passes.map((p) => [p.pass, p.work, p.lockMode]);
      expect(kinds).toContainEqual([1, 'full', 'write']);
      expect(kinds).toContainEqual([2, 'pgmap', null]);
    }
  });
});

describe('no violations for the correct strategies on the three scenarios', () => {
  for (const scenario of SCENARIOS) {
    for (const strategy of CORRECT) {
      it(`${scenario} / ${strategy}`, () => {
        const r = run(scenario, { strategy });
        expect(r.engine.outcome).toBe('quiescent');
        expect(r.violations).toEqual([]);
        const doc = scenarioDoc(scenario);
        expect(r.namespaces).toHaveLength(doc.namespaces.length);
        for (const n of r.namespaces) {
          expect(n.structPagesInitialized).toBe(n.sizeBytes / 4096);
          expect(n.availableAtMs).not.toBeNull();
        }
        if (strategy !== 'serial') expect(r.findings).toEqual([]);
      });
    }
  }
});

describe('serial reports its redundant pass as a finding', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: one redundant-pass finding per namespace`, () => {
      const r = run(scenario, { strategy: 'serial' });
      const found = r.findings.filter((f) => f.kind === 'redundant-pass');
      expect(found).toHaveLength(r.namespaces.length);
      expect(found.map((f) => f.place).sort()).toEqual(r.namespaces.map((n) => n.name).sort());
      for (const f of found) {
        expect(f.invariant).toBe('I3');
        expect(f.severity).toBe('finding');
        expect(f.count).toBe(1);
        expect(f.costNs).toBeGreaterThan(0);
        expect(f.pages).toBe(byName(r, f.place).passes.find((p) => p.pass === 2)?.pages);
      }
    });
  }

  it('seed001: each finding costs about 20 s, the extra time serial spends per namespace', () => {
    const r = run('seed001-pmem-3t-4node', { strategy: 'serial' });
    const ol = run('seed001-pmem-3t-4node', { strategy: 'outside-lock' });
    for (const f of r.findings) {
      expect(f.costNs! / 1e9).toBeGreaterThanOrEqual(15);
      expect(f.costNs! / 1e9).toBeLessThanOrEqual(30);
      const extraMs = byName(r, f.place).initMs - byName(ol, f.place).initMs;
      expect(Math.abs(f.costNs! / 1e6 - extraMs)).toBeLessThan(0.01 * extraMs);
    }
  });
});

describe('known-bad strategies are caught on a small scenario', () => {
  const small = {
    name: 'small',
    nodes: [{ id: 0, cores: 4, threadsPerCore: 2, dram: [{ start: '0', size: '4G' }] }],
    namespaces: [{ name: 'pmem0', node: 0, size: '1G' }],
  };
  const expected: Record<(typeof KNOWN_BAD)[number], { invariant: string; kind: string }> = {
    'bug-resize-unlocked': { invariant: 'I4', kind: 'resize-without-write-lock' },
    'bug-publish-early': { invariant: 'I1', kind: 'dax-before-init' },
    'bug-no-ref': { invariant: 'I5', kind: 'refcount-short' },
  };

  for (const strategy of KNOWN_BAD) {
    it(`${strategy} is caught as ${expected[strategy].invariant} ${expected[strategy].kind}, and nothing else`, () => {
      const r = simulate(small, { strategy });
      expect(r.violations.map((v) => [v.invariant, v.kind])).toEqual([[expected[strategy].invariant, expected[strategy].kind]]);
    });

    it(`${strategy}: the violation carries its time, pfns, actors and history`, () => {
      const r = simulate(small, { strategy });
      const v = r.violations[0];
      expect(v).toBeDefined();
      expect(v.atNs).toBeGreaterThan(0);
      expect(v.message.length).toBeGreaterThan(0);
      expect(v.count).toBeGreaterThanOrEqual(1);
      expect(v.examples.length).toBeGreaterThanOrEqual(1);
      expect((v.history?.length ?? 0) > 0, `${v.kind} carries its history`).toBe(true);
      expect((v.actors?.length ?? 0) > 0, `${v.kind} names its actors`).toBe(true);
      expect(v.pfns !== undefined, `${v.kind} names its pfns`).toBe(true);
      const [lo, hi] = v.pfns!;
      expect(lo).toBeLessThan(hi);
      // The pfns lie inside the namespace (1 GiB placed after 4 GiB of DRAM).
      expect(lo).toBeGreaterThanOrEqual((4 * 2 ** 30) / 4096);
      expect(hi).toBeLessThanOrEqual((5 * 2 ** 30) / 4096);
    });
  }

  it('bug-publish-early: every pfn the DAX user touched before init is counted', () => {
    const r = simulate(small, { strategy: 'bug-publish-early' });
    expect(r.violations[0].count).toBe(3);
    expect(r.violations[0].examples).toHaveLength(3);
  });
});
