import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { resolveScenario } from '../../../src/model/scenario.js';
import { IDLE, cpuGranted, finish, flowCap, flowStart, speedChanged, stepDone, type Worker } from '../../../machines/probe/worker.js';

const ref = (id: string) => ({ id }) as unknown as AnyActorRef;
const sc = resolveScenario({
  name: 'w',
  nodes: [{ id: 0, cores: 4, dram: [{ start: '4G', size: '4G' }] }],
  namespaces: [{ name: 'pmem0', node: 0, size: '1G' }],
});
const at = (now: number) => ({ now, scenario: sc, cost: (ns: number) => ns });
const worker: Worker = {
  id: 'pmem0/w0',
  namespace: 'pmem0',
  pass: 1,
  work: 'full',
  steps: [
    { startPfn: 0, endPfn: 100, section: ref('pmem0/s0') },
    {
      startPfn: 512,
      endPfn: 1024,
      section: ref('pmem0/s1'),
      cost: { structPages: 64, bytes: 4096, cpuNs: 2048 },
      compound: { compoundPfns: 512, nrPerCompound: 64 },
      pageblocks: { how: 'visited', compoundPfns: 512, nrPerCompound: 64 },
    },
  ],
  perPageNs: 20,
  bytesPerPage: 64,
  refPerPage: true,
  startDelayNs: 0,
  node: ref('node0'),
  channel: ref('chan/nvdimm0'),
  lockMode: null,
  ...IDLE,
};
const self = ref('pmem0/w0');

describe('worker (one init thread) steps', () => {
  it("caps a flow at the CPU's rate: bytes per page over ns per page, or a compound step's own, times the SMT speed", () => {
    expect(flowCap(worker)).toBe(64 / 20);
    expect(flowCap({ ...worker, index: 1, speed: 0.5 })).toBe((4096 / 2048) * 0.5);
  });

  it('takes the CPU it is granted, and re-caps its running flow when its speed changes', () => {
    expect(cpuGranted(worker, { cpu: 3, core: 1, node: 0, speed: 0.6 }, at(5))).toEqual({
      state: { speed: 0.6 },
      trace: [{ type: 'worker.start', t: 5, worker: 'pmem0/w0', namespace: 'pmem0', cpu: 3, core: 1, node: 0 }],
      send: [],
    });
    expect(speedChanged(worker, 0.6).send).toEqual([{ to: ref('chan/nvdimm0'), event: { type: 'FLOW_CAP', id: 'pmem0/w0#0', cap: (64 / 20) * 0.6 } }]);
  });

  it("starts a step's flow with its bytes, and at its end traces the pages and tells the section actor", () => {
    expect(flowStart(worker, self, at(7))).toEqual({
      state: { stepStartedAt: 7 },
      trace: [],
      send: [{ to: ref('chan/nvdimm0'), event: { type: 'FLOW_START', id: 'pmem0/w0#0', owner: self, bytes: 6400, cap: 64 / 20 } }],
    });
    const base = stepDone({ ...worker, stepStartedAt: 7 }, at(9));
    expect(base.state).toEqual({ index: 1, pagesDone: 100 });
    expect(base.trace.map((e) => e.type)).toEqual(['pages.init', 'pgmap.ref']);
    expect(base.send).toEqual([{ to: ref('pmem0/s0'), event: { type: 'PAGES_DONE', startPfn: 0, endPfn: 100, pass: 1, work: 'full' } }]);
    const compound = stepDone({ ...worker, index: 1, pagesDone: 100 }, at(11));
    expect(compound.trace.map((e) => e.type)).toEqual(['pages.init', 'compound.init', 'pageblock.migratetype', 'pgmap.ref']);
    expect(compound.trace[1]).toMatchObject({ structPages: 64, compoundPfns: 512, nrPerCompound: 64 });
    expect(compound.state).toEqual({ index: 2, pagesDone: 612 });
  });

  it('at the end traces worker.end and gives the CPU back', () => {
    expect(finish({ ...worker, pagesDone: 612 }, at(20))).toEqual({
      state: {},
      trace: [{ type: 'worker.end', t: 20, worker: 'pmem0/w0', namespace: 'pmem0', pages: 612 }],
      send: [{ to: ref('node0'), event: { type: 'CPU_RELEASE', id: 'pmem0/w0' } }],
    });
  });
});
