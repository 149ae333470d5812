/**
 * Fidelity on seed003-skylake-768g (what it must reproduce): calibrated
 * on the 1- and 52-thread rows of Jordan's padata v2 table only
 * (kernel-facts.md §3.1), the other rows are predictions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrate, type Calibration } from '../../src/api/calibrate.js';
import { loadScenario } from '../../src/api/load-scenario.js';
import type { RunResult } from '../../src/api/result.js';
import { simulate, type SimulateOptions } from '../../src/api/simulate.js';
import { median, slowest } from './helpers.js';

const { input, name } = loadScenario('seed003-skylake-768g');

/** Jordan, "[PATCH v2 5/7] mm: parallelize deferred_init_memmap()", 20 May 2020: threads -> ms. */
const DEFERRED: Record<number, number> = { 1: 1717.7, 6: 341.0, 13: 193.3, 19: 175.3, 26: 193.7, 39: 172.7, 52: 143.3 };
const BOOT: Record<number, number> = { 1: 4021.3, 6: 2644.7, 13: 2498.0, 19: 2482.0, 26: 2495.0, 39: 2478.0, 52: 2448.0 };
const PREDICTED_ROWS = [6, 13, 19, 26, 39];
const ALL_ROWS = [1, ...PREDICTED_ROWS, 52];

let cal: Calibration;
const cache = new Map<string, RunResult>();
function run(options: SimulateOptions): RunResult {
  const key = JSON.stringify(options);
  let r = cache.get(key);
  if (!r) cache.set(key, (r = simulate(input, { name, profile: cal.profile, ...options })));
  return r;
}
const deferredAt = (threads: number, strategy = 'padata') => slowest(run({ threads, strategy }));
const relErr = (predicted: number, published: number) => Math.abs(predicted - published) / published;
const restOfBootMs = () => {
  const p = cal.profile.params!.restOfBootMs;
  return typeof p === 'number' ? p : p.value;
};

beforeAll(() => {
  // Start away from the shipped fit, so the test shows calibrate finding it.
  cal = calibrate(
    input,
    [
      { threads: 1, ms: DEFERRED[1] },
      { threads: 52, ms: DEFERRED[52] },
    ],
    {
      name,
      boot: [
        { threads: 1, ms: BOOT[1] },
        { threads: 52, ms: BOOT[52] },
      ],
      base: { base: 'skylake-2020', params: { pageInitNs: 20, dramWriteGBs: 30 } },
    },
  );
  // A dozen simulations of a 768 GiB boot: seconds, more on a loaded machine.
}, 60_000);

describe('calibration on the 1- and 52-thread rows only', () => {
  it('fits the per-page cost, the node bandwidth and the rest of boot, and nothing else', () => {
    expect([...cal.fit.fitted].sort()).toEqual(['dramWriteGBs', 'pageInitNs', 'restOfBootMs']);
    expect(Object.keys(cal.profile.params ?? {}).sort()).toEqual(['dramWriteGBs', 'pageInitNs', 'restOfBootMs']);
    expect(cal.fit.rows.map((r) => r.threads)).toEqual([1, 52]);
    // It moved from the starting point.
    const value = (k: string) => {
      const p = cal.profile.params![k];
      return typeof p === 'number' ? p : p.value;
    };
    expect(Math.abs(value('pageInitNs') - 20)).toBeGreaterThan(1);
    expect(Math.abs(value('dramWriteGBs') - 30)).toBeGreaterThan(1);
    // Rest of boot: the mean of boot minus deferred init on the two rows.
    expect(restOfBootMs()).toBeCloseTo((BOOT[1] - DEFERRED[1] + BOOT[52] - DEFERRED[52]) / 2, 1);
  });

  it('reproduces the two rows it was fitted on within 1%', () => {
    for (const t of [1, 52]) {
      expect(relErr(deferredAt(t), DEFERRED[t]), `deferred ${t}`).toBeLessThan(0.01);
      expect(relErr(run({ threads: t }).bootMs!, BOOT[t]), `boot ${t}`).toBeLessThan(0.01);
    }
  });
});

