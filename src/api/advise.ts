/**
 * `advise`: the questions padata's reviewers argued over, answered for one
 * machine: how many threads per node reach 95 % of the achievable speedup,
 * the chunk padata then hands out, which boot strategy is fastest, and the
 * boot time that saves against the scenario as given. Each answer carries
 * the uncertainty of the calibration it rests on: the answers are computed
 * again with each fitted parameter one standard uncertainty up and down.
 */
import { BOOT_STRATEGIES } from '../model/boot-strategies.js';
import { InputError } from '../model/input-error.js';
import type { ProfileInput } from '../model/profiles/index.js';
import { resolveScenario } from '../model/scenario.js';
import { simulate } from './simulate.js';
import { halfSpread, perturbations, type Uncertainty } from './uncertainty.js';

/** The share of the achievable speedup the advised thread count must reach. */
export const SPEEDUP_SHARE = 0.95;

export interface Advice {
  readonly scenario: string;
  /** Node CPUs: padata's max_threads today. */
  readonly cpus: number;
  /** Smallest threads per node whose speedup over one thread reaches 95 % of the best. */
  readonly threads: number;
  /** The range of that answer across the calibration's uncertainty, or null when the profile carries none. */
  readonly threadsRange: readonly [number, number] | null;
  readonly speedup: number;
  readonly bestSpeedup: number;
  /** Mean pages per padata chunk at the advised threads, and in MiB of memory. */
  readonly chunkPages: number;
  readonly chunkMiB: number;
  /** The fastest correct boot strategy at the advised threads, by boot time. */
  readonly strategy: string;
  readonly strategies: readonly { readonly name: string; readonly bootMs: number; readonly deferredInitMs: number }[];
  /** Boot time as given (the scenario's strategy, all CPUs) and with the advice. */
  readonly todayBootMs: number;
  readonly advisedBootMs: number;
  readonly savedMs: number;
  /** One standard uncertainty of savedMs from the calibration, or null. */
  readonly savedMsUncertainty: number | null;
}

export interface AdviseOptions {
  readonly name?: string;
  readonly profile?: ProfileInput;
  /** Relative 1-sigma uncertainty of fitted parameters (calibrate's fit.uncertainty). */
  readonly uncertainty?: Uncertainty;
}

interface Core {
  readonly threads: number;
  readonly speedup: number;
  readonly bestSpeedup: number;
  readonly chunkPages: number;
  readonly today: { bootMs: number };
  readonly strategies: { name: string; bootMs: number; deferredInitMs: number }[];
}

export function advise(input: unknown, options: AdviseOptions = {}): Advice {
  const sc = resolveScenario(input, { profile: options.profile }, options.name);
  if (!sc.boot) throw new InputError('scenario', 'has no boot section: advise needs `"boot": {}` and nodes with dram');
  const cpus = Math.max(...sc.nodes.map((n) => n.cpus));
  const core = adviseAt(input, options.name, options.profile, cpus);
  const perturbed = perturbations(options.profile, options.uncertainty).map((p) => adviseAt(input, options.name, p, cpus));
  const saved = core.today.bootMs - core.strategies[0].bootMs;
  const savings = perturbed.map((c) => c.today.bootMs - c.strategies[0].bootMs);
  const threads = [core.threads, ...perturbed.map((c) => c.threads)];
  const page = sc.constants.pageShift;
  return {
    scenario: sc.name,
    cpus,
    threads: core.threads,
    threadsRange: perturbed.length ? [Math.min(...threads), Math.max(...threads)] : null,
    speedup: round3(core.speedup),
    bestSpeedup: round3(core.bestSpeedup),
    chunkPages: Math.round(core.chunkPages),
    chunkMiB: round3((core.chunkPages * 2 ** page) / 2 ** 20),
    strategy: core.strategies[0].name,
    strategies: core.strategies,
    todayBootMs: core.today.bootMs,
    advisedBootMs: core.strategies[0].bootMs,
    savedMs: round3(saved),
    savedMsUncertainty: perturbed.length ? round3(halfSpread(savings)) : null,
  };
}

function adviseAt(input: unknown, name: string | undefined, profile: ProfileInput | undefined, cpus: number): Core {
  const run = (threads: number, strategy?: string) => simulate(input, { name, profile, threads, ...(strategy ? { strategy } : {}) });
  const deferred = (r: ReturnType<typeof run>) => Math.max(...r.nodes.map((n) => n.deferredInitMs));
  const memo = new Map<number, ReturnType<typeof run>>();
  const at = (t: number) => memo.get(t) ?? (memo.set(t, run(t, 'padata')), memo.get(t)!);
  const t1 = deferred(at(1));
  const best = t1 / deferred(at(cpus));
  // Speedup grows with threads (more threads never slow deferred init in the model): bisect for the smallest within 95 %.
  let [lo, hi] = [1, cpus];
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (t1 / deferred(at(mid)) >= SPEEDUP_SHARE * best) hi = mid;
    else lo = mid + 1;
  }
  const advised = at(lo);
  const chunkPages =
    advised.nodes.reduce((a, n) => a + n.pages, 0) /
    Math.max(
      1,
      advised.nodes.reduce((a, n) => a + n.chunks, 0),
    );
  const strategies = [...BOOT_STRATEGIES.values()]
    .filter((s) => s.status !== 'known-bad')
    .map((s) => {
      const r = s.name === 'padata' ? advised : run(lo, s.name);
      return { name: s.name, bootMs: r.bootMs ?? 0, deferredInitMs: deferred(r) };
    })
    .sort((a, b) => a.bootMs - b.bootMs || a.name.localeCompare(b.name));
  const today = simulate(input, { name, profile });
  return { threads: lo, speedup: t1 / deferred(advised), bestSpeedup: best, chunkPages, today: { bootMs: today.bootMs ?? 0 }, strategies };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
