/**
 * memmap-sim checked by itself: a fixed-seed campaign of more than 2,000 runs
 * over the checker's widened generators (mostly the tiny scope, some small
 * and big ones with namespaces up to 4 TiB). For every correct strategy:
 * every run ends quiescent with no violation, every struct page is
 * initialized exactly once, every figure is finite and not negative, and a
 * sample replays to the same bytes. For every known-bad strategy, `check`
 * finds its bug and the shrunk scenario shows the same invariant.
 */
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../src/api/check/campaign.js';
import { drawCase } from '../../src/api/check/draw.js';
import { runSeed } from '../../src/api/check/run-seed.js';
import type { Scope } from '../../src/api/check/scopes.js';
import { allStrategies, type CheckedStrategy } from '../../src/api/check/strategies.js';
import { createSimulation, simulate } from '../../src/api/simulate.js';
import type { RunResult } from '../../src/api/result.js';
import { initPlace, type TraceEvent } from '../../src/model/trace-events.js';
import { runOptions } from '../../src/testing/arbitraries.js';

const SEED = Number(process.env.FC_SEED ?? 2026);
const CORRECT = allStrategies().filter((s) => !s.knownBad);
const KNOWN_BAD = allStrategies().filter((s) => s.knownBad);
/** Runs per correct strategy and scope: 5 probe x 275 + 4 boot x 215 > 2,000. */
const PLAN: Record<'probe' | 'boot', readonly [Scope, number][]> = {
  probe: [
    ['tiny', 240],
    ['small', 30],
    ['big', 5],
  ],
  boot: [
    ['tiny', 180],
    ['small', 30],
    ['big', 5],
  ],
};
const REPLAY_EVERY = 40;

type Range = readonly [number, number];

/** The struct page ranges each namespace or node initialized (the pgmap-only second pass of serial sets no struct page up). */
function initRanges(trace: readonly TraceEvent[], compound: ReadonlySet<string>): Map<string, Range[]> {
  const out = new Map<string, Range[]>();
  const add = (key: string, r: Range) => out.set(key, [...(out.get(key) ?? []), r]);
  for (const e of trace) {
    if (e.type === 'compound.init') add(e.namespace, [e.startPfn, e.endPfn]);
    // A compound namespace's data pages are counted by compound.init; its altmap-hosting pages by pages.init.
    else if (e.type === 'pages.init' && e.work !== 'pgmap' && (!compound.has(initPlace(e)) || e.work === 'hosting')) add(initPlace(e), [e.startPfn, e.endPfn]);
  }
  return out;
}

/** Pages covered, throwing if any pfn is covered twice. */
function coveredOnce(ranges: readonly Range[], label: string): number {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let pages = 0;
  sorted.forEach((r, i) => {
    if (i > 0 && sorted[i - 1][1] > r[0]) throw new Error(`${label}: pfn 0x${r[0].toString(16)} initialized twice`);
    pages += r[1] - r[0];
  });
  return pages;
}

function figuresFinite(x: unknown, at: string): void {
  if (typeof x === 'number') {
    if (!Number.isFinite(x) || x < 0) throw new Error(`${at} = ${x}: not a finite, non-negative figure`);
  } else if (typeof x === 'object' && x !== null) {
    // Issue reports carry times and histories, not figures.
    for (const [k, v] of Object.entries(x)) if (k !== 'findings' && k !== 'violations') figuresFinite(v, `${at}.${k}`);
  }
}

function checkRun(s: CheckedStrategy, scope: Scope, index: number): void {
  const c = drawCase(s.family, scope, runSeed(SEED, `${s.name}/${scope}`, index));
  const label = `${s.name} ${scope} run ${index} (seed ${SEED}): ${JSON.stringify(c)}`;
  const sim = createSimulation(c.scenario, runOptions(c, s.name));
  const trace: TraceEvent[] = [];
  sim.trace$.subscribe((e) => trace.push(e));
  const r: RunResult = sim.run();
  expect(r.engine.outcome, label).toBe('quiescent');
  expect(r.violations, label).toEqual([]);
  figuresFinite(r, label);
  const compound = new Set(r.namespaces.filter((n) => n.geometry !== '4K').map((n) => n.name));
  const ranges = initRanges(trace, compound);
  // Every page of every namespace exactly once: the memmap it hosts (altmap) and its data.
  for (const n of r.namespaces) expect(coveredOnce(ranges.get(n.name) ?? [], `${label} ${n.name}`), `${label} ${n.name}`).toBe(n.sizeBytes / 4096);
  // Boot: no pfn twice; that none is missed is the deferred-complete invariant, and there are no violations.
  for (const n of r.nodes) coveredOnce(ranges.get(`node${n.id}`) ?? [], `${label} node${n.id}`);
  if (index % REPLAY_EVERY === 0) expect(JSON.stringify(simulate(c.scenario, runOptions(c, s.name))), label).toBe(JSON.stringify(r));
}

describe(`memmap-sim checked by itself (seed ${SEED})`, () => {
  it.each(CORRECT.map((s) => [s.name, s] as const))('%s: every run quiescent, clean, each struct page once, finite figures, replayable', (_name, s) => {
    for (const [scope, runs] of PLAN[s.family]) for (let i = 0; i < runs; i++) checkRun(s, scope, i);
  });

  it('the campaign is over 2,000 runs', () => {
    const runs = CORRECT.reduce((a, s) => a + PLAN[s.family].reduce((b, [, n]) => b + n, 0), 0);
    expect(runs).toBeGreaterThanOrEqual(2000);
  });

  it.each(KNOWN_BAD.map((s) => [s.name, s] as const))('check finds %s, and the shrunk scenario shows the same invariant', async (_name, s) => {
    const [report] = await runCampaign({ strategies: [s], runs: 40, seed: SEED, scope: 'small', outDir: null });
    expect(report.found, `${s.name} seed ${SEED}`).toBeGreaterThan(0);
    const [v] = report.violations;
    const replayed = simulate(v.scenario);
    expect(
      replayed.violations.map((x) => `${x.invariant} ${x.kind}`),
      JSON.stringify(v.scenario),
    ).toContain(`${v.invariant} ${v.kind}`);
  });
});
