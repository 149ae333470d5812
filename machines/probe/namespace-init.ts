import type { ProbeStep } from '../../src/model/strategies.js';
import type { InitWork, TraceEvent } from '../../src/model/trace-events.js';
import { pfnLen } from '../../src/model/namespace-geometry.js';
import { initPlan } from './init-plan.js';
import { current, type Probe, type ProbeState } from './namespace.js';
import { step, type At, type Step } from '../shared/step.js';
import type { CpuThreadSpec } from '../shared/cpu-thread.js';

/**
 * A probe's init steps (memmap_init_zone_device and the passes the strategy
 * adds): the workers each spawns and when the step ends; and the steps that
 * take no time: the pgmap references and publishing the namespace.
 */

/** The pass and work of an init step (the altmap-hosting pfns: pass 1, `hosting`). */
function initWorkOf(s: ProbeStep | undefined): { pass: number; work: InitWork } {
  if (s?.kind === 'init') return { pass: s.pass, work: s.work };
  return { pass: 1, work: 'hosting' };
}

/** A worker (a CPU thread) to spawn: its id and its input (without the run's env). */
export interface WorkerSpawn {
  readonly id: string;
  readonly input: CpuThreadSpec;
}

/** The workers of the current init step, as init-plan.ts splits it; their start latencies draw the jitter in worker order. */
export function initWorkers(p: Probe, at: At): { state: Partial<ProbeState>; workers: WorkerSpawn[] } {
  const { namespace } = p;
  const { scenario } = at;
  const costs = scenario.costs;
  const plan = initPlan(current(p)!, namespace, scenario, p.threads, p.sections);
  const multi = plan.workers.length > 1;
  const prefix = plan.work === 'hosting' ? `${namespace.name}/hosting` : plan.pass === 1 ? `${namespace.name}/w` : `${namespace.name}/pass${plan.pass}/w`;
  const perPageNs = (plan.work === 'pgmap' ? costs.pgmapPassPageNs : costs.zoneDevicePageInitNs) + (plan.refPerPage ? costs.percpuRefGetNs : 0);
  const workers = plan.workers.map((w, k) => {
    const id = plan.work === 'hosting' ? prefix : `${prefix}${k}`;
    const work = {
      kind: 'probe' as const,
      namespace: namespace.name,
      pass: plan.pass,
      work: plan.work,
      perPageNs,
      bytesPerPage: scenario.constants.structPageBytes,
      refPerPage: plan.refPerPage,
      lockMode: p.lockMode,
    };
    const input = { id, cpus: p.node, channel: p.channel, startDelayNs: multi ? at.cost(costs.workerStartNs) : 0, work, steps: w.steps };
    return { id, input };
  });
  return { state: { pendingWorkers: plan.workers.length, initPages: plan.range.endPfn - plan.range.startPfn }, workers };
}

/** init.start, once the step's workers are spawned (pendingWorkers counts them). */
export function initStarted(p: Probe, at: At): Step<ProbeState> {
  const { pass, work } = initWorkOf(current(p));
  return step({}, [{ type: 'init.start', t: at.now, namespace: p.namespace.name, pass, work, threads: p.pendingWorkers, lockMode: p.lockMode }]);
}

export const lastWorker = (p: Probe) => p.pendingWorkers <= 1;

/** A worker of the step is done; after the last, init.end and the next strategy step. */
export function workerDone(p: Probe, at: At): Step<ProbeState> {
  if (!lastWorker(p)) return step({ pendingWorkers: p.pendingWorkers - 1 });
  const { pass, work } = initWorkOf(current(p));
  return step({ pendingWorkers: 0, stepIndex: p.stepIndex + 1 }, [
    { type: 'init.end', t: at.now, namespace: p.namespace.name, pass, work, pages: p.initPages },
  ]);
}

/**
 * ref-get-many, ref-put and publish take no simulated time. The references
 * are pfn_len(), one per compound page (percpu_ref_get_many / memunmap_pages'
 * percpu_ref_put_many).
 */
export function instantStep(p: Probe, at: At): Step<ProbeState> {
  const { name, dataPages, dataStartPfn, endPfn } = p.namespace;
  const refs = pfnLen(p.namespace);
  const next = { stepIndex: p.stepIndex + 1 };
  const ref = (count: number, how: 'bulk' | 'put'): TraceEvent => ({ type: 'pgmap.ref', t: at.now, namespace: name, count, how });
  const now = current(p);
  switch (now?.kind) {
    case 'ref-get-many':
      return step(next, [ref(now.unit === 'pfn' ? dataPages : refs, 'bulk')]);
    case 'ref-put':
      return step(next, [ref(-refs, 'put')]);
    default:
      return step(
        next,
        [{ type: 'namespace.published', t: at.now, namespace: name, pages: dataPages, refs }],
        [{ to: p.daxUser, event: { type: 'PUBLISHED', namespace: name, startPfn: dataStartPfn, endPfn } }],
      );
  }
}

export const available = (p: Probe, at: At): Step<ProbeState> => step({}, [{ type: 'namespace.available', t: at.now, namespace: p.namespace.name }]);
