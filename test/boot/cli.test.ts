/**
 * The boot CLI: `run` gains bootMs, nodes and the kernel's own lines; `sweep`
 * and `calibrate`; refusals exit 2 with one stderr line naming the flag.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { skylake2020 } from '../../src/model/profiles/skylake-2020.js';
import { cli, refused, singleJson, tempDir } from '../cli/helpers.js';

afterEach(() => vi.restoreAllMocks());

const tmp = tempDir();
afterAll(() => tmp.remove());

const SKYLAKE = 'seed003-skylake-768g';

interface NodeJson {
  id: number;
  deferredInitMs: number;
  threads: number;
  chunks: number;
  bounces: number;
}

async function ok(argv: string[]): Promise<string> {
  const r = await cli(argv);
  expect(r.err, argv.join(' ')).toBe('');
  expect(r.code, argv.join(' ')).toBe(0);
  return r.out;
}

describe('run on a boot scenario', () => {
  it('--json has bootMs and nodes [{ id, deferredInitMs, threads, chunks, bounces }]', async () => {
    const r = singleJson(await ok(['run', SKYLAKE, '--json'])) as { bootMs: number; nodes: NodeJson[] };
    expect(typeof r.bootMs).toBe('number');
    expect(r.nodes.map((n) => n.id)).toEqual([0, 1]);
    for (const n of r.nodes) {
      expect(Object.keys(n)).toEqual(expect.arrayContaining(['id', 'deferredInitMs', 'threads', 'chunks', 'bounces']));
      expect(n.threads).toBe(52);
      expect(n.chunks).toBeGreaterThanOrEqual(200);
      expect(n.chunks).toBeLessThanOrEqual(206);
      expect(n.bounces).toBe(0);
      expect(n.deferredInitMs).toBeGreaterThan(100);
      expect(n.deferredInitMs).toBeLessThan(200);
    }
    // Boot = rest of boot (skylake-2020: 2304.15 ms) + the slowest node.
    expect(r.bootMs).toBeCloseTo(skylake2020.params.restOfBootMs!.value + Math.max(...r.nodes.map((n) => n.deferredInitMs)), 1);
  });

  it("the table prints the kernel's own line for each node", async () => {
    const out = await ok(['run', SKYLAKE]);
    expect(out).toContain('node 1 deferred pages initialised in 143ms');
    expect(out).toMatch(/^node 0 deferred pages initialised in \d+ms$/m);
    const json = singleJson(await ok(['run', SKYLAKE, '--json'])) as { nodes: NodeJson[] };
    for (const n of json.nodes) expect(out).toContain(`node ${n.id} deferred pages initialised in ${Math.round(n.deferredInitMs)}ms`);
  });

  it('--threads sets padata max_threads on every node', async () => {
    const r = singleJson(await ok(['run', SKYLAKE, '--threads', '6', '--json'])) as { nodes: NodeJson[] };
    for (const n of r.nodes) expect(n.threads).toBe(6);
  });
});

describe('sweep', () => {
  it('--json is an array of { threads, threadsUsed, deferredInitMs, bootMs, nodes: [{ id, deferredInitMs }] }, matching run', async () => {
    const rows = singleJson(await ok(['sweep', SKYLAKE, '--threads', '1,6,52', '--json'])) as {
      threads: number;
      deferredInitMs: number;
      bootMs: number;
      nodes: { id: number; deferredInitMs: number }[];
    }[];
    expect(rows.map((r) => r.threads)).toEqual([1, 6, 52]);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['bootMs', 'deferredInitMs', 'nodes', 'threads', 'threadsUsed']);
      expect(row.nodes.map((n) => Object.keys(n).sort())).toEqual([
        ['deferredInitMs', 'id'],
        ['deferredInitMs', 'id'],
      ]);
      expect(row.deferredInitMs).toBe(Math.max(...row.nodes.map((n) => n.deferredInitMs)));
      expect(typeof row.bootMs).toBe('number');
    }
    expect(rows[0].deferredInitMs).toBeGreaterThan(rows[1].deferredInitMs);
    expect(rows[1].deferredInitMs).toBeGreaterThan(rows[2].deferredInitMs);
    const run6 = singleJson(await ok(['run', SKYLAKE, '--threads', '6', '--json'])) as { bootMs: number; nodes: NodeJson[] };
    expect(rows[1].nodes).toEqual(run6.nodes.map((n) => ({ id: n.id, deferredInitMs: n.deferredInitMs })));
    expect(rows[1].bootMs).toBe(run6.bootMs);
  });

  it('the table has a row per thread count with the speedup against the first', async () => {
    const out = await ok(['sweep', SKYLAKE, '--threads', '1,52']);
    expect(out).toMatch(/^\s*1\s.*1\.00x/m);
    expect(out).toMatch(/^\s*52\s.*\b1\d\.\d\dx/m);
  });

  it('--strategy picks the boot strategy', async () => {
    const padata = singleJson(await ok(['sweep', SKYLAKE, '--threads', '1', '--json'])) as { deferredInitMs: number }[];
    const off = singleJson(await ok(['sweep', SKYLAKE, '--threads', '1', '--strategy', 'maxorder-off', '--json'])) as { deferredInitMs: number }[];
    expect(off[0].deferredInitMs).toBeGreaterThan(padata[0].deferredInitMs * 1.1);
  });
});

describe('calibrate', () => {
  /** Calibrates, saves the document, and checks run and sweep reproduce the measurements within 1%. */
  async function roundTrip(m1: number, m52: number, file: string): Promise<void> {
    const out = await ok(['calibrate', SKYLAKE, '--measure', `1:${m1}`, '--measure', `52:${m52}`, '--json']);
    const doc = JSON.parse(out) as { profile: { params: Record<string, unknown> }; fit: { fitted: string[] } };
    expect(doc.fit.fitted).toEqual(expect.arrayContaining(['pageInitNs', 'dramWriteGBs']));
    const path = tmp.file(file, out);
    for (const [threads, measured] of [
      [1, m1],
      [52, m52],
    ] as const) {
      const r = singleJson(await ok(['run', SKYLAKE, '--profile', path, '--threads', String(threads), '--json'])) as { nodes: NodeJson[] };
      const slowest = Math.max(...r.nodes.map((n) => n.deferredInitMs));
      expect(Math.abs(slowest - measured) / measured, `run --threads ${threads}: ${slowest} vs ${measured}`).toBeLessThan(0.01);
    }
    const rows = singleJson(await ok(['sweep', SKYLAKE, '--profile', path, '--threads', '1,52', '--json'])) as { deferredInitMs: number }[];
    expect(Math.abs(rows[0].deferredInitMs - m1) / m1).toBeLessThan(0.01);
    expect(Math.abs(rows[1].deferredInitMs - m52) / m52).toBeLessThan(0.01);
  }

  it('--json on the published rows prints a profile document that run --profile and sweep --profile read, reproducing them within 1%', async () => {
    await roundTrip(1717.7, 143.3, 'published.json');
  });

  it('...and on other measurements, where the fit has to move', async () => {
    await roundTrip(2100, 175, 'other.json');
  });

  it('the table names the fitted parameters and the rows', async () => {
    const out = await ok(['calibrate', SKYLAKE, '--measure', '1:1717.7', '--measure', '52:143.3']);
    expect(out).toContain('pageInitNs');
    expect(out).toContain('dramWriteGBs');
    expect(out).toMatch(/^\s*52\s/m);
  });
});

