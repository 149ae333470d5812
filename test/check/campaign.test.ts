/**
 * A campaign's result depends only on its seed, scope and runs: not on the
 * worker count, and shards merged give the whole campaign. The shard comes
 * from --shard or from a batch engine's environment.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign, type StrategyReport } from '../../src/api/check/campaign.js';
import { mergeShards } from '../../src/api/check/merge.js';
import { parseShard, shardFromEnv, shardIndices } from '../../src/api/check/shard.js';
import { selectStrategies } from '../../src/api/check/strategies.js';
import { InputError } from '../../src/model/input-error.js';

const strategies = selectStrategies({ strategy: ['outside-lock-mt', 'bug-split-compound', 'bug-grow-mid-block'] });
const campaign = (extra: { workers?: number; shard?: { index: number; count: number } } = {}) =>
  runCampaign({ strategies, runs: 24, seed: 5, scope: 'tiny', outDir: null, ...extra });
/** Everything but the wall-clock time to the first finding. */
const comparable = (r: readonly StrategyReport[]) => JSON.stringify(r, (k, v) => (k === 'timeToFirstMs' ? undefined : v));

describe('campaigns', () => {
  it('shards 1/2 and 2/2 merged give the whole campaign; 2 workers give the same as 1', async () => {
    const whole = await campaign();
    expect(whole.map((r) => r.runs)).toEqual([24, 24, 24]);
    expect(whole[0].found).toBe(0);
    expect(whole[1].found).toBeGreaterThan(0);
    expect(whole[2].found).toBeGreaterThan(0);
    const [a, b] = [await campaign({ shard: { index: 1, count: 2 } }), await campaign({ shard: { index: 2, count: 2 } })];
    expect(a[0].runs + b[0].runs).toBe(24);
    expect(comparable(mergeShards([b, a]))).toBe(comparable(whole));
    expect(comparable(await campaign({ workers: 2 }))).toBe(comparable(whole));
  });

  it('merge refuses a missing or repeated shard and shards of different campaigns', async () => {
    const [a, b] = [await campaign({ shard: { index: 1, count: 2 } }), await campaign({ shard: { index: 2, count: 2 } })];
    expect(() => mergeShards([a])).toThrow(/shard 2\/2 missing/);
    expect(() => mergeShards([a, a, b])).toThrow(/given twice/);
    expect(() => mergeShards([a, b.map((r) => ({ ...r, seed: 6 }))])).toThrow(/different campaigns/);
  });

  it('shards are contiguous slices that cover every run once', () => {
    const slices = [1, 2, 3].map((index) => shardIndices(10, { index, count: 3 }));
    expect(slices).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8, 9],
    ]);
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
  });

  it('the shard from a Kubernetes Indexed Job or a Slurm array', () => {
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '0', MEMMAP_SIM_SHARDS: '4' })).toEqual({ index: 1, count: 4 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '3' }, 4)).toEqual({ index: 4, count: 4 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 3, count: 3 });
    expect(shardFromEnv({})).toBeUndefined();
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' })).toThrow(InputError);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '4', MEMMAP_SIM_SHARDS: '4' })).toThrow(/from 1 to the count/);
  });
});
