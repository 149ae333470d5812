import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { advise } from '../../src/api/advise.js';
import { calibrate } from '../../src/api/calibrate.js';
import { sweep } from '../../src/api/sweep.js';
import { cli, refused, singleJson, tempDir } from './helpers.js';

afterEach(() => vi.restoreAllMocks());
const tmp = tempDir();
afterAll(() => tmp.remove());

/** One node of 8 cores x 2 threads and 6 GiB: a boot of a few ms, so the advice takes seconds. */
const machine = { name: 'small16', nodes: [{ id: 0, cores: 8, threadsPerCore: 2, dram: [{ start: '0', size: '6G' }] }], boot: {} };

describe('advise: threads, chunk, strategy and the boot time they save', () => {
  it('the advised thread count is the smallest that reaches 95 % of the best speedup', () => {
    const a = advise(machine);
    expect(a.cpus).toBe(16);
    expect(a.threads).toBeGreaterThanOrEqual(1);
    expect(a.threads).toBeLessThanOrEqual(16);
    expect(a.speedup).toBeGreaterThanOrEqual(0.95 * a.bestSpeedup - 1e-3);
    // One thread fewer falls short of it.
    if (a.threads > 1) {
      const [one, fewer] = sweep(machine, [1, a.threads - 1]);
      expect(one.deferredInitMs / fewer.deferredInitMs).toBeLessThan(0.95 * a.bestSpeedup);
    }
    // Correct strategies only, fastest first; padata's chunk is a whole number of pages.
    expect(a.strategies.map((s) => s.name)).not.toContain('bug-unaligned-chunks');
    expect(a.strategies.map((s) => s.bootMs)).toEqual([...a.strategies.map((s) => s.bootMs)].sort((x, y) => x - y));
    expect(a.strategy).toBe(a.strategies[0].name);
    expect(Number.isInteger(a.chunkPages) && a.chunkPages > 0).toBe(true);
    expect(a.savedMs).toBeCloseTo(a.todayBootMs - a.advisedBootMs, 2);
    // Without a calibration there is no uncertainty to carry.
    expect(a.threadsRange).toBeNull();
    expect(a.savedMsUncertainty).toBeNull();
  }, 120_000);

  it('with a calibration, every answer carries its uncertainty', () => {
    const c = calibrate(machine, [
      { threads: 1, ms: 9 },
      { threads: 16, ms: 2 },
    ]);
    expect(c.fit.reason).toBeNull();
    const a = advise(machine, { profile: c.profile, uncertainty: c.fit.uncertainty });
    expect(a.threadsRange).not.toBeNull();
    expect(a.threadsRange![0]).toBeLessThanOrEqual(a.threads);
    expect(a.threadsRange![1]).toBeGreaterThanOrEqual(a.threads);
    expect(a.savedMsUncertainty).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('the command prints the advice, or one JSON document, and refuses a scenario without boot', async () => {
    const f = tmp.file('small16.json', machine);
    const text = await cli(['advise', f, '--measure', '1:9', '--measure', '16:2']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/threads per node: \d+ of 16/);
    expect(text.out).toMatch(/chunk: \d+ pages/);
    expect(text.out).toMatch(/boot: .* as given, .* advised: (saves|costs) .* ± /);
    const json = await cli(['advise', f, '--json']);
    expect(singleJson(json.out)).toEqual(expect.objectContaining({ scenario: 'small16', cpus: 16, strategy: expect.any(String) }));
    await refused(['advise', 'seed000-pmem-128g'], 'scenario', /boot section/);
  }, 180_000);
});