describe('predicted deferred init (slowest node) at 6, 13, 19, 26, 39 threads', () => {
  it('within 15% of the published times in the median and 25% at worst', () => {
    const errors = PREDICTED_ROWS.map((t) => relErr(deferredAt(t), DEFERRED[t]));
    const table = PREDICTED_ROWS.map((t, i) => `${t}: ${deferredAt(t)} vs ${DEFERRED[t]} (${(100 * errors[i]).toFixed(1)}%)`).join('; ');
    expect(median(errors), table).toBeLessThanOrEqual(0.15);
    expect(Math.max(...errors), table).toBeLessThanOrEqual(0.25);
  });

  it('boot times within the same bounds', () => {
    const errors = PREDICTED_ROWS.map((t) => relErr(run({ threads: t }).bootMs!, BOOT[t]));
    const table = PREDICTED_ROWS.map((t, i) => `${t}: ${run({ threads: t }).bootMs} vs ${BOOT[t]} (${(100 * errors[i]).toFixed(1)}%)`).join('; ');
    expect(median(errors), table).toBeLessThanOrEqual(0.15);
    expect(Math.max(...errors), table).toBeLessThanOrEqual(0.25);
  });

  it('beats the plain formula max(T1 / n, T52), which has the same two rows as input, in the median', () => {
    const formula = (n: number) => Math.max(DEFERRED[1] / n, DEFERRED[52]);
    const formulaErr = median(PREDICTED_ROWS.map((t) => relErr(formula(t), DEFERRED[t])));
    const simErr = median(PREDICTED_ROWS.map((t) => relErr(deferredAt(t), DEFERRED[t])));
    // The issue says the formula misses by 16-26%.
    expect(formulaErr).toBeGreaterThan(0.15);
    expect(simErr).toBeLessThan(formulaErr);
  });

  it('both nodes run in parallel and the slowest sets the time', () => {
    const r = run({ threads: 26 });
    expect(r.nodes.map((n) => n.id)).toEqual([0, 1]);
    for (const n of r.nodes) {
      expect(n.maxThreads).toBe(26);
      expect(n.threads).toBe(26);
      expect(n.doneAtMs).toBeCloseTo(n.deferredInitMs, 6);
    }
    expect(r.bootMs).toBeCloseTo(restOfBootMs() + Math.max(...r.nodes.map((n) => n.doneAtMs)), 2);
  });
});

describe('the speedup curve saturates, as the published one does', () => {
  it('speedup per thread falls as threads grow', () => {
    const perThread = ALL_ROWS.map((t) => deferredAt(1) / deferredAt(t) / t);
    for (let i = 1; i < perThread.length; i++) {
      expect(perThread[i], `${ALL_ROWS[i]} threads vs ${ALL_ROWS[i - 1]}`).toBeLessThan(perThread[i - 1]);
    }
  });

  it('39 -> 52 threads gains far less than 1 -> 6', () => {
    const early = deferredAt(1) / deferredAt(6) - 1;
    const late = deferredAt(39) / deferredAt(52) - 1;
    expect(early).toBeGreaterThan(3);
    expect(late).toBeLessThan(early / 10);
  });

  it('52 threads are far from 52x: the run is bound by node bandwidth', () => {
    const speedup = deferredAt(1) / deferredAt(52);
    expect(speedup).toBeGreaterThan(8);
    expect(speedup).toBeLessThan(20);
  });
});

describe('strategies at one thread', () => {
  it('maxorder-off is slower than padata by the L2 effect, within 1.2-1.5x (published 1.85 s -> 1.38 s = 1.34x)', () => {
    const ratio = deferredAt(1, 'maxorder-off') / deferredAt(1, 'padata');
    expect(ratio).toBeGreaterThanOrEqual(1.2);
    expect(ratio).toBeLessThanOrEqual(1.5);
  });

  it('...and the gap is the L2 effect: with an L2 that holds a whole chunk of memmap, maxorder-off is as fast as padata', () => {
    const bigL2 = { ...cal.profile, params: { ...cal.profile.params, l2Bytes: 2 ** 50 } };
    const off = slowest(simulate(input, { name, threads: 1, strategy: 'maxorder-off', profile: bigL2 }));
    const padata = slowest(simulate(input, { name, threads: 1, strategy: 'padata', profile: bigL2 }));
    expect(Math.abs(off / padata - 1)).toBeLessThan(0.01);
  });

  it('deferred-serial equals padata at 1 thread within 5%, and stays at one thread per node whatever --threads says', () => {
    expect(relErr(deferredAt(1, 'deferred-serial'), deferredAt(1, 'padata'))).toBeLessThan(0.05);
    const at52 = run({ threads: 52, strategy: 'deferred-serial' });
    for (const n of at52.nodes) expect(n.threads).toBe(1);
    expect(relErr(slowest(at52), deferredAt(1, 'deferred-serial'))).toBeLessThan(0.01);
  });

  it("no-defer: boot = rest of boot + the sum of the nodes' init, sequential on the boot CPU", () => {
    const r = run({ threads: 1, strategy: 'no-defer' });
    const restMs = restOfBootMs();
    const sum = r.nodes.reduce((a, n) => a + n.deferredInitMs, 0);
    expect(r.nodes).toHaveLength(2);
    for (const n of r.nodes) {
      expect(n.early).toBe(true);
      expect(n.threads).toBe(1);
      expect(n.kernelLine).not.toContain('deferred pages initialised');
    }
    expect(r.bootMs).toBeCloseTo(restMs + sum, 1);
    // Node 1 starts when node 0 is done.
    expect(r.nodes[1].doneAtMs).toBeCloseTo(r.nodes[0].doneAtMs + r.nodes[1].deferredInitMs, 1);
    // ...so it is slower than deferred-serial, whose nodes run side by side.
    expect(r.bootMs!).toBeGreaterThan(run({ threads: 1, strategy: 'deferred-serial' }).bootMs! + 1000);
  });
});
