/**
 * The CPU thread's kernel steps (machines/shared/cpu-thread.ts), pure, for
 * both kinds of work: a probe thread over the steps it is given, and a boot
 * thread over the chunks it grabs from its padata job.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { resolveScenario } from '../../../src/model/scenario.js';
import {
  chunkTaken,
  cpuGranted,
  finish,
  flowStart,
  grab,
  speedChanged,
  startThread,
  stepDone,
  threadOutput,
  type CpuThread,
} from '../../../machines/shared/cpu-thread.js';

const ref = (id: string) => ({ id }) as unknown as AnyActorRef;
const sc = resolveScenario({
  name: 'w',
  nodes: [{ id: 0, cores: 4, dram: [{ start: '4G', size: '4G' }] }],
  namespaces: [{ name: 'pmem0', node: 0, size: '1G' }],
});
const at = (now: number) => ({ now, scenario: sc, cost: (ns: number) => ns });
const self = ref('me');

const probe: CpuThread = startThread({
  id: 'pmem0/w0',
  cpus: ref('node0'),
  channel: ref('chan/nvdimm0'),
  startDelayNs: 0,
  work: { kind: 'probe', namespace: 'pmem0', pass: 1, work: 'full', perPageNs: 20, bytesPerPage: 64, refPerPage: true, lockMode: null },
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
});

const MO = sc.derived.maxOrderNrPages;
const boot: CpuThread = startThread({
  id: 'node0/j0/w1',
  cpus: ref('node0'),
  channel: ref('chan/node0-dram'),
  startDelayNs: 0,
  work: {
    kind: 'boot',
    node: 0,
    job: ref('node0/j0'),
    free: [{ startPfn: 0, endPfn: 4 * MO }],
    sections: [{ ref: ref('s0'), startPfn: 0, endPfn: 4 * MO }],
    buddy: ref('buddy'),
    freeOrder: 'maxorder',
  },
});

describe('a probe thread', () => {
  it('starts with its steps as its one batch, and traces the CPU it is granted', () => {
    expect([probe.index, probe.chunks, probe.speed, probe.pages]).toEqual([0, 1, 1, 0]);
    expect(cpuGranted(probe, { cpu: 3, core: 1, node: 0, speed: 0.6 }, at(5))).toEqual({
      state: { speed: 0.6 },
      trace: [{ type: 'worker.start', t: 5, worker: 'pmem0/w0', namespace: 'pmem0', cpu: 3, core: 1, node: 0 }],
      send: [],
    });
  });

  it("caps a flow at the CPU's rate: bytes per page over ns per page, or a compound step's own, times the SMT speed", () => {
    expect(flowStart(probe, self, at(7))).toEqual({
      state: { stepStartedAt: 7 },
      trace: [],
      send: [{ to: ref('chan/nvdimm0'), event: { type: 'FLOW_START', id: 'pmem0/w0#1.0', owner: self, bytes: 6400, cap: 64 / 20 } }],
    });
    expect(flowStart({ ...probe, index: 1, speed: 0.5 }, self, at(7)).send[0].event).toMatchObject({ bytes: 4096, cap: (4096 / 2048) * 0.5 });
    expect(speedChanged(probe, 0.6, at(8)).send).toEqual([{ to: ref('chan/nvdimm0'), event: { type: 'FLOW_CAP', id: 'pmem0/w0#1.0', cap: (64 / 20) * 0.6 } }]);
  });

  it('at a step\u2019s end traces the pages and tells the section actor; at the end traces worker.end and gives the CPU back', () => {
    const base = stepDone({ ...probe, stepStartedAt: 7 }, self, at(9));
    expect(base.state).toEqual({ index: 1, pages: 100 });
    expect(base.trace.map((e) => e.type)).toEqual(['pages.init', 'pgmap.ref']);
    expect(base.trace[0]).toMatchObject({ t: 9, startedAt: 7, worker: 'pmem0/w0', namespace: 'pmem0', startPfn: 0, endPfn: 100 });
    expect(base.send).toEqual([{ to: ref('pmem0/s0'), event: { type: 'PAGES_DONE', startPfn: 0, endPfn: 100, pass: 1, work: 'full' } }]);
    const compound = stepDone({ ...probe, index: 1, pages: 100 }, self, at(11));
    expect(compound.trace.map((e) => e.type)).toEqual(['pages.init', 'compound.init', 'pageblock.migratetype', 'pgmap.ref']);
    expect(compound.state).toEqual({ index: 2, pages: 612 });
    expect(finish({ ...probe, pages: 612 }, at(20))).toEqual({
      state: {},
      trace: [{ type: 'worker.end', t: 20, worker: 'pmem0/w0', namespace: 'pmem0', pages: 612 }],
      send: [{ to: ref('node0'), event: { type: 'CPU_RELEASE', id: 'pmem0/w0' } }],
    });
    expect(threadOutput({ ...probe, pages: 612 })).toEqual({ id: 'pmem0/w0', pages: 612, chunks: 1 });
  });
});

describe('a boot thread', () => {
  it('starts with no steps, traces nothing when granted a CPU, and asks its job for a chunk', () => {
    expect([boot.steps.length, boot.chunks]).toEqual([0, 0]);
    expect(cpuGranted(boot, { cpu: 3, core: 1, node: 0, speed: 0.6 }, at(5))).toEqual({ state: { speed: 0.6 }, trace: [], send: [] });
    expect(grab(boot, self).send).toEqual([{ to: ref('node0/j0'), event: { type: 'GRAB', id: 'node0/j0/w1', ref: self } }]);
    // No step to run: a new speed re-caps nothing.
    expect(speedChanged(boot, 0.6, at(5))).toEqual({ state: { speed: 0.6 }, trace: [], send: [] });
  });

  it('cuts a chunk into steps, caps each flow at the page-init rate, and frees each step\u2019s pages to the buddy', () => {
    const taken = chunkTaken(boot, { startPfn: 0, endPfn: 2 * MO }, at(5));
    expect(taken.state).toMatchObject({ index: 0, chunks: 1 });
    const t = { ...boot, ...taken.state };
    const bpp = sc.constants.structPageBytes;
    expect(flowStart(t, self, at(6)).send[0].event).toEqual({
      type: 'FLOW_START',
      id: 'node0/j0/w1#1.0',
      owner: self,
      bytes: t.steps[0].endPfn * bpp,
      cap: bpp / sc.costs.pageInitNs,
    });
    const done = stepDone({ ...t, stepStartedAt: 6 }, self, at(9));
    expect(done.state).toEqual({ index: 1, pages: t.steps[0].endPfn - t.steps[0].startPfn });
    expect(done.trace[0]).toMatchObject({ type: 'pages.init', node: 0, worker: 'node0/j0/w1', startedAt: 6, t: 9 });
    expect(done.send.map((m) => [m.to.id, m.event.type])).toEqual([
      ['buddy', 'PAGES_FREED'],
      ['s0', 'PAGEBLOCKS'],
    ]);
    expect(done.send[1].event).toMatchObject({ writer: self });
    expect(finish(t, at(20))).toEqual({ state: {}, trace: [], send: [{ to: ref('node0'), event: { type: 'CPU_RELEASE', id: 'node0/j0/w1' } }] });
  });

  it('a probe thread takes no chunk', () => {
    expect(() => chunkTaken(probe, { startPfn: 0, endPfn: MO }, at(5))).toThrow(/probe thread takes no chunk/);
  });
});
