import { InputError } from '../../model/input-error.js';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

const whole = (value: string | undefined, field: string, min: number): number => {
  if (value === undefined || !/^\d+$/.test(value.trim()) || Number(value) < min)
    throw new InputError(field, `must be a whole number >= ${min}, got "${value ?? ''}"`);
  return Number(value);
};

function checked(index: number, count: number, field: string): Shard {
  if (index > count) throw new InputError(field, `shard ${index} of ${count}: the index must be from 1 to the count`);
  return { index, count };
}

/** `I/N`, as `--shard` takes it. */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m) throw new InputError('--shard', `must be I/N (shard I of N, from 1), got "${value}"`);
  return checked(whole(m[1], '--shard', 1), whole(m[2], '--shard', 1), '--shard');
}

/**
 * The shard of a batch job, from the conventions of batch engines: a
 * Kubernetes Indexed Job's JOB_COMPLETION_INDEX (0-based) with the count from
 * `shardCount` or MEMMAP_SIM_SHARDS, or a Slurm array's SLURM_ARRAY_TASK_ID
 * and SLURM_ARRAY_TASK_COUNT (from SLURM_ARRAY_TASK_MIN, default 0). None: undefined.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv, shardCount?: number): Shard | undefined {
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = whole(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX', 0);
    const count = shardCount ?? (env.MEMMAP_SIM_SHARDS === undefined ? undefined : whole(env.MEMMAP_SIM_SHARDS, 'MEMMAP_SIM_SHARDS', 1));
    if (count === undefined)
      throw new InputError('JOB_COMPLETION_INDEX', "needs the shard count: --shard-count N or MEMMAP_SIM_SHARDS (the Job's completions)");
    return checked(index + 1, count, 'JOB_COMPLETION_INDEX');
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = whole(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID', 0);
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : whole(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN', 0);
    const count = shardCount ?? whole(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT', 1);
    if (id < min) throw new InputError('SLURM_ARRAY_TASK_ID', `must be >= SLURM_ARRAY_TASK_MIN (${min})`);
    return checked(id - min + 1, count, 'SLURM_ARRAY_TASK_ID');
  }
  if (shardCount !== undefined)
    throw new InputError('--shard-count', 'needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment (or use --shard I/N)');
  return undefined;
}

/** The run indices of a shard: a contiguous slice, so shards in order cover 0..runs-1 once. */
export function shardIndices(runs: number, shard: Shard | undefined): number[] {
  const s = shard ?? { index: 1, count: 1 };
  const from = Math.floor(((s.index - 1) * runs) / s.count);
  const to = Math.floor((s.index * runs) / s.count);
  return Array.from({ length: to - from }, (_, i) => from + i);
}
