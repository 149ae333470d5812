import { InputError } from '../model/input-error.js';
import type { ProfileInput } from '../model/profiles/index.js';
import type { UserStrategyInput } from '../model/strategy-schema.js';
import { resolveScenario } from '../model/scenario.js';
import { simulate } from './simulate.js';

export interface SweepRow {
  readonly threads: number;
  /** Slowest node, as the kernel prints it. */
  readonly deferredInitMs: number;
  readonly bootMs: number | null;
  /** Deferred init of the first row over this row's; null where it has no meaning (a time of 0). */
  readonly speedup: number | null;
  /** Threads deferred init used (padata's nworks, at most `threads`). */
  readonly threadsUsed: number;
  readonly nodes: readonly { readonly id: number; readonly deferredInitMs: number }[];
  readonly violations: number;
}

/** Deferred init and boot time at each thread count; speedup against the first. */
export function sweep(
  input: unknown,
  threads: readonly number[],
  options: {
    name?: string;
    strategy?: string | UserStrategyInput;
    profile?: ProfileInput;
    seed?: number;
    /** Called after each thread count's run: rows done and rows in all (the CLI draws its progress bar from it). */
    onProgress?: (done: number, total: number) => void;
  } = {},
): SweepRow[] {
  if (!Array.isArray(threads) || threads.length === 0) throw new InputError('threads', 'must be a non-empty array of thread counts, e.g. [1, 6, 13, 26, 52]');
  const sc = resolveScenario(input, { ...options, threads: threads[0] }, options.name);
  if (sc.boot && sc.bootStrategy.threads === 'one' && threads.some((x) => x !== 1)) {
    throw new InputError(
      options.strategy === undefined ? 'strategy' : '--strategy',
      `${sc.bootStrategy.name} runs one thread per node, so a sweep over thread counts has nothing to vary`,
    );
  }
  const { onProgress, ...runOptions } = options;
  const rows = threads.map((t, i) => {
    const r = simulate(input, { ...runOptions, threads: t });
    onProgress?.(i + 1, threads.length);
    if (!r.nodes.length) throw new InputError('scenario', 'has no boot section: sweep needs `"boot": {}` and nodes with dram');
    return {
      threads: t,
      threadsUsed: r.threads,
      deferredInitMs: r.nodes.length ? Math.max(...r.nodes.map((n) => n.deferredInitMs)) : 0,
      bootMs: r.bootMs,
      nodes: r.nodes.map((n) => ({ id: n.id, deferredInitMs: n.deferredInitMs })),
      violations: r.violations.reduce((a, v) => a + v.count, 0),
    };
  });
  const base = rows[0]?.deferredInitMs ?? 0;
  return rows.map((r) => ({ ...r, speedup: base > 0 && r.deferredInitMs > 0 ? Math.round((base / r.deferredInitMs) * 1000) / 1000 : null }));
}
