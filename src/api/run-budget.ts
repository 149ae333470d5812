import { sectionActorsOf } from '../../machines/shared/topology.js';
import type { ResolvedNamespace, ResolvedScenario } from '../model/scenario.js';
import { PARAM_NAMES } from '../model/profile.js';
import type { RunBudget } from '../sim/run-loop.js';

/** How far past its expected size a run may go before it counts as stuck. */
export const BUDGET_FACTOR = 20;
/** The budget's ceiling in events, whatever the scenario: a stuck run ends in seconds. */
export const MAX_BUDGET_EVENTS = 50_000_000;

/**
 * Timers a correct run of the scenario fires, over-estimated: every section
 * actor and worker a few times per probe step, every padata chunk (4 per
 * thread per free range) a few times per node.
 */
export function expectedEvents(sc: ResolvedScenario, sectionsPerActor?: number): number {
  const steps = sc.strategy.steps.length + 2;
  let n = 100;
  for (const ns of sc.namespaces) {
    n += 4 * steps * sectionActors(sc, ns, sectionsPerActor) + 8 * steps * sc.threads;
  }
  if (sc.boot) {
    for (const node of sc.nodes) {
      const ranges = node.dram.length + node.reserved.length + 2;
      const threads = sc.bootThreads ?? Math.max(1, node.cpus);
      n += 8 * ranges * (4 * threads + 2);
    }
  }
  return n;
}

/**
 * Simulated ns a correct run needs at most: every page of every pass on one
 * slowed thread, every byte at the slowest bandwidth, every fixed cost once
 * per expected event, section and usemap word; stretched by the jitter.
 */
export function expectedTimeNs(sc: ResolvedScenario, events: number): number {
  const c = sc.costs;
  const passes = sc.strategy.steps.length + 2;
  let pages = 0;
  let sections = 0;
  for (const ns of sc.namespaces) {
    pages += ns.pages;
    sections += ns.lastSection - ns.firstSection + 1;
  }
  if (sc.boot) for (const node of sc.nodes) for (const r of node.dram) pages += r.endPfn - r.startPfn;
  let perPageNs = 0;
  let fixedNs = 0;
  for (const name of PARAM_NAMES) {
    const unit = sc.profile.params[name].unit;
    if (unit.startsWith('ns/')) perPageNs += c[name];
    else if (unit === 'ns') fixedNs += c[name];
  }
  const bytesPerNs = Math.min(c.pmemWriteGBs, c.dramWriteGBs, c.streamGBs);
  const cpuNs = (pages * perPageNs * passes) / c.smtFactor;
  const memNs = (pages * sc.constants.structPageBytes * passes) / bytesPerNs;
  const words = pages / (sc.derived.pageblockNrPages * sc.derived.pageblocksPerUsemapWord);
  return (cpuNs + memNs + fixedNs * (events + sections + words)) * (1 + sc.jitter);
}

/** Section actors of a namespace: as its probe splits it. */
export const sectionActors = (sc: ResolvedScenario, ns: ResolvedNamespace, sectionsPerActor?: number): number =>
  sectionActorsOf(ns, sc.namespaces.length, sc.derived.pagesPerSection, sectionsPerActor);

/** The default budget of a run: BUDGET_FACTOR times what it should need, the events capped. */
export function defaultBudget(sc: ResolvedScenario, sectionsPerActor?: number): RunBudget {
  const events = expectedEvents(sc, sectionsPerActor);
  return {
    maxEvents: Math.min(MAX_BUDGET_EVENTS, BUDGET_FACTOR * events),
    maxTimeNs: BUDGET_FACTOR * expectedTimeNs(sc, events) + 1e9,
  };
}
