/**
 * Joins the results of a campaign's shards into the whole campaign's result:
 * counts add up, and each strategy's finding is that of the shard holding
 * its first run found (each shard shrank its own first, and the campaign
 * shrinks the lowest index of all).
 */
import { InputError } from '../../model/input-error.js';
import type { StrategyReport } from './campaign.js';

/** What a shard file holds: the JSON array `check --json` prints. */
export type ShardResult = readonly StrategyReport[];

const key = (r: StrategyReport) => JSON.stringify([r.seed, r.scope, r.campaignRuns, r.exhaustive !== undefined]);

function mergeOne(parts: readonly StrategyReport[], field: string): StrategyReport {
  const [head] = parts;
  const count = head.shard?.count ?? 1;
  const seen = new Set<number>();
  for (const p of parts) {
    if (key(p) !== key(head)) throw new InputError(field, `${head.strategy}: shards of different campaigns (seed, scope, runs or --exhaustive differ)`);
    if ((p.shard?.count ?? 1) !== count) throw new InputError(field, `${head.strategy}: shards of ${count} and of ${p.shard?.count ?? 1} mixed`);
    const index = p.shard?.index ?? 1;
    if (seen.has(index)) throw new InputError(field, `${head.strategy}: shard ${index}/${count} given twice`);
    seen.add(index);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new InputError(field, `${head.strategy}: shard ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
  const found = parts.filter((p) => p.firstRun !== null).sort((a, b) => a.firstRun! - b.firstRun!);
  const firstPart = found[0];
  const total = (f: (r: StrategyReport) => number) => parts.reduce((a, r) => a + f(r), 0);
  const { shard: _shard, ...base } = head;
  return {
    ...base,
    runs: total((r) => r.runs),
    found: total((r) => r.found),
    stuck: total((r) => r.stuck),
    timeToFirstMs: firstPart?.timeToFirstMs ?? null,
    violations: firstPart?.violations ?? [],
    firstRun: firstPart?.firstRun ?? null,
    ...(head.exhaustive
      ? {
          exhaustive: {
            paths: total((r) => r.exhaustive!.paths),
            states: total((r) => r.exhaustive!.states),
            exhaustedRuns: total((r) => r.exhaustive!.exhaustedRuns),
          },
        }
      : {}),
  };
}

/** Merges shard results (each an array of strategy reports), strategies in order of first appearance. */
export function mergeShards(shards: readonly ShardResult[], field = 'FILES'): StrategyReport[] {
  if (!shards.length) throw new InputError(field, 'give at least one shard result');
  const byStrategy = new Map<string, StrategyReport[]>();
  shards.forEach((shard, i) => {
    if (!Array.isArray(shard)) throw new InputError(`${field}[${i}]`, 'must be the JSON array that check --json prints');
    for (const r of shard) {
      if (typeof r?.strategy !== 'string' || typeof r.runs !== 'number')
        throw new InputError(`${field}[${i}]`, 'must be the JSON array that check --json prints');
      byStrategy.set(r.strategy, [...(byStrategy.get(r.strategy) ?? []), r]);
    }
  });
  return [...byStrategy.values()].map((parts) => mergeOne(parts, field));
}
