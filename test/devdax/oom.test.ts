import { from } from 'rxjs';
import { toArray } from 'rxjs/operators';
import { describe, expect, it } from 'vitest';
import { namespaceVmemmapPages } from '../../src/model/namespace-vmemmap.js';
import { X86_64 } from '../../src/model/constants.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { probeUnwind } from '../../src/observe/invariants/probe-unwind.js';
import type { Issue } from '../../src/observe/issues.js';
import { ns, traced } from './helpers.js';

/** Three namespaces probing at once; the 1 GiB-geometry one in the middle runs out of memory in its vmemmap population. */
function scenario(oom: Record<string, number>, strategy = 'outside-lock') {
  return {
    name: 'oom',
    profile: 'devdax-2022',
    strategy,
    nodes: [{ id: 0, cores: 8, threadsPerCore: 2, dram: [{ start: '4G', size: '4G' }] }],
    namespaces: [
      { name: 'dax0', node: 0, size: '2G', mode: 'devdax', geometry: '1G' },
      { name: 'dax1', node: 0, size: '4G', mode: 'devdax', geometry: '1G', vmemmapOom: oom },
      { name: 'pmem2', node: 0, size: '2G', mode: 'fsdax' },
    ],
  };
}

function leftBehind(trace: TraceEvent[], name: string) {
  let data = 0;
  let pt = 0;
  let sections = 0;
  for (const e of trace) {
    if (e.type === 'vmemmap.populate' && e.namespace === name) {
      data += e.dataPages;
      pt += e.pageTablePages;
      sections += e.lastSection - e.firstSection + 1;
    } else if (e.type === 'vmemmap.depopulate' && e.namespace === name) {
      data -= e.dataPages;
      pt -= e.pageTablePages;
      sections -= e.sections;
    }
  }
  return { data, pt, sections };
}

describe('vmemmap population out of memory in the middle of a 1 GiB-geometry namespace', () => {
  // 1 GiB compound page: 2 data + 1 PTE page in its first section, 1 PTE page in each of the 7 others = 10.
  // After 21 pages: two compound pages done (20); the third's first section (section 16 of 32) gets its
  // PTE page, then its head vmemmap page allocation fails: section_activate frees that partial page.
  const { result, trace } = traced(scenario({ afterPages: 21 }));
  const failedAt = trace.findIndex((e) => e.type === 'probe.failed');

  it('the probe fails as the kernel reports it: failed { reason, atMs }, nothing published', () => {
    const d = ns(result, 'dax1');
    expect(d.failed).not.toBeNull();
    expect(d.failed!.reason).toMatch(/ENOMEM/);
    expect(d.failed!.reason).toMatch(/after 21 vmemmap pages/);
    expect(d.failed!.atMs).toBeGreaterThan(0);
    expect(d.availableAtMs).toBeNull();
    expect(d.structPagesInitialized).toBe(0);
    expect(d.passes).toEqual([]);
  });

  it('leaves no vmemmap page, page-table page or section behind', () => {
    const d = ns(result, 'dax1');
    expect(d.vmemmapBytes).toEqual({ data: 0, pageTables: 0, total: 0 });
    const populated = trace.filter((e) => e.type === 'vmemmap.populate' && e.namespace === 'dax1');
    expect(populated.length).toBeGreaterThan(0);
    expect(leftBehind(trace, 'dax1')).toEqual({ data: 0, pt: 0, sections: 0 });
    const f = trace[failedAt];
    expect(f.type === 'probe.failed' && f.partialPages).toBe(1);
    expect(f.type === 'probe.failed' && f.section).toBe(80 + 16);
  });

  it('the zone span never takes its range and the lock is released after the unwinding', () => {
    expect(trace.some((e) => e.type === 'zone.resize' && e.by === 'dax1')).toBe(false);
    const lastDepopulate = trace.findLastIndex((e) => e.type === 'vmemmap.depopulate' && e.namespace === 'dax1');
    const released = trace.findIndex((e) => e.type === 'lock.released' && e.holder === 'dax1');
    expect(failedAt).toBeGreaterThan(0);
    expect(lastDepopulate).toBeGreaterThan(failedAt);
    expect(released).toBeGreaterThan(lastDepopulate);
  });

  it('nothing of it is reachable: no init, no publish, no DAX access, no reference', () => {
    expect(
      trace.some(
        (e) => (e.type === 'pages.init' || e.type === 'namespace.published' || e.type === 'dax.access' || e.type === 'pgmap.ref') && e.namespace === 'dax1',
      ),
    ).toBe(false);
    expect(result.violations).toEqual([]);
  });

  it('the other namespaces of the scenario finish normally', () => {
    for (const name of ['dax0', 'pmem2']) {
      const n = ns(result, name);
      expect(n.failed).toBeNull();
      expect(n.availableAtMs).not.toBeNull();
      expect(n.vmemmapBytes.total).toBeGreaterThan(0);
    }
    const probe = trace.find((e) => e.type === 'probe.start' && e.namespace === 'dax0');
    if (probe?.type !== 'probe.start') throw new Error('no dax0 probe');
    const want = namespaceVmemmapPages({
      startPfn: probe.startPfn,
      endPfn: probe.endPfn,
      altmap: false,
      compoundPfns: 2 ** 18,
      earlySections: [],
      constants: X86_64,
    });
    expect(ns(result, 'dax0').vmemmapBytes.total).toBe((want.dataPages + want.pageTablePages) * 4096);
    expect(ns(result, 'dax0').structPagesInitialized).toBe(2 * 128);
  });

  it('a failure on a given section (sectionIndex), under a multithreaded strategy, unwinds the same way', () => {
    const t = traced(scenario({ sectionIndex: 19 }, 'outside-lock-mt'));
    const d = ns(t.result, 'dax1');
    expect(d.failed?.reason).toMatch(/section/);
    const f = t.trace.find((e) => e.type === 'probe.failed');
    expect(f?.type === 'probe.failed' && f.section).toBe(80 + 19);
    expect(leftBehind(t.trace, 'dax1')).toEqual({ data: 0, pt: 0, sections: 0 });
    expect(t.result.violations).toEqual([]);
    expect(ns(t.result, 'dax0').availableAtMs).not.toBeNull();
  });

  it('a failure in the very first section leaves nothing populated at all', () => {
    const t = traced(scenario({ afterPages: 0 }));
    expect(t.trace.filter((e) => e.type === 'vmemmap.populate' && e.namespace === 'dax1')).toEqual([]);
    expect(ns(t.result, 'dax1').failed).not.toBeNull();
    expect(t.result.violations).toEqual([]);
  });

  it('the option is validated: exactly one of afterPages or sectionIndex, within the namespace', () => {
    expect(() => traced(scenario({ afterPages: 1, sectionIndex: 1 }))).toThrow(/exactly one/);
    expect(() => traced(scenario({ sectionIndex: 32 }))).toThrow(/sectionIndex/);
  });
});

