import { InputError } from '../model/input-error.js';
import type { ProfileInput } from '../model/profiles/index.js';
import type { UserStrategyInput } from '../model/strategy-schema.js';
import { simulate } from './simulate.js';

export interface SweepRow {
  readonly threads: number;
  /** Slowest node, as the kernel prints it. */
  readonly deferredInitMs: number;
  readonly bootMs: number | null;
  readonly speedup: number;
  readonly nodes: readonly { readonly id: number; readonly deferredInitMs: number }[];
  readonly violations: number;
}

/** Deferred init and boot time at each thread count; speedup against the first. */
export function sweep(input: unknown, threads: readonly number[], options: { name?: string; strategy?: string | UserStrategyInput; profile?: ProfileInput; seed?: number } = {}): SweepRow[] {
  const rows = threads.map((t) => {
    const r = simulate(input, { ...options, threads: t });
    if (!r.nodes.length) throw new InputError('scenario', 'has no boot section: sweep needs `"boot": {}` and nodes with dram');
    return {
      threads: t,
      deferredInitMs: r.nodes.length ? Math.max(...r.nodes.map((n) => n.deferredInitMs)) : 0,
      bootMs: r.bootMs,
      nodes: r.nodes.map((n) => ({ id: n.id, deferredInitMs: n.deferredInitMs })),
      violations: r.violations.reduce((a, v) => a + v.count, 0),
    };
  });
  const base = rows[0]?.deferredInitMs || 1;
  return rows.map((r) => ({ ...r, speedup: Math.round((base / (r.deferredInitMs || base)) * 1000) / 1000 }));
}
