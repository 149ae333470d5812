/**
 * Shared helpers of the issue-3 (boot-time deferred struct page init) suite.
 */
import { createSimulation, type SimulateOptions } from '../../src/api/simulate.js';
import type { RunResult } from '../../src/api/result.js';
import type { NodeBootLayout } from '../../src/model/boot-layout.js';
import { derive, X86_64 } from '../../src/model/constants.js';
import { resolveScenario, type PfnRange } from '../../src/model/scenario.js';
import { buildTopology } from '../../machines/shared/topology.js';
import type { TraceEvent, TraceOf } from '../../src/model/trace-events.js';

export const D = derive(X86_64);
/** PAGES_PER_SECTION (32768), MAX_ORDER_NR_PAGES (1024). */
export const PPS = D.pagesPerSection;
export const MO = D.maxOrderNrPages;
export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
/** pfn of a byte address. */
export const pfn = (bytes: number) => bytes / 4096;

export const CORRECT_BOOT = ['no-defer', 'deferred-serial', 'maxorder-off', 'padata'] as const;

/**
 * One node of 4 cores x 2 threads with `size` of DRAM from address 0: DMA
 * below 16 MiB, DMA32 the rest (the deferred zone). At 1 GiB the deferred
 * zone has 6 sections, [65536, 262144), of which the memmap takes the top
 * 4096 pages.
 */
export function smallBoot(extra: Record<string, unknown> = {}, size = '1G'): Record<string, unknown> {
  return {
    name: 'small-boot',
    boot: {},
    nodes: [{ id: 0, cores: 4, threadsPerCore: 2, dram: [{ start: '0', size }] }],
    ...extra,
  };
}

/** A run together with its whole trace. */
export function traced(input: unknown, options: SimulateOptions = {}): { result: RunResult; trace: TraceEvent[] } {
  const sim = createSimulation(input, options);
  const trace: TraceEvent[] = [];
  sim.trace$.subscribe((e) => trace.push(e));
  const result = sim.run();
  return { result, trace };
}

export function ofType<K extends TraceEvent['type']>(trace: readonly TraceEvent[], type: K): TraceOf<K>[] {
  return trace.filter((e): e is TraceOf<K> => e.type === type);
}

/** The boot layout of every node of a scenario, as the system hands it to the node's pgdatinit. */
export function layoutsOf(input: unknown): NodeBootLayout[] {
  return buildTopology(resolveScenario(input)).flatMap((actor) => (actor.kind === 'pgdatinit' ? [actor.input.layout] : []));
}

export const pagesIn = (ranges: readonly PfnRange[]) => ranges.reduce((a, r) => a + r.endPfn - r.startPfn, 0);

/** Sorted, merged copy of a list of ranges. */
export function union(ranges: readonly PfnRange[]): PfnRange[] {
  const sorted = [...ranges].sort((a, b) => a.startPfn - b.startPfn);
  const out: { startPfn: number; endPfn: number }[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.startPfn <= last.endPfn) last.endPfn = Math.max(last.endPfn, r.endPfn);
    else out.push({ startPfn: r.startPfn, endPfn: r.endPfn });
  }
  return out;
}

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Slowest node's deferred init, as the kernel prints it. */
export const slowest = (r: RunResult) => Math.max(...r.nodes.map((n) => n.deferredInitMs));
