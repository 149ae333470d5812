import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli, refused, tempDir } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

const tmp = tempDir();
afterAll(() => tmp.remove());

const node0 = { id: 0, cores: 2, dram: [{ start: '0', size: '4G' }] };
const scenario = (namespaces: object[], extra: object = {}) => ({ nodes: [node0], namespaces, ...extra });

describe('bad scenario files are refused with exit code 2 and one line naming the field', () => {
  it('namespaces overlapping each other', async () => {
    const f = tmp.file(
      'overlap-ns.json',
      scenario([
        { name: 'a', node: 0, size: '1G', start: '8G' },
        { name: 'b', node: 0, size: '1G', start: '8704M' },
      ]),
    );
    const line = await refused(['run', f], 'namespaces[1]', /overlap/);
    expect(line).toContain('namespaces[0]');
  });

  it('a namespace overlapping DRAM', async () => {
    const f = tmp.file('overlap-dram.json', scenario([{ name: 'a', node: 0, size: '1G', start: '2G' }]));
    const line = await refused(['run', f], 'namespaces[0]', /overlap/);
    expect(line).toContain('nodes[0].dram[0]');
  });

  it('DRAM ranges of two nodes overlapping', async () => {
    const f = tmp.file('overlap-dram2.json', {
      nodes: [node0, { id: 1, cores: 2, dram: [{ start: '3G', size: '4G' }] }],
      namespaces: [{ name: 'a', node: 0, size: '1G' }],
    });
    await refused(['run', f], 'nodes[1].dram[0]', /overlap/);
  });

  it('a namespace start not 2 MiB aligned', async () => {
    const f = tmp.file('start.json', scenario([{ name: 'a', node: 0, size: '1G', start: '8193M' }]));
    await refused(['run', f], 'namespaces[0].start', /align/);
  });

  it('a namespace size not a multiple of 2 MiB', async () => {
    const f = tmp.file('size.json', scenario([{ name: 'a', node: 0, size: '1025M' }]));
    await refused(['run', f], 'namespaces[0].size', /multiple/);
  });

  it('a negative size', async () => {
    const f = tmp.file('negative.json', scenario([{ name: 'a', node: 0, size: '-2G' }]));
    await refused(['run', f], 'namespaces[0].size', /> 0|positive|negative/);
  });

  it('a zero size', async () => {
    const f = tmp.file(
      'zero.json',
      scenario([
        { name: 'ok', node: 0, size: '1G' },
        { name: 'a', node: 0, size: 0 },
      ]),
    );
    await refused(['run', f], 'namespaces[1].size', /> 0|positive|negative/);
  });

  it('a zero-size DRAM range', async () => {
    const f = tmp.file('zero-dram.json', { nodes: [{ id: 0, cores: 2, dram: [{ start: '0', size: '0' }] }], namespaces: [] });
    await refused(['run', f], 'nodes[0].dram[0].size', /> 0/);
  });

  it('an unknown strategy in the file', async () => {
    const f = tmp.file('strategy.json', scenario([{ name: 'a', node: 0, size: '1G' }], { strategy: 'fastest' }));
    await refused(['run', f], 'strategy', /unknown strategy "fastest"/);
  });

  it('a namespace on a node that does not exist', async () => {
    const f = tmp.file('node.json', scenario([{ name: 'a', node: 3, size: '1G' }]));
    await refused(['run', f], 'namespaces[0].node');
  });

  it('malformed JSON', async () => {
    const f = tmp.file('broken.json', '{"nodes": [ {"id": 0, "cores": 2 } ], "namespaces": [');
    await refused(['run', f], 'scenario', /not valid JSON/);
  });

  it('malformed YAML', async () => {
    const f = tmp.file('broken.yaml', 'nodes:\n  - id: 0\n   cores: [2\nnamespaces: {\n');
    await refused(['run', f], 'scenario', /not valid YAML/);
  });

  it('an unknown field in a namespace', async () => {
    const f = tmp.file('unknown-ns.json', scenario([{ name: 'a', node: 0, size: '1G', colour: 'red' }]));
    await refused(['run', f], 'namespaces[0]', /colour/);
  });

  it('an unknown top-level field (YAML)', async () => {
    const f = tmp.file('unknown-top.yaml', 'flavour: 1\nnodes:\n  - id: 0\n    cores: 2\nnamespaces:\n  - name: a\n    node: 0\n    size: 1G\n');
    await refused(['run', f], 'flavour');
  });

  it('a size that is not a size', async () => {
    const f = tmp.file('not-size.json', scenario([{ name: 'a', node: 0, size: 'lots' }]));
    await refused(['run', f], 'namespaces[0].size');
  });

  it('a file without nodes', async () => {
    const f = tmp.file('no-nodes.json', { namespaces: [] });
    await refused(['run', f], 'nodes');
  });

  it('a missing file or unknown scenario name', async () => {
    await refused(['run', 'no-such-scenario'], 'scenario', /neither a built-in scenario/);
  });

  it('a valid YAML scenario is accepted (the refusals above are not blanket)', async () => {
    const f = tmp.file(
      'good.yaml',
      'nodes:\n  - id: 0\n    cores: 2\n    dram:\n      - { start: 0, size: 4G }\nnamespaces:\n  - name: a\n    node: 0\n    size: 1G\n    start: 8G\n',
    );
    const r = await cli(['run', f, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).namespaces[0].sizeBytes).toBe(2 ** 30);
  });
});

describe('bad flags are refused with exit code 2 and one line naming the flag', () => {
  it('an unknown --strategy', async () => {
    await refused(['run', 'seed000-pmem-128g', '--strategy', 'nope'], '--strategy', /unknown strategy "nope"/);
  });

  it('an unknown --strategy in compare', async () => {
    await refused(['compare', 'seed000-pmem-128g', '--strategy', 'serial', '--strategy', 'nope'], '--strategy', /nope/);
  });

  it('--threads 0', async () => {
    await refused(['run', 'seed000-pmem-128g', '--threads', '0'], '--threads', />= 1/);
  });

  it('--threads 0 in compare', async () => {
    await refused(['compare', 'seed000-pmem-128g', '--strategy', 'serial', '--strategy', 'async8', '--threads', '0'], '--threads');
  });

  it.each([['-3'], ['2.5'], ['many']])('--threads %s', async (v) => {
    await refused(['run', 'seed000-pmem-128g', `--threads=${v}`], '--threads');
  });

  it('--seed -1', async () => {
    await refused(['run', 'seed000-pmem-128g', '--seed=-1'], '--seed');
  });

  it('an unknown option', async () => {
    await refused(['run', 'seed000-pmem-128g', '--bogus'], '--bogus');
  });

  it('a missing scenario argument', async () => {
    await refused(['run', '--json'], 'scenario');
  });

  it('an unknown command', async () => {
    await refused(['frobnicate'], 'frobnicate');
  });
});
