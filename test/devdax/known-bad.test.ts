import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TraceOf } from '../../src/model/trace-events.js';
import type { IssueReport } from '../../src/observe/issues.js';
import { cli, devdax, traced } from './helpers.js';

/** The one violation of a kind, with the fields every report must carry. */
function caught(violations: readonly IssueReport[], kind: string, invariant: string): IssueReport {
  const v = violations.find((x) => x.kind === kind);
  expect(v, `${kind} in ${JSON.stringify(violations.map((x) => x.kind))}`).toBeDefined();
  expect(v!.invariant).toBe(invariant);
  expect(v!.pfns).toBeDefined();
  expect(v!.history?.length ?? 0).toBeGreaterThan(0);
  expect(v!.actors?.length ?? 0).toBeGreaterThan(0);
  return v!;
}

const inside = (v: IssueReport, lo: number, hi: number) => {
  const [a, b] = v.pfns!;
  expect(a).toBeGreaterThanOrEqual(lo);
  expect(b).toBeLessThanOrEqual(hi);
  expect(b).toBeGreaterThan(a);
};

describe('known-bad compound strategies, each caught on a 2 GiB namespace', () => {
  const G1 = 2 ** 18; // pfns per 1 GiB compound page

  it('bug-split-compound (H14): 6 section-aligned chunks split 1 GiB compound pages; a head is set up before its first tail', () => {
    const { result, trace } = traced(devdax('2G', '1G'), { strategy: 'bug-split-compound' });
    const probe = trace.find((e) => e.type === 'probe.start')!;
    if (probe.type !== 'probe.start') throw new Error('no probe');
    const split = caught(result.violations, 'compound-split', 'I7');
    inside(split, probe.startPfn, probe.endPfn);
    expect(split.pfns![0] % G1).toBe(0);
    expect(split.pfns![1] - split.pfns![0]).toBe(G1);
    expect(new Set(split.actors).size).toBe(2);
    expect(split.history!.every((e) => e.type === 'compound.init')).toBe(true);
    const order = caught(result.violations, 'compound-head-before-tail', 'I1');
    // The pfn is the first tail (head + 1), the history the foreign set-up and the owner's step.
    expect(order.pfns![0] % G1).toBe(1);
    const [setup, owner] = order.history as readonly TraceOf<'compound.init'>[];
    expect(setup.foreignHeadSetup).toBe(order.pfns![0] - 1);
    expect(owner.worker).not.toBe(setup.worker);
  });

  it('the fix: outside-lock-mt with the same 6 threads splits on compound pages and is clean', () => {
    expect(traced(devdax('2G', '1G'), { strategy: 'outside-lock-mt', threads: 6 }).result.violations).toEqual([]);
  });

  it('bug-unordered-populate (H15): sections populated last to first reuse a tail page not populated yet', () => {
    const { result, trace } = traced(devdax('2G', '1G'), { strategy: 'bug-unordered-populate' });
    const v = caught(result.violations, 'tail-reuse-before-populate', 'I7');
    // Every 1 GiB compound page has 7 reusing sections; reported once per compound page.
    expect(v.count).toBe(2);
    expect(v.pfns![1] - v.pfns![0]).toBe(32768);
    expect(v.pfns![0] % G1).not.toBe(0);
    const pop = v.history!.at(-1)!;
    expect(pop.type === 'vmemmap.populate' && pop.order).toBe('descending');
    expect(trace.some((e) => e.type === 'vmemmap.populate')).toBe(true);
  });

  it('bug-early-section (H11): a namespace in free subsections of a boot section initializes 128 of 512 struct pages there', () => {
    // DRAM ends 64 MiB into section 40 (5 GiB); the namespace takes the rest of that section and more.
    const scenario = {
      name: 'early',
      profile: 'devdax-2022',
      nodes: [{ id: 0, cores: 4, dram: [{ start: '4G', size: '1088M' }] }],
      namespaces: [{ name: 'dax0', node: 0, start: '5184M', size: '1G', mode: 'devdax', geometry: '2M' }],
    };
    const bad = traced(scenario, { strategy: 'bug-early-section' }).result;
    const v = caught(bad.violations, 'compound-tail-uninitialized', 'I1');
    const sectionEnd = (40 + 1) * 32768;
    inside(v, (5184 * 2 ** 20) / 4096, sectionEnd);
    expect(v.pfns![0] % 512).toBe(128);
    expect(v.pages).toBe(32 * 384); // 32 compound pages of the early section, 384 tails each
    expect(v.history!.map((e) => e.type)).toEqual(['vmemmap.populate', 'compound.init']);
    const good = traced(scenario, { strategy: 'outside-lock' }).result;
    expect(good.violations).toEqual([]);
    expect(good.namespaces[0].structPagesInitialized - bad.namespaces[0].structPagesInitialized).toBe(32 * 384);
  });

  it('bug-1g-pageblock (H12): only the head pageblock of each 1 GiB compound page gets a migratetype', () => {
    const { result } = traced(devdax('2G', '1G'), { strategy: 'bug-1g-pageblock' });
    const v = caught(result.violations, 'migratetype-unset', 'I6');
    expect(v.pfns![0] % G1).toBe(512);
    expect(v.pfns![1] % G1).toBe(0);
    // One report per step (a section actor holds one compound page here), each missing 511 pageblocks.
    expect(v.pages).toBe(511 * 512);
    expect(v.count).toBe(2);
  });

  it('each compound bug is latent where its geometry cannot expose it (4K), like the kernel', () => {
    for (const strategy of ['bug-split-compound', 'bug-unordered-populate', 'bug-1g-pageblock', 'bug-early-section']) {
      expect(traced(devdax('2G', '4K'), { strategy }).result.violations, strategy).toEqual([]);
    }
    for (const strategy of ['bug-split-compound', 'bug-unordered-populate', 'bug-1g-pageblock']) {
      expect(traced(devdax('2G', '2M'), { strategy }).result.violations, strategy).toEqual([]);
    }
  });
});

describe('memmap-sim run seed002-devdax-128g --geometry 1G --strategy <bug> --json', () => {
  const bugs = ['bug-split-compound', 'bug-unordered-populate', 'bug-1g-pageblock'];

  it.each(bugs)('%s: exit 0, violations reported (in-process CLI)', async (strategy) => {
    const r = await cli(['run', 'seed002-devdax-128g', '--geometry', '1G', '--strategy', strategy, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { strategy: string; violations: IssueReport[] };
    expect(doc.strategy).toBe(strategy);
    expect(doc.violations.length).toBeGreaterThan(0);
    for (const v of doc.violations) expect(v.pfns).toBeDefined();
  });

  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root });
    }
  }, 120_000);

  it.each(bugs)('%s: the built binary exits 0 with violations', (strategy) => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'bin', 'memmap-sim.js'), 'run', 'seed002-devdax-128g', '--geometry', '1G', '--strategy', strategy, '--json'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { violations: unknown[] }).violations.length).toBeGreaterThan(0);
  });
});