describe('the unwinding checker catches an incomplete unwind', () => {
  const run = (events: TraceEvent[]): Issue[] => {
    let out: Issue[] = [];
    from(events)
      .pipe(probeUnwind(), toArray())
      .subscribe((v) => (out = v));
    return out;
  };
  const populate: TraceEvent = {
    type: 'vmemmap.populate',
    t: 10,
    namespace: 'x',
    actor: 'x/s8-15',
    firstSection: 8,
    lastSection: 15,
    order: 'ascending',
    pagesPerSection: 32768,
    compoundPfns: 2 ** 18,
    optimized: true,
    altmap: false,
    dataPages: 2,
    pageTablePages: 8,
    reuseSections: 7,
    earlySections: [],
    endsAt: 20,
  };
  const failed: TraceEvent = { type: 'probe.failed', t: 30, namespace: 'x', reason: 'ENOMEM', section: 16, pfn: 16 * 32768, partialPages: 0 };

  it('leaked pages and sections, a zone span and a lock kept, and a page reached after the failure', () => {
    const kinds = run([
      { type: 'lock.acquired', t: 0, lock: 'mem_hotplug_lock', holder: 'x', mode: 'write', waitNs: 0 },
      { type: 'zone.resize', t: 5, zone: 'node0/device', by: 'x', startPfn: 8 * 32768, endPfn: 24 * 32768 },
      populate,
      failed,
      { type: 'pages.init', t: 40, namespace: 'x', worker: 'x/w0', pass: 1, work: 'full', startPfn: 8 * 32768, endPfn: 9 * 32768, startedAt: 35 },
    ]).map((i) => `${i.invariant}:${i.kind}`);
    expect(kinds.sort()).toEqual(['I1:failed-probe-reachable', 'I4:lock-not-released', 'I4:zone-span-not-restored', 'I8:section-leak', 'I8:vmemmap-leak']);
  });

  it('a complete unwind is clean', () => {
    const depopulate: TraceEvent = {
      type: 'vmemmap.depopulate',
      t: 40,
      namespace: 'x',
      actor: 'x/s8-15',
      firstSection: 8,
      lastSection: 15,
      sections: 8,
      dataPages: 2,
      pageTablePages: 8,
    };
    expect(run([populate, failed, depopulate])).toEqual([]);
  });
});
