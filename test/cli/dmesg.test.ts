/**
 * `scenario from-dmesg` and `calibrate --dmesg` on real boot logs (Debian's
 * kernel under QEMU/TCG, test/fixtures/dmesg/), and one-line refusals.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../src/model/scenario.js';
import { cli, refused, tempDir } from './helpers.js';

afterEach(() => vi.restoreAllMocks());
const tmp = tempDir();
afterAll(() => tmp.remove());

const FIX = 'test/fixtures/dmesg';
const TWO_NODE_RAM = [
  [
    { start: '0x1000', size: '632K' },
    { start: '0x100000', size: '2095996K' },
  ],
  [{ start: '0x100000000', size: '2G' }],
];

interface ScenarioJson {
  name: string;
  description: string;
  boot: object;
  nodes: { id: number; cores: number; threadsPerCore: number; dram: { start: string; size: string }[]; reserved: { start: string; size: string }[] }[];
}

async function fromDmesg(file: string): Promise<ScenarioJson> {
  const r = await cli(['scenario', 'from-dmesg', join(FIX, file)]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const sc = JSON.parse(r.out) as ScenarioJson;
  expect(() => parseScenario(sc)).not.toThrow();
  return sc;
}

describe('scenario from-dmesg on the committed boot logs', () => {
  it('two nodes, two CPUs each', async () => {
    const sc = await fromDmesg('qemu-2node-smp4.log');
    expect(sc.boot).toEqual({});
    expect(sc.nodes.map((n) => [n.id, n.cores * n.threadsPerCore])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(sc.nodes.map((n) => n.dram)).toEqual(TWO_NODE_RAM);
    // NODE_DATA of each node, and the kernel's reservation at 16M on node 0.
    expect(sc.nodes[0].reserved.map((r) => r.start)).toEqual(['0x1000000', '0x7ffb4000']);
    expect(sc.nodes[1].reserved).toEqual([{ start: '0x17ffd4000', size: '172K' }]);
    expect(sc.description).toMatch(/Early memory node ranges.*Brought up 2 nodes, 4 CPUs/);
  });

  it('the same machine booted with nr_cpus=2: one CPU per node', async () => {
    const sc = await fromDmesg('qemu-2node-nrcpus2.log');
    expect(sc.nodes.map((n) => [n.id, n.cores * n.threadsPerCore])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(sc.nodes.map((n) => n.dram)).toEqual(TWO_NODE_RAM);
    expect(sc.description).toMatch(/first 2 of 4 "SRAT/);
  });

  it('one node without NUMA tables', async () => {
    const sc = await fromDmesg('qemu-1node-smp2.log');
    expect(sc.nodes.map((n) => [n.id, n.cores * n.threadsPerCore])).toEqual([[0, 2]]);
    expect(sc.nodes[0].dram).toEqual([...TWO_NODE_RAM[0], { start: '0x100000000', size: '1G' }]);
  });

  it('--out writes the file, and run boots it', async () => {
    const out = join(tmp.file('x', ''), '..', 'machine.json');
    const r = await cli(['scenario', 'from-dmesg', join(FIX, 'qemu-2node-smp4.log'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${out}: 2 node(s), 4 CPU(s)\n`);
    const run = await cli(['run', out, '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out) as { nodes: unknown[] }).nodes).toHaveLength(2);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ name: 'qemu-2node-smp4' });
  });
});

describe('calibrate --dmesg on the committed boot logs', () => {
  const logs = [join(FIX, 'qemu-2node-smp4.log'), join(FIX, 'qemu-2node-nrcpus2.log')];

  it('takes the slowest node of each boot at its CPU count', async () => {
    const r = await cli(['calibrate', '--dmesg', ...logs]);
    // The fit itself may fail on emulated times (exit 1 with its reason); the rows it used are shown either way.
    expect([0, 1]).toContain(r.code);
    expect(r.out).toMatch(/qemu-2node-smp4\.log\s+179\s+1\s+2\s+168 ms/);
    expect(r.out).toMatch(/qemu-2node-nrcpus2\.log\s+174\s+1\s+1\s+196 ms/);
    expect(r.out).toMatch(/scenario built from the log with the most CPUs \(qemu-2node-smp4\)/);
  });

  it('--json carries the rows', async () => {
    const r = await cli(['calibrate', '--dmesg', ...logs, '--json']);
    if (r.code !== 0) return expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as {
      dmesg: { scenario: string; rows: { node: number; threads: number; ms: number }[] };
      fit: { rows: { threads: number; measuredMs: number }[] };
    };
    expect(doc.dmesg.rows.map((x) => [x.node, x.threads, x.ms])).toEqual([
      [1, 2, 168],
      [1, 1, 196],
    ]);
    expect(doc.fit.rows.map((x) => [x.threads, x.measuredMs])).toEqual([
      [2, 168],
      [1, 196],
    ]);
  });
});

describe('bad logs: one line, exit 2', () => {
  it('a log of another machine', async () => {
    await refused(['calibrate', '--dmesg', join(FIX, 'qemu-2node-smp4.log'), join(FIX, 'qemu-1node-smp2.log')], '--dmesg', /different machine/);
  });

  it('a log without the deferred-init line names the file and the line', async () => {
    const text = readFileSync(join(FIX, 'qemu-2node-nrcpus2.log'), 'utf8').replace(/^.*deferred pages initialised.*$/gm, '');
    const f = tmp.file('no-deferred.log', text);
    await refused(['calibrate', '--dmesg', join(FIX, 'qemu-2node-smp4.log'), f], f, /node N deferred pages initialised in Xms/);
  });

  it('boots with the same CPU count', async () => {
    const f = join(FIX, 'qemu-2node-smp4.log');
    await refused(['calibrate', '--dmesg', f, f], '--dmesg', /different CPU counts/);
  });

  it('not a boot log', async () => {
    await refused(['scenario', 'from-dmesg', tmp.file('notes.txt', 'hello\n')], 'notes.txt', /Early memory node ranges/);
  });

  it('a device, a directory, a missing file', async () => {
    await refused(['scenario', 'from-dmesg', '/dev/zero'], '/dev/zero', /not a regular file/);
    const dir = join(tmp.file('d', ''), '..', 'dir');
    mkdirSync(dir);
    await refused(['scenario', 'from-dmesg', dir], dir, /not a regular file/);
    await refused(['calibrate', '--dmesg', '/nonexistent.log', '/nonexistent2.log'], '--dmesg', /ENOENT/);
  });

  it('a file over 16 MiB, before reading it', async () => {
    const f = tmp.file('big.log', '');
    writeFileSync(f, Buffer.alloc(16 * 2 ** 20 + 1));
    await refused(['scenario', 'from-dmesg', f], f, /16 MiB/);
  });

  it('calibrate with neither a scenario nor --dmesg', async () => {
    await refused(['calibrate'], 'scenario', /--dmesg/);
  });
});
