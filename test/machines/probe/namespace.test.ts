import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { resolveScenario } from '../../../src/model/scenario.js';
import type { ProbeStep } from '../../../src/model/strategies.js';
import { INITIAL, lockGranted, lockRequest, nextMove, probeStart, unlock, unlockAll, type Probe } from '../../../machines/probe/namespace.js';
import { initStarted, initWorkers, instantStep, workerDone } from '../../../machines/probe/namespace-init.js';
import { activateNext, activationFailed, activationPlan, sectionActivated, sectionSpawns } from '../../../machines/probe/namespace-sections.js';

const ref = (id: string) => ({ id }) as unknown as AnyActorRef;
const sc = resolveScenario({
  name: 'steps',
  nodes: [{ id: 0, cores: 4, dram: [{ start: '4G', size: '4G' }] }],
  namespaces: [
    { name: 'pmem0', node: 0, size: '2G' },
    { name: 'dax0', node: 0, size: '4G', mode: 'devdax', geometry: '1G', vmemmapOom: { sectionIndex: 3 } },
  ],
});
const at = (now: number, costs: number[] = []) => ({ now, scenario: sc, cost: (ns: number) => (costs.push(ns), ns) });

function probe(steps: ProbeStep[], over: Partial<Probe> = {}, which = 0): Probe {
  return {
    ...INITIAL,
    namespace: sc.namespaces[which],
    steps,
    threads: 4,
    lock: ref('lock/mem_hotplug'),
    resizeLock: ref('lock/node0/pgdat_resize'),
    zone: ref('node0/device'),
    node: ref('node0'),
    channel: ref('chan/nvdimm0'),
    daxUser: ref('dax-user'),
    sectionsPerActor: 4,
    ...over,
  };
}

const withRuns = (p: Probe): Probe => ({ ...p, sections: sectionSpawns(p, sc).map((s) => ({ ...s.run, ref: ref(s.id) })) });

