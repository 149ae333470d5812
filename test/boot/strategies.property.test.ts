/**
 * No correct boot strategy produces any violation, on seed003 and on
 * generated boot machines; every deferred page is initialized exactly once;
 * bug-free-before-init is always caught (fast-check, seed FC_SEED or 42,
 * printed by fast-check on failure).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import type { RunResult } from '../../src/api/result.js';
import { simulate } from '../../src/api/simulate.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { FC_SEED } from '../property/arbitraries.js';
import { bootMachineArb, type GeneratedBoot } from './arbitraries.js';
import { CORRECT_BOOT, layoutsOf, MO, ofType, pagesIn, PPS, traced, union } from './helpers.js';

describe('seed003-skylake-768g: no correct boot strategy produces a violation', () => {
  const { input, name } = loadScenario('seed003-skylake-768g');
  it.each(CORRECT_BOOT.flatMap((s) => [1, 7, 52].map((t) => [s, t] as const)))('%s at %i threads', (strategy, threads) => {
    const r = simulate(input, { name, strategy, threads });
    expect(r.engine.outcome).toBe('quiescent');
    expect(r.violations).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(r.nodes).toHaveLength(2);
    for (const n of r.nodes) {
      expect(n.sharedUsemapWords).toBe(0);
      expect(n.pages).toBeGreaterThan(98_000_000);
    }
  });
});

describe('a max-order block holding several free pieces: the kernel initializes them all before freeing any', () => {
  // deferred_init_maxorder: PASS 1 initializes every free range piece up to the max-order boundary,
  // PASS 2 frees them; so a hole, a reserved page or a range edge inside a block is no hazard.
  // Block [131072, 132096) is 512 MiB into a 1 GiB node, in the deferred zone.
  const node = (extra: object) => ({ name: 'pieces', boot: {}, nodes: [{ id: 0, cores: 2, threadsPerCore: 1, ...extra }] });
  const at512M = 512 * 2 ** 20;
  const cases: Record<string, object> = {
    'a reserved page inside the block': node({ dram: [{ start: '0', size: '1G' }], reserved: [{ start: at512M + 4096, size: 4096 }] }),
    'a one-page DRAM hole inside the block': node({
      dram: [
        { start: '0', size: at512M + 4096 },
        { start: at512M + 8192, size: at512M - 8192 },
      ],
    }),
    'two adjacent DRAM ranges meeting inside the block (memblock merges them)': node({
      dram: [
        { start: '0', size: at512M + 4096 },
        { start: at512M + 4096, size: at512M - 4096 },
      ],
    }),
  };
  it.each(Object.keys(cases).flatMap((c) => CORRECT_BOOT.map((s) => [c, s] as const)))('%s: %s has no violation', (c, strategy) => {
    const { result, trace } = traced(cases[c], { strategy });
    expect(result.violations.map((v) => `${v.invariant} ${v.kind}: ${v.message}`)).toEqual([]);
    checkPages(cases[c], result, trace, strategy);
  });
});

/** Every deferred page of every node initialized exactly once, and nothing else. */
function checkPages(input: unknown, result: RunResult, trace: readonly TraceEvent[], label: string): void {
  const layouts = layoutsOf(input);
  const inits = ofType(trace, 'pages.init');
  for (const l of layouts) {
    const n = result.nodes.find((x) => x.id === l.node);
    expect(n, `${label}: node ${l.node} reported`).toBeDefined();
    expect(n!.pages + (n!.grow?.pages ?? 0), `${label}: node ${l.node} pages (+ grown) = layout deferredPages`).toBe(l.deferredPages);
    const mine = inits.filter((p) => p.node === l.node);
    const total = mine.reduce((a, p) => a + p.endPfn - p.startPfn, 0);
    const merged = union(mine);
    // Sum of the steps = size of their union: nothing initialized twice.
    expect(pagesIn(merged), `${label}: node ${l.node} pages initialized twice`).toBe(total);
    // The union is exactly the deferred free ranges.
    expect(merged, `${label}: node ${l.node} initialized set`).toEqual(union(l.free));
  }
}

/** The whole property for one generated machine and every correct strategy. */
function correctStrategiesHold(m: GeneratedBoot): void {
  for (const strategy of CORRECT_BOOT) {
    const { result, trace } = traced(m.scenario, { strategy, threads: m.threads, seed: m.seed, explore: m.explore });
    expect(result.engine.outcome).toBe('quiescent');
    expect(result.violations, strategy).toEqual([]);
    for (const n of result.nodes) expect(n.sharedUsemapWords, `${strategy} node ${n.id}`).toBe(0);
    checkPages(m.scenario, result, trace, strategy);
    for (const g of ofType(trace, 'grow.end')) expect(g.stopPfn % PPS, `${strategy}: grow stops on a section boundary`).toBe(0);
  }
}

describe('generated boot machines (fast-check, seed FC_SEED or 42)', () => {
  it('correct strategies, DRAM and reserved edges on max-order boundaries: no violation, no shared usemap word, every deferred page initialized exactly once', () => {
    fc.assert(fc.property(bootMachineArb(MO), correctStrategiesHold), { seed: FC_SEED, numRuns: 60 });
  });

  it('correct strategies, DRAM and reserved edges anywhere (holes, reserved pages and adjacent ranges inside max-order blocks): the same', () => {
    fc.assert(fc.property(bootMachineArb(1), correctStrategiesHold), { seed: FC_SEED, numRuns: 60 });
  });

  it('bug-free-before-init is always caught (I1) wherever any page is deferred', () => {
    fc.assert(
      fc.property(bootMachineArb(1), (m) => {
        const deferred = layoutsOf(m.scenario).some((l) => l.deferredPages > 0);
        const r = simulate(m.scenario, { strategy: 'bug-free-before-init', threads: m.threads, seed: m.seed, explore: m.explore });
        const i1 = r.violations.filter((v) => v.invariant === 'I1' && v.kind === 'buddy-read-uninitialized');
        expect(i1.length > 0).toBe(deferred);
      }),
      { seed: FC_SEED, numRuns: 60 },
    );
  });
});
