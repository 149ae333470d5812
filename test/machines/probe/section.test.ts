import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { resolveScenario } from '../../../src/model/scenario.js';
import { EMPTY, completesInit, depopulateRun, pagesDone, populateRun, populationFails, type SectionRun } from '../../../machines/probe/section.js';

const ref = (id: string) => ({ id }) as unknown as AnyActorRef;
const sc = resolveScenario({
  name: 'run',
  nodes: [{ id: 0, cores: 4, dram: [{ start: '4G', size: '4G' }] }],
  namespaces: [{ name: 'pmem0', node: 0, size: '1G' }],
});
const pps = sc.derived.pagesPerSection;
const at = (now: number) => ({ now, scenario: sc, cost: (ns: number) => ns });
const ns = sc.namespaces[0];
const run: SectionRun = {
  namespace: 'pmem0',
  actorId: 'pmem0/s64-67',
  firstSection: 64,
  lastSection: 67,
  startPfn: 64 * pps,
  endPfn: 68 * pps,
  geometry: { altmap: ns.altmap, vmemmapShift: 0, compoundPfns: 1, optimized: false, earlySections: [] },
  ...EMPTY,
};
const self = ref('pmem0');

describe('section run steps', () => {
  it('populateRun populates every section and replies ACTIVATED after the population time', () => {
    const r = populateRun(run, { replyTo: self }, at(10));
    expect(r.state).toEqual({ live: { first: 64, last: 67 }, failedAt: null });
    expect(r.trace.map((e) => e.type)).toEqual(['section.activate', 'vmemmap.populate']);
    const [send] = r.send;
    expect(send).toMatchObject({ to: self, event: { type: 'ACTIVATED', actor: 'pmem0/s64-67' }, id: 'activated:pmem0/s64-67' });
    expect(send.delay).toBeGreaterThan(0);
    expect(r.trace[1]).toMatchObject({ firstSection: 64, lastSection: 67, order: 'ascending', endsAt: 10 + send.delay! });
  });

  it('an injected ENOMEM stops it at the failing section: the sections before stay live, the reply is ACTIVATE_FAILED', () => {
    const r = populateRun(run, { replyTo: self, order: 'descending', failSection: 65 }, at(0));
    expect(r.state).toEqual({ live: { first: 66, last: 67 }, failedAt: 65 });
    expect(r.trace.map((e) => e.type)).toEqual(['vmemmap.populate']);
    expect(r.send[0].event).toMatchObject({ type: 'ACTIVATE_FAILED', section: 65, pfn: 65 * pps, partialPages: 0 });
    const failed = { ...run, ...r.state } as SectionRun;
    const undone = depopulateRun(failed, self, at(5));
    expect(undone.state).toEqual({ live: null, failedAt: null, initialized: 0 });
    expect(undone.trace[0]).toMatchObject({ type: 'vmemmap.depopulate', firstSection: 66, lastSection: 67, sections: 2 });
    expect(undone.send[0]).toMatchObject({ event: { type: 'DEACTIVATED' }, id: 'deactivated:pmem0/s64-67' });
    // A run that populated nothing frees nothing, and still replies.
    expect(depopulateRun(run, self, at(5))).toMatchObject({ trace: [], send: [{ delay: 0 }] });
  });

  it('populationFails (the guard that picks populateFailed) says what populateRun does', () => {
    const requests = [
      { replyTo: self },
      { replyTo: self, failSection: 65 },
      { replyTo: self, failSection: 80 },
      { replyTo: self, budget: 0 },
      { replyTo: self, budget: 1e9 },
      { replyTo: self, budget: null, failSection: null },
    ];
    expect(requests.map((r) => populationFails(run, r, at(0)))).toEqual([false, true, false, true, false, false]);
    for (const r of requests) expect(populationFails(run, r, at(0))).toBe(populateRun(run, r, at(0)).state.failedAt !== null);
  });

  it('counts the struct pages workers initialize in it, traces section.ready once they are all done; the pgmap pass counts nothing', () => {
    const half = { startPfn: 60 * pps, endPfn: 66 * pps, work: 'full' as const };
    expect(pagesDone(run, half, at(1))).toEqual({ state: { initialized: 2 * pps }, trace: [], send: [] });
    const halfway = { ...run, initialized: 2 * pps };
    expect(pagesDone(halfway, { startPfn: 66 * pps, endPfn: 68 * pps, work: 'pgmap' }, at(2)).state).toEqual({ initialized: 2 * pps });
    const rest = { startPfn: 66 * pps, endPfn: 70 * pps, work: 'full' as const };
    expect(completesInit(halfway, rest, at(3))).toBe(true);
    expect(pagesDone(halfway, rest, at(3)).trace).toEqual([
      { type: 'section.ready', t: 3, namespace: 'pmem0', actor: 'pmem0/s64-67', firstSection: 64, lastSection: 67 },
    ]);
  });
});
