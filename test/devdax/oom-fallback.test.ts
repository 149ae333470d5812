import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { MiB, devdax, ns, traced } from './helpers.js';

/**
 * vmemmap_populate_hugepages (mm/sparse-vmemmap.c): when the 2 MiB PMD block
 * of a section's memmap cannot be allocated and there is no altmap, it falls
 * back to vmemmap_populate_basepages, which needs the same 512 data pages one
 * by one plus a PTE table page. Only a failed base-page allocation fails the
 * probe. With an altmap there is no fallback.
 */
const SECTIONS = 32; // 4 GiB of 128 MiB sections
const probeFailed = (trace: TraceEvent[]) => trace.find((e): e is Extract<TraceEvent, { type: 'probe.failed' }> => e.type === 'probe.failed');

/** One fsdax namespace with its memmap on the device (altmap). */
function fsdax(oom: Record<string, unknown>) {
  return {
    name: 'fsdax-oom',
    profile: 'devdax-2022',
    nodes: [{ id: 0, cores: 8, threadsPerCore: 2, dram: [{ start: '4G', size: '16G' }] }],
    namespaces: [{ name: 'pmem0', node: 0, size: '4G', mode: 'fsdax', vmemmapOom: oom }],
  };
}

describe('vmemmap out of memory: PMD blocks fall back to base pages without an altmap', () => {
  it('no PMD block to be had: the probe succeeds on base pages, one PTE table page per section more', () => {
    const normal = traced(devdax('4G', '4K'));
    const t = traced(devdax('4G', '4K', { vmemmapOom: { pmd: true } }));
    const d = ns(t.result, 'dax0');
    expect(d.failed).toBeNull();
    expect(d.availableAtMs).not.toBeNull();
    expect(ns(normal.result, 'dax0').vmemmapBytes).toEqual({ data: 64 * MiB, pageTables: 0, total: 64 * MiB });
    expect(d.vmemmapBytes).toEqual({ data: 64 * MiB, pageTables: SECTIONS * 4096, total: 64 * MiB + SECTIONS * 4096 });
    expect(t.result.violations).toEqual([]);
    // 512 page allocations and PTEs per section instead of one block: population takes longer.
    expect(d.probeMs).toBeGreaterThan(ns(normal.result, 'dax0').probeMs);
  });

  it('with an altmap there is no fallback: the probe fails and unwinds cleanly', () => {
    const t = traced(fsdax({ pmd: true }));
    const d = ns(t.result, 'pmem0');
    expect(d.failed?.reason).toMatch(/ENOMEM/);
    expect(d.vmemmapBytes.total).toBe(0);
    expect(probeFailed(t.trace)?.partialPages).toBe(0);
    expect(t.result.violations).toEqual([]);
  });

  it('memory runs out inside a PMD block: without an altmap the base pages take what is left, then the probe fails', () => {
    // Three sections (3 x 512 pages) fit; the fourth's block does not, its base pages get the PTE table and 99 data pages.
    const t = traced(devdax('4G', '4K', { vmemmapOom: { afterPages: 3 * 512 + 100 } }));
    expect(ns(t.result, 'dax0').failed?.reason).toMatch(/after 1636 vmemmap pages/);
    expect(probeFailed(t.trace)?.partialPages).toBe(100);
    expect(ns(t.result, 'dax0').vmemmapBytes.total).toBe(0);
    expect(t.result.violations).toEqual([]);
    // From an altmap the block fails whole: nothing partial.
    const a = traced(fsdax({ afterPages: 3 * 512 + 100 }));
    expect(probeFailed(a.trace)?.partialPages).toBe(0);
  });

  it('no PMD block and little memory: base pages need 513 pages a section, so fewer sections fit', () => {
    const t = traced(devdax('4G', '4K', { vmemmapOom: { pmd: true, afterPages: 2 * 513 + 10 } }));
    const f = probeFailed(t.trace);
    expect(f?.partialPages).toBe(10);
    expect(f?.section).toBe(160 + 2); // placed after all memory, at 20 GiB: section 160
    expect(t.result.violations).toEqual([]);
  });

  it('the option is validated', () => {
    expect(() => traced(devdax('4G', '4K', { vmemmapOom: {} }))).toThrow(/vmemmapOom.*pmd: true/);
    expect(() => traced(devdax('4G', '4K', { vmemmapOom: { pmd: true, afterPages: 1, sectionIndex: 1 } }))).toThrow(/exactly one/);
  });
});
