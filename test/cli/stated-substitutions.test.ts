import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../../src/api/result.js';
import { ratio } from '../../src/cli/render-run.js';
import { cli, refused, singleJson, tempDir } from './helpers.js';

/** Every case where a run used to switch something silently: now refused (exit 2), or stated in the header and the JSON. */
afterEach(() => vi.restoreAllMocks());
const tmp = tempDir();
afterAll(() => tmp.remove());

const PMEM = 'seed000-pmem-128g';
const SKYLAKE = 'seed003-skylake-768g';
const both = () =>
  tmp.file('both.json', {
    boot: {},
    nodes: [{ id: 0, cores: 2, dram: [{ start: '4G', size: '64M' }] }],
    namespaces: [{ name: 'pmem0', node: 0, size: '2G' }],
  });

async function json(argv: string[]): Promise<RunResult> {
  const r = await cli([...argv, '--json']);
  expect(r.code, r.err).toBe(0);
  return singleJson(r.out) as RunResult;
}

describe('a strategy of the wrong family is refused', () => {
  it('a boot strategy (known bad) on a probe-only scenario', async () => {
    await refused(
      ['run', PMEM, '--strategy', 'bug-unaligned-chunks'],
      '--strategy',
      /"bug-unaligned-chunks" is a boot strategy, and this scenario has no boot section/,
    );
  });

  it('padata on a probe-only scenario', async () => {
    await refused(['run', PMEM, '--strategy', 'padata'], '--strategy', /boot strategy.*no boot section \(probe strategies: serial/);
  });

  it('a probe strategy in a sweep of a boot-only scenario', async () => {
    await refused(
      ['sweep', SKYLAKE, '--threads', '1,52', '--strategy', 'serial'],
      '--strategy',
      /"serial" is a probe strategy, and this scenario has no namespaces/,
    );
  });

  it('compare of probe strategies on a boot-only scenario (which printed three identical rows)', async () => {
    await refused(
      ['compare', SKYLAKE, '--strategy', 'serial', '--strategy', 'outside-lock', '--strategy', 'padata'],
      '--strategy',
      /"serial" is a probe strategy/,
    );
  });

  it('a sweep over thread counts with a boot strategy that runs one thread per node', async () => {
    await refused(['sweep', SKYLAKE, '--threads', '1,52', '--strategy', 'deferred-serial'], '--strategy', /one thread per node/);
  });

  it("the scenario file's own strategy of the wrong family names the field", async () => {
    const f = tmp.file('wrong-family.json', { strategy: 'serial', boot: {}, nodes: [{ id: 0, cores: 2, dram: [{ start: '4G', size: '1G' }] }] });
    await refused(['run', f], 'strategy', /probe strategy/);
  });
});

describe('a scenario with both boot and namespaces says what ran for each family', () => {
  it('a probe strategy: boot ran the default padata, in the header, the notes and the JSON', async () => {
    const r = await json(['run', both(), '--strategy', 'serial']);
    expect(r.strategies).toEqual({ boot: 'padata', probe: 'serial' });
    expect(r.notes).toEqual(['boot ran padata, the default boot strategy (serial is a probe strategy)']);
    const text = (await cli(['run', both(), '--strategy', 'serial'])).out;
    expect(text.split('\n')[0]).toContain('strategy serial (boot padata, probes serial)');
    expect(text).toContain('note: boot ran padata');
  });

  it('a boot strategy: the namespaces probed with the default outside-lock', async () => {
    const r = await json(['run', both(), '--strategy', 'maxorder-off']);
    expect(r.strategies).toEqual({ boot: 'maxorder-off', probe: 'outside-lock' });
    expect(r.notes[0]).toMatch(/probed with outside-lock, the default probe strategy/);
  });

  it('a run of one family reports null for the other', async () => {
    expect((await json(['run', PMEM])).strategies).toEqual({ boot: null, probe: 'async8' });
    expect((await json(['run', SKYLAKE])).strategies).toEqual({ boot: 'padata', probe: null });
  });
});

describe('threads are reported as used', () => {
  it('--threads is not echoed for a single-threaded strategy; the header says it was not used', async () => {
    const r = await json(['run', PMEM, '--strategy', 'serial', '--threads', '16']);
    expect(r.threads).toBe(1);
    expect(r.notes).toEqual(['--threads 16 not used by serial: it initializes each namespace on one thread']);
    expect((await json(['run', PMEM, '--strategy', 'async8', '--threads', '16'])).threads).toBe(16);
  });

  it('a boot whose nodes have no deferred pages reports 1 thread (pgdatinit alone), never 0', async () => {
    const f = tmp.file('tiny-boot.json', { boot: {}, nodes: [0, 1].map((id) => ({ id, cores: 4, dram: [{ start: `${4 + id}G`, size: '64M' }] })) });
    for (const strategy of ['padata', 'no-defer']) {
      const r = await json(['run', f, '--strategy', strategy]);
      expect(r.nodes.map((n) => n.pages)).toEqual([0, 0]);
      expect(r.threads, strategy).toBe(1);
      expect(r.nodes.map((n) => n.threads)).toEqual([1, 1]);
    }
  });
});

describe('profiles and figures', () => {
  it('a --profile file without base keeps the scenario’s profile as its base, and says so', async () => {
    const p = tmp.file('rest.json', { params: { restOfBootMs: 2304 } });
    const r = await json(['run', SKYLAKE, '--profile', p]);
    expect(r.profile).toBe('skylake-2020+file');
    expect(r.totalMs).toBe((await json(['run', SKYLAKE])).totalMs);
    expect(r.bootMs).toBeCloseTo(2304 + r.totalMs, 1);
  });

  it('a profile whose rest of boot would print Infinity is refused', async () => {
    const p = tmp.file('huge.json', { params: { restOfBootMs: 1e308 } });
    await refused(['run', SKYLAKE, '--profile', p], 'restOfBootMs');
  });

  it('compare shows — where a speedup has no meaning (totals of 0), never NaNx', async () => {
    const f = tmp.file('nothing.json', { nodes: [{ id: 0, cores: 2, dram: [{ start: '4G', size: '1G' }] }] });
    const r = await cli(['compare', f, '--strategy', 'serial', '--strategy', 'async8']);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/NaN|Infinity/);
    expect(
      r.out
        .split('\n')
        .filter((l) => /^(serial|async8) /.test(l))
        .every((l) => l.includes('—')),
    ).toBe(true);
    expect([ratio(0, 0), ratio(10, 0), ratio(0, 10), ratio(10, 5)]).toEqual(['—', '—', '—', '2.00x']);
  });
});
