import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cli, refused, singleJson, tempDir } from './helpers.js';

afterEach(() => vi.restoreAllMocks());
const tmp = tempDir();
afterAll(() => tmp.remove());

const MT = 'docs/strategies/mt-outside-lock.yaml';
const machine = {
  name: 'tiny',
  nodes: [{ id: 0, cores: 2, dram: [{ start: '0', size: '4G' }] }],
  namespaces: [{ name: 'pmem0', node: 0, size: '2G' }],
};

describe('--strategy-file', () => {
  it('run: the header and the JSON name the user strategy and say it is user-defined', async () => {
    const f = tmp.file('tiny.json', machine);
    const text = await cli(['run', f, '--strategy-file', MT]);
    expect(text.code).toBe(0);
    expect(text.out.split('\n')[0]).toBe('tiny: strategy my-mt-outside-lock (user-defined), 8 thread(s), seed 1, profile pmem-2018');
    const json = singleJson((await cli(['run', f, '--strategy-file', MT, '--json'])).out) as { strategy: string; strategyUserDefined?: boolean };
    expect(json).toMatchObject({ strategy: 'my-mt-outside-lock', strategyUserDefined: true });
  });

  it('compare: user strategies join the --strategy ones', async () => {
    const f = tmp.file('tiny2.json', machine);
    const r = await cli(['compare', f, '--strategy', 'outside-lock', '--strategy-file', MT, '--strategy-file', 'docs/strategies/publish-early.yaml', '--json']);
    expect(r.code).toBe(0);
    const rows = singleJson(r.out) as { strategy: string; violations: { invariant: string }[] }[];
    expect(rows.map((x) => x.strategy)).toEqual(['outside-lock', 'my-mt-outside-lock', 'my-publish-early']);
    expect(rows[2].violations.map((v) => v.invariant)).toContain('I1');
  });

  it('sweep: a boot strategy file', async () => {
    const f = tmp.file('boot.json', { boot: {}, nodes: [{ id: 0, cores: 8, dram: [{ start: '0', size: '2G' }] }] });
    const r = await cli(['sweep', f, '--threads', '1,8', '--strategy-file', 'docs/strategies/padata-max-order-chunks.json', '--json']);
    expect(r.code).toBe(0);
    expect((singleJson(r.out) as unknown[]).length).toBe(2);
  });

  it('a bad definition: exit 2, one line naming the file and the field', async () => {
    const bad = tmp.file('bad.yaml', 'name: mine\nsteps:\n  - { kind: lock, mode: exclusive }\n  - { kind: unlock }\n');
    const line = await refused(['run', 'seed000-pmem-128g', '--strategy-file', bad], `--strategy-file ${bad}: steps[0].mode`, /must be one of write, read/);
    expect(line).toMatch(/^memmap-sim: /);
  });

  it('a name that collides with a built-in is refused', async () => {
    const steps = [{ kind: 'lock', mode: 'write' }, { kind: 'activate' }, { kind: 'resize' }, { kind: 'unlock' }, { kind: 'init' }, { kind: 'publish' }];
    const f = tmp.file('dup.json', { name: 'serial', steps });
    await refused(['run', 'seed000-pmem-128g', '--strategy-file', f], 'name', /"serial" is a built-in strategy/);
  });

  it('--strategy and --strategy-file together are refused', async () => {
    await refused(['run', 'seed000-pmem-128g', '--strategy', 'serial', '--strategy-file', MT], '--strategy-file', /not both/);
  });

  it('a missing file is refused', async () => {
    await refused(['run', 'seed000-pmem-128g', '--strategy-file', 'no-such-strategy.yaml'], '--strategy-file', /cannot read/);
  });
});

describe('a scenario file that carries its own strategy object', () => {
  it('runs with no flag and names the strategy as user-defined (a replay needs no --strategy)', async () => {
    const f = tmp.file('own.json', {
      ...machine,
      strategy: {
        name: 'mine',
        steps: [{ kind: 'lock', mode: 'write' }, { kind: 'activate' }, { kind: 'resize' }, { kind: 'unlock' }, { kind: 'init' }, { kind: 'publish' }],
      },
    });
    const json = singleJson((await cli(['run', f, '--json'])).out) as { strategy: string; strategyUserDefined?: boolean; violations: { invariant: string }[] };
    expect(json).toMatchObject({ strategy: 'mine', strategyUserDefined: true });
    expect(json.violations.map((v) => v.invariant)).toContain('I5');
  });
});
