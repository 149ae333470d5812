/**
 * memmap-sim check and merge from the command line: exit codes, the JSON
 * document, the replay command of a finding, and refusals.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, refused, singleJson, tempDir } from '../cli/helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const out = tmp.file('.keep', '').replace(/\.keep$/, 'found');

interface Report {
  strategy: string;
  runs: number;
  found: number;
  stuck: number;
  timeToFirstMs: number | null;
  firstRun: number | null;
  violations: { invariant: string; kind: string; message: string; seed: number; scenario: Record<string, unknown>; replay: string; file: string }[];
}

describe('check', () => {
  it('a correct strategy: exit 0, one JSON array with nothing found', async () => {
    const r = await cli(['check', '--strategy', 'outside-lock', '--runs', '15', '--scope', 'tiny', '--json', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const [rep] = singleJson(r.out) as Report[];
    expect(rep).toMatchObject({ strategy: 'outside-lock', runs: 15, found: 0, stuck: 0, timeToFirstMs: null, violations: [] });
  });

  it('a known-bad strategy: exit 1, the shrunk scenario written, and its replay command shows the same invariant', async () => {
    const r = await cli(['check', '--strategy', 'bug-no-ref', '--runs', '5', '--seed', '3', '--json', '--out', out]);
    expect(r.code, r.err).toBe(1);
    const [rep] = singleJson(r.out) as Report[];
    expect(rep.found).toBe(5);
    expect(rep.timeToFirstMs).toBeGreaterThanOrEqual(0);
    const v = rep.violations[0];
    expect(v).toMatchObject({ invariant: 'I5', kind: 'refcount-short' });
    expect(JSON.parse(readFileSync(v.file, 'utf8'))).toEqual(v.scenario);
    const [cmd, sub, ...args] = v.replay.split(' ');
    expect([cmd, sub]).toEqual(['memmap-sim', 'run']);
    const replay = await cli(['run', ...args, '--json']);
    expect(replay.code, replay.err).toBe(0);
    const result = singleJson(replay.out) as { violations: { invariant: string; kind: string }[] };
    expect(result.violations.map((x) => `${x.invariant} ${x.kind}`)).toContain('I5 refcount-short');
  });

  it('the text report names the invariant, pfns, actors, history and the replay command', async () => {
    const r = await cli(['check', '--strategy', 'bug-publish-early', '--runs', '2', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/bug-publish-early \(known bad\): 2 runs, 2 found, 0 stuck, first at run 0/);
    expect(r.out).toMatch(/I1 dax-before-init at pmem0/);
    expect(r.out).toMatch(/pfns \[0x[0-9a-f]+, 0x[0-9a-f]+\)/);
    expect(r.out).toMatch(/actors .*dax-user/);
    expect(r.out).toMatch(/replay {3}memmap-sim run \S+\.json --strategy bug-publish-early --seed \d+/);
  });

  it('a strategy written by the user (--strategy-file): found, and the scenario file replays it on its own', async () => {
    const r = await cli(['check', '--strategy-file', 'docs/strategies/publish-early.yaml', '--runs', '3', '--json', '--out', out]);
    expect(r.code, r.err).toBe(1);
    const [rep] = singleJson(r.out) as Report[];
    expect(rep.strategy).toBe('my-publish-early');
    const v = rep.violations[0];
    expect(v.replay).not.toContain('--strategy');
    const replay = await cli(['run', ...v.replay.split(' ').slice(2), '--json']);
    expect(replay.code, replay.err).toBe(0);
    expect((singleJson(replay.out) as { violations: { kind: string }[] }).violations.map((x) => x.kind)).toContain(v.kind);
  });

  it('--time-limit stops starting runs', async () => {
    const limited = await cli(['check', '--strategy', 'padata', '--runs', '100000', '--time-limit', '0.5', '--scope', 'tiny', '--json', '--out', out]);
    expect(limited.code, limited.err).toBe(0);
    const [rep] = singleJson(limited.out) as Report[];
    expect(rep.runs).toBeGreaterThan(0);
    expect(rep.runs).toBeLessThan(100000);
  });

  it('refuses bad input with exit 2', async () => {
    await refused(['check'], '--strategy');
    await refused(['check', '--strategy', 'nope'], '--strategy', /unknown strategy/);
    await refused(['check', '--all', '--all-correct'], '--strategy', /only one/);
    await refused(['check', '--all-correct', '--runs', '0'], '--runs');
    await refused(['check', '--all-correct', '--shard', '3/2'], '--shard');
    await refused(['check', '--all-correct', '--shard', 'x'], '--shard', /I\/N/);
    await refused(['check', '--all-correct', '--time-limit', '-1'], '--time-limit');
    await refused(['check', '--all-correct', '--scope', 'huge'], '--scope');
    await refused(['check', '--all-correct', '--shard-count', '2'], '--shard-count');
    await refused(['merge', tmp.file('bad.json', '{"a":1}')], 'FILES[0]');
  });
});
