/**
 * A checking campaign: for each strategy, N runs, each a generated machine
 * and schedule; the first run found (lowest index) is shrunk to the smallest
 * machine and schedule that still show the same invariant.
 *
 * Run i of a strategy is drawn from its own seed (runSeed), so the result is
 * the same whatever the worker count, and shards of a campaign merge into the
 * whole one (merge.ts). Only `timeToFirstMs` and the file names of written
 * scenarios differ from one run of a campaign to the next.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { InputError } from '../../model/input-error.js';
import type { BatchTask, RunSummary } from './batch.js';
import { drawCase } from './draw.js';
import { inlineExecutor, poolExecutor, type Executor } from './pool.js';
import { describeFinding, scenarioDocument, type CheckViolation } from './report.js';
import { runCase, type CaseOutcome, type Target } from './run-case.js';
import { runSeed } from './run-seed.js';
import type { CheckCase, Scope } from './scopes.js';
import { shardIndices, type Shard } from './shard.js';
import { shrinkCase } from './shrink.js';
import type { CheckedStrategy, Family } from './strategies.js';

export interface CampaignOptions {
  readonly strategies: readonly CheckedStrategy[];
  /** Runs per strategy in the whole campaign. */
  readonly runs: number;
  readonly seed: number;
  readonly scope: Scope;
  /** Wall-clock seconds per strategy after which no run starts. */
  readonly timeLimitS?: number;
  /** Worker threads (tinypool); 0 or 1: this thread. */
  readonly workers?: number;
  /** Run only this slice of the campaign. */
  readonly shard?: Shard;
  /** Each run explores every order of same-time events (up to a bound) instead of one seeded order. */
  readonly exhaustive?: boolean;
  /** Folder for the minimal scenarios; null writes none. */
  readonly outDir: string | null;
}

export interface StrategyReport {
  readonly strategy: string;
  /** Runs done (fewer than asked only when the time limit stopped the campaign). */
  readonly runs: number;
  /** Runs with a violation or a run that did not end quiescent. */
  readonly found: number;
  /** Runs that did not end (stuck over budget, or failed). */
  readonly stuck: number;
  /** Wall-clock ms from the start of the strategy's campaign to the end of its first run found. */
  readonly timeToFirstMs: number | null;
  /** The shrunk first finding: the invariant it was shrunk for first, then the others that scenario shows. */
  readonly violations: readonly CheckViolation[];
  readonly family: Family;
  readonly knownBad: boolean;
  readonly scope: Scope;
  readonly seed: number;
  /** Runs asked of the whole campaign. */
  readonly campaignRuns: number;
  /** Index of the first run found, or null. */
  readonly firstRun: number | null;
  readonly exhaustive?: { readonly paths: number; readonly states: number; readonly exhaustedRuns: number };
  readonly shard?: Shard;
}

/** Runs the campaign of every strategy, one after the other. */
export async function runCampaign(o: CampaignOptions): Promise<StrategyReport[]> {
  if (!Number.isSafeInteger(o.runs) || o.runs < 1) throw new InputError('--runs', 'must be a whole number >= 1');
  const workers = o.workers ?? 0;
  const executor: Executor = workers > 1 ? poolExecutor(workers) : inlineExecutor;
  try {
    const out: StrategyReport[] = [];
    for (const s of o.strategies) out.push(await strategyCampaign(o, s, executor, workers));
    return out;
  } finally {
    await executor.close();
  }
}

function batches(o: CampaignOptions, s: CheckedStrategy, workers: number, deadline: number | null): BatchTask[] {
  const indices = shardIndices(o.runs, o.shard);
  const size = workers > 1 ? Math.max(1, Math.ceil(indices.length / (workers * 4))) : indices.length;
  const tasks: BatchTask[] = [];
  for (let i = 0; i < indices.length; i += size) {
    tasks.push({
      strategy: s.ref,
      family: s.family,
      scope: o.scope,
      seed: o.seed,
      indices: indices.slice(i, i + size),
      exhaustive: o.exhaustive ?? false,
      deadline,
    });
  }
  return tasks;
}

async function strategyCampaign(o: CampaignOptions, s: CheckedStrategy, executor: Executor, workers: number): Promise<StrategyReport> {
  const start = Date.now();
  const deadline = o.timeLimitS === undefined ? null : start + o.timeLimitS * 1000;
  const runs = (await executor.run(batches(o, s, workers, deadline))).sort((a, b) => a.index - b.index);
  const first = runs.find((r) => r.found);
  const ex = runs.filter((r) => r.exhaustive);
  return {
    strategy: s.name,
    runs: runs.length,
    found: runs.filter((r) => r.found).length,
    stuck: runs.filter((r) => r.stuck).length,
    timeToFirstMs: first ? first.doneAt - start : null,
    violations: first ? findings(o, s, first) : [],
    family: s.family,
    knownBad: s.knownBad,
    scope: o.scope,
    seed: o.seed,
    campaignRuns: o.runs,
    firstRun: first ? first.index : null,
    ...(o.exhaustive
      ? {
          exhaustive: {
            paths: sum(ex, (r) => r.exhaustive!.paths),
            states: sum(ex, (r) => r.exhaustive!.states),
            exhaustedRuns: ex.filter((r) => r.exhaustive!.exhausted).length,
          },
        }
      : {}),
    ...(o.shard ? { shard: o.shard } : {}),
  };
}

const sum = (xs: readonly RunSummary[], f: (r: RunSummary) => number) => xs.reduce((a, r) => a + f(r), 0);

/** The first run found, shrunk (an exhaustive one replayed by its choices), as reported violations. */
function findings(o: CampaignOptions, s: CheckedStrategy, first: RunSummary): CheckViolation[] {
  const target = first.target!;
  const seed = runSeed(o.seed, s.name, first.index);
  let c: CheckCase;
  let outcome: CaseOutcome;
  const choices = first.exhaustive?.choices ?? undefined;
  if (first.exhaustive) {
    c = drawCase(s.family, o.scope, seed);
    outcome = runCase(c, s.ref, { quantumNs: first.exhaustive.quantumNs, choices: choices ?? [] });
  } else {
    const shrunk = shrinkCase(s.family, o.scope, s.ref, seed, target);
    c = shrunk.case;
    outcome = shrunk.outcome;
  }
  const file = writeScenario(o.outDir, c, s, target);
  const replayChoices = first.exhaustive ? { choices: choices ?? [], quantumNs: first.exhaustive.quantumNs } : undefined;
  const targets: Target[] = [target];
  for (const v of outcome.result.violations) if (!targets.some((t) => t.invariant === v.invariant && t.kind === v.kind)) targets.push(v);
  return targets.map((t) => describeFinding(outcome, t, c, s.ref, file ?? '<scenario.json>', replayChoices));
}

/** Writes the minimal scenario as `<strategy>-<invariant>-<id>.json`; returns its path, or null when no folder is set. */
function writeScenario(outDir: string | null, c: CheckCase, s: CheckedStrategy, target: Target): string | null {
  if (outDir === null) return null;
  const path = join(outDir, `${s.name}-${target.invariant}-${target.kind}-${nanoid(10)}.json`);
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path, `${JSON.stringify(scenarioDocument(c, s.ref), null, 2)}\n`);
  } catch (e) {
    throw new InputError('--out', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return path;
}