describe('namespace probe steps', () => {
  it('maps each strategy step to a move; init-hosting without hosting pages is skipped; past the last step it is done', () => {
    const kinds: ProbeStep[] = [
      { kind: 'lock', mode: 'write' },
      { kind: 'activate' },
      { kind: 'resize' },
      { kind: 'init-hosting' },
      { kind: 'unlock' },
      { kind: 'ref-get-many' },
      { kind: 'publish' },
    ];
    const moves = kinds.map((_, i) => nextMove(probe(kinds, { stepIndex: i })));
    expect(moves).toEqual(['lock', 'activate', 'resize', 'init', 'unlock', 'instant', 'instant']);
    expect(nextMove(probe(kinds, { stepIndex: kinds.length }))).toBe('done');
    const noAltmap = { ...sc.namespaces[0], dataStartPfn: sc.namespaces[0].startPfn };
    expect(nextMove({ ...probe(kinds, { stepIndex: 3 }), namespace: noAltmap })).toBe('skip');
  });

  it('asks the lock the step names, and an unlock releases what is held: probe.locked-done only after a write hold', () => {
    const self = ref('pmem0');
    const steps: ProbeStep[] = [{ kind: 'lock', mode: 'write' }, { kind: 'lock', mode: 'write', lock: 'pgdat_resize' }, { kind: 'unlock' }];
    expect(lockRequest(probe(steps), self).send).toEqual([
      { to: ref('lock/mem_hotplug'), event: { type: 'ACQUIRE', holder: 'pmem0', mode: 'write', ref: self } },
    ]);
    expect(lockRequest(probe(steps, { stepIndex: 1 }), self).send[0].to).toEqual(ref('lock/node0/pgdat_resize'));
    expect(lockGranted(probe(steps, { stepIndex: 1 }), 'write').state).toEqual({ resizeLocked: true, stepIndex: 2 });
    expect(lockGranted(probe(steps), 'write').state).toEqual({ lockMode: 'write', stepIndex: 1 });
    const held = probe(steps, { stepIndex: 2, lockMode: 'write' });
    expect(unlock(held, at(7))).toEqual({
      state: { lockMode: null },
      trace: [{ type: 'probe.locked-done', t: 7, namespace: 'pmem0' }],
      send: [{ to: ref('lock/mem_hotplug'), event: { type: 'RELEASE', holder: 'pmem0' } }],
    });
    expect(unlock({ ...held, lockMode: 'read' }, at(7)).trace).toEqual([]);
    expect(unlock({ ...held, lockMode: null }, at(7))).toEqual({ state: {}, trace: [], send: [] });
    const both = unlockAll({ ...held, resizeLocked: true }, at(8));
    expect(both.send.map((s) => s.to)).toEqual([ref('lock/node0/pgdat_resize'), ref('lock/mem_hotplug')]);
  });

  it('cuts the namespace into runs of sectionsPerActor sections, rounded up to whole 1 GiB compound pages', () => {
    const base = sectionSpawns(probe([]), sc);
    expect(base.map((s) => s.id)).toEqual(['pmem0/s64-67', 'pmem0/s68-71', 'pmem0/s72-75', 'pmem0/s76-79']);
    expect(base[0].input).toMatchObject({ namespace: 'pmem0', actorId: 'pmem0/s64-67', firstSection: 64, lastSection: 67 });
    const dax = sectionSpawns(probe([], {}, 1), sc);
    expect(dax.map((s) => s.run.lastSection - s.run.firstSection + 1)).toEqual([8, 8, 8, 8]);
    expect(probeStart(probe([]), at(0)).trace[0]).toMatchObject({ type: 'probe.start', namespace: 'pmem0', node: 0 });
  });

  it('activates runs in the order asked, passes the injected ENOMEM on, and traces a failure with what was allocated', () => {
    const p = withRuns(probe([{ kind: 'activate', order: 'descending' }], {}, 1));
    const planned = { ...p, ...activationPlan(p).state };
    expect(planned.activationOrder).toEqual([3, 2, 1, 0]);
    const sent = activateNext(planned, ref('dax0')).send[0];
    expect(sent.to).toEqual(ref('dax0/s' + (p.namespace.firstSection + 24) + '-' + (p.namespace.firstSection + 31)));
    expect(sent.event).toMatchObject({ type: 'ACTIVATE', order: 'descending', budget: null, failSection: p.namespace.firstSection + 3 });
    expect(sectionActivated(planned, 10).state).toEqual({ vmemmapAllocated: 10, activateIndex: 1 });
    expect(sectionActivated({ ...planned, activateIndex: 3 }, 10).state).toEqual({ vmemmapAllocated: 10, stepIndex: 1 });
    const failed = activationFailed({ ...planned, vmemmapAllocated: 100 }, { section: 35, pfn: 9, partialPages: 2, pages: 3 }, at(5));
    expect(failed.state).toEqual({ failure: { section: 35, pfn: 9, partialPages: 2 } });
    expect(failed.trace[0]).toMatchObject({ reason: 'ENOMEM: vmemmap population of section 35 failed after 105 vmemmap pages' });
  });

  it('spawns one worker per thread with a start latency each, and ends the init step after the last', () => {
    const step: ProbeStep = { kind: 'init', pass: 1, work: 'full', threads: 'threads', split: 'equal', refPerPage: false };
    const p = withRuns(probe([step], { lockMode: 'write' }));
    const costs: number[] = [];
    const { state, workers } = initWorkers(p, at(0, costs));
    expect(workers.map((w) => w.id)).toEqual(['pmem0/w0', 'pmem0/w1', 'pmem0/w2', 'pmem0/w3']);
    expect(costs).toEqual(Array(4).fill(sc.costs.workerStartNs));
    expect(state).toEqual({ pendingWorkers: 4, initPages: p.namespace.endPfn - p.namespace.dataStartPfn });
    const running = { ...p, ...state };
    expect(initStarted(running, at(1)).trace).toEqual([{ type: 'init.start', t: 1, namespace: 'pmem0', pass: 1, work: 'full', threads: 4, lockMode: 'write' }]);
    expect(workerDone(running, at(2))).toEqual({ state: { pendingWorkers: 3 }, trace: [], send: [] });
    const last = workerDone({ ...running, pendingWorkers: 1 }, at(3));
    expect(last.state).toEqual({ pendingWorkers: 0, stepIndex: 1 });
    expect(last.trace).toEqual([{ type: 'init.end', t: 3, namespace: 'pmem0', pass: 1, work: 'full', pages: state.initPages }]);
  });

  it('takes the pgmap references and publishes to the DAX user in no time', () => {
    const p = probe([{ kind: 'ref-get-many' }, { kind: 'ref-put' }, { kind: 'publish' }]);
    const { dataPages, dataStartPfn, endPfn } = p.namespace;
    expect(instantStep(p, at(4)).trace).toEqual([{ type: 'pgmap.ref', t: 4, namespace: 'pmem0', count: dataPages, how: 'bulk' }]);
    expect(instantStep({ ...p, stepIndex: 1 }, at(4)).trace[0]).toMatchObject({ count: -dataPages, how: 'put' });
    const published = instantStep({ ...p, stepIndex: 2 }, at(4));
    expect(published.state).toEqual({ stepIndex: 3 });
    expect(published.send).toEqual([{ to: ref('dax-user'), event: { type: 'PUBLISHED', namespace: 'pmem0', startPfn: dataStartPfn, endPfn } }]);
  });
});
