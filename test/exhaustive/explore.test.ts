import { describe, expect, it } from 'vitest';
import { exploreExhaustive, simulate } from '../../src/index.js';

/** One node, one 1 GiB-geometry devdax namespace of `size`: each compound page is one chunk of outside-lock-mt. */
function dax(cores: number, size: string) {
  return {
    name: 'dax-tiny',
    profile: 'devdax-2022',
    nodes: [{ id: 0, cores, dram: [{ start: '4G', size: '1G' }] }],
    namespaces: [{ name: 'dax0.0', node: 0, size, mode: 'devdax', altmap: false, geometry: '1G' }],
  };
}

const headBeforeTail = (vs: readonly { invariant: string; kind: string }[]) => vs.some((v) => v.invariant === 'I1' && v.kind === 'compound-head-before-tail');

describe('exhaustive exploration', () => {
  it('finds a bug that only one interleaving shows, and its choice sequence replays', () => {
    // One CPU, two workers, a chunk end inside the 1 GiB compound page: if the head owner
    // gets the CPU first it finishes before the other starts (no I1); the other order
    // sets up the head (prep_compound_head) before its first tail is initialized.
    const scenario = dax(1, '1G');
    const opts = { strategy: 'bug-split-compound', threads: 2 };
    expect(headBeforeTail(simulate(scenario, opts).violations)).toBe(false);

    const r = exploreExhaustive(scenario, { ...opts, stopAtFirst: false });
    expect(r.exhausted).toBe(true);
    const found = r.violations.find((v) => v.kind === 'compound-head-before-tail');
    expect(found, JSON.stringify(r)).toBeDefined();
    expect(found!.choices).toEqual([1]);
    const replay = simulate(scenario, { ...opts, quantumNs: r.quantumNs, choices: found!.choices });
    expect(headBeforeTail(replay.violations)).toBe(true);
  });

  it('exhausts the space of a correct strategy with no violation, in the number of paths counted by hand', () => {
    // Three workers, one compound page each, four CPUs: the three worker starts fall in one
    // quantum (3! orders) and so do the three flow completions (3! orders), and nothing else
    // ties: (3!)^2 = 36 paths without pruning.
    const scenario = dax(4, '3G');
    const opts = { strategy: 'outside-lock-mt', threads: 3 };
    const full = exploreExhaustive(scenario, { ...opts, prune: false });
    expect(full).toMatchObject({ paths: 36, pruned: 0, exhausted: true, bound: null, maxDepth: 4, violations: [] });
    const pruned = exploreExhaustive(scenario, opts);
    expect(pruned.exhausted).toBe(true);
    expect(pruned.paths).toBeLessThanOrEqual(36);
    expect(pruned.violations).toEqual([]);
  });

  it('prunes states already explored, reports the bound it hits, and is deterministic', () => {
    const boot = {
      name: 'boot-tiny',
      constants: { sectionSizeBits: 24, maxPageOrder: 12 },
      boot: {},
      nodes: [{ id: 0, cores: 2, dram: [{ start: '4G', size: '32M' }] }],
    };
    const opts = { strategy: 'padata', threads: 2, stopAtFirst: false } as const;
    const a = exploreExhaustive(boot, { ...opts, strategy: 'bug-unaligned-chunks' });
    const noPrune = exploreExhaustive(boot, { ...opts, strategy: 'bug-unaligned-chunks', prune: false });
    expect(a.exhausted && noPrune.exhausted).toBe(true);
    expect(a.paths).toBeLessThan(noPrune.paths);
    expect(a.violations.map((v) => v.kind).sort()).toEqual(noPrune.violations.map((v) => v.kind).sort());
    expect(JSON.stringify(exploreExhaustive(boot, { ...opts, strategy: 'bug-unaligned-chunks' }))).toBe(JSON.stringify(a));

    const capped = exploreExhaustive(boot, { ...opts, strategy: 'bug-unaligned-chunks', maxPaths: 2 });
    expect(capped).toMatchObject({ paths: 2, exhausted: false, bound: 'max-paths' });
    const shallow = exploreExhaustive(boot, { ...opts, strategy: 'bug-unaligned-chunks', maxDepth: 1 });
    expect(shallow).toMatchObject({ exhausted: false, bound: 'max-depth', maxDepth: 1 });
  });

  it('refuses bad bounds, naming the field', () => {
    expect(() => exploreExhaustive(dax(1, '1G'), { maxPaths: 0 })).toThrow(/maxPaths/);
    expect(() => exploreExhaustive(dax(1, '1G'), { quantumNs: -1 })).toThrow(/quantumNs/);
  });
});