describe('bad input exits 2 with one stderr line naming the flag', () => {
  it('--measure abc', async () => {
    await refused(['calibrate', SKYLAKE, '--measure', 'abc', '--measure', '52:143.3'], '--measure');
  });

  it('a single --measure', async () => {
    await refused(['calibrate', SKYLAKE, '--measure', '1:1717.7'], '--measure');
  });

  it('two --measure at the same thread count', async () => {
    await refused(['calibrate', SKYLAKE, '--measure', '1:1717.7', '--measure', '1:1700'], '--measure');
  });

  it('--measure with zero threads or a zero time', async () => {
    await refused(['calibrate', SKYLAKE, '--measure', '0:10', '--measure', '52:143.3'], '--measure');
    await refused(['calibrate', SKYLAKE, '--measure', '1:0', '--measure', '52:143.3'], '--measure');
  });

  it('a bad --boot', async () => {
    await refused(['calibrate', SKYLAKE, '--measure', '1:1717.7', '--measure', '52:143.3', '--boot', 'x'], '--boot');
  });

  it('sweep --threads 0,5', async () => {
    await refused(['sweep', SKYLAKE, '--threads', '0,5'], '--threads');
  });

  it('sweep --threads with a backwards range or junk', async () => {
    await refused(['sweep', SKYLAKE, '--threads', '8-2'], '--threads');
    await refused(['sweep', SKYLAKE, '--threads', '1,x'], '--threads');
  });

  it('calibrate on a scenario without a boot section', async () => {
    const line = await refused(['calibrate', 'seed000-pmem-128g', '--measure', '1:10', '--measure', '8:5'], 'scenario');
    expect(line).toContain('boot');
  });

  it('sweep on a scenario without a boot section', async () => {
    const line = await refused(['sweep', 'seed000-pmem-128g', '--threads', '1,2'], 'scenario');
    expect(line).toContain('boot');
  });
});
