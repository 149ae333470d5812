import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { exploreExhaustive } from '../../src/index.js';
import { cli, refused, singleJson, tempDir } from '../cli/helpers.js';

afterEach(() => vi.restoreAllMocks());

const scenario = {
  name: 'dax-tiny',
  profile: 'devdax-2022',
  nodes: [{ id: 0, cores: 1, dram: [{ start: '4G', size: '1G' }] }],
  namespaces: [{ name: 'dax0.0', node: 0, size: '1G', mode: 'devdax', altmap: false, geometry: '1G' }],
};
const dir = tempDir();
const file = dir.file('dax-tiny.json', scenario);
afterAll(() => dir.remove());

describe('run --choices --quantum replays a path of exhaustive exploration', () => {
  it('shows the violation the explorer found on that path', async () => {
    const r = exploreExhaustive(scenario, { strategy: 'bug-split-compound', threads: 2, stopAtFirst: false });
    const v = r.violations.find((x) => x.kind === 'compound-head-before-tail')!;
    const argv = ['run', file, '--strategy', 'bug-split-compound', '--threads', '2', '--quantum', String(r.quantumNs), '--json'];
    const replay = await cli([...argv, '--choices', v.choices.join(',')]);
    expect(replay.code).toBe(0);
    const kinds = (singleJson(replay.out) as { violations: { kind: string }[] }).violations.map((x) => x.kind);
    expect(kinds).toContain('compound-head-before-tail');
    const fifo = (singleJson((await cli(argv)).out) as { violations: { kind: string }[] }).violations.map((x) => x.kind);
    expect(fifo).not.toContain('compound-head-before-tail');
  });

  it('refuses a sequence that is not a path of the run, and malformed flags', async () => {
    await refused(['run', file, '--strategy', 'bug-split-compound', '--threads', '2', '--quantum', '1000000', '--choices', '7'], 'choices', /only 2 timers/);
    await refused(['run', file, '--choices', '1,x'], '--choices');
    await refused(['run', file, '--quantum', '-1'], '--quantum');
  });
});
