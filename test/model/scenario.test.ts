import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/input-error.js';
import { resolveScenario } from '../../src/model/scenario.js';
import { formatSize, parseSize } from '../../src/model/sizes.js';
import fc from 'fast-check';

const FC_SEED = Number(process.env.FC_SEED ?? 42);
const GiB = 2 ** 30;
const MiB = 2 ** 20;
const node0 = { id: 0, cores: 2, dram: [{ start: '4G', size: '4G' }] };

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.field;
    throw e;
  }
  throw new Error('no InputError');
}

describe('sizes', () => {
  it.each([
    ['128G', 128 * GiB],
    ['3T', 3 * 2 ** 40],
    ['2M', 2 * MiB],
    ['512MiB', 512 * MiB],
    ['4k', 4096],
    ['0x200000', 2 * MiB],
    ['0X40000000', GiB],
    [' 1G ', GiB],
    ['1.5G', 1.5 * GiB],
    ['4096', 4096],
    [8192, 8192],
  ] as const)('parseSize(%j) = %d', (text, bytes) => {
    expect(parseSize(text, 'x')).toBe(bytes);
  });

  it.each(['lots', '1.5', '12Q', '', '0xZZ', 1.5, null])('parseSize(%j) is refused naming the field', (text) => {
    expect(fieldOf(() => parseSize(text, 'namespaces[0].size'))).toBe('namespaces[0].size');
  });

  it('formatSize and parseSize round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 20 }), fc.constantFrom(1, 1024, MiB, GiB), (n, unit) => {
        expect(parseSize(formatSize(n * unit), 'x')).toBe(n * unit);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

describe('resolveScenario', () => {
  it('pfns and sections of an explicitly placed namespace', () => {
    const r = resolveScenario({ nodes: [node0], namespaces: [{ name: 'a', node: 0, start: '16G', size: '1G', altmap: false }] });
    const ns = r.namespaces[0];
    expect(ns.startPfn).toBe((16 * GiB) / 4096);
    expect(ns.endPfn).toBe((17 * GiB) / 4096);
    expect(ns.pages).toBe(GiB / 4096);
    expect(ns.firstSection).toBe(16 * 8);
    expect(ns.lastSection).toBe(17 * 8 - 1);
    expect(ns.dataStartPfn).toBe(ns.startPfn);
    expect(ns.dataPages).toBe(ns.pages);
  });

  it('fsdax defaults to altmap: data starts after the hosted memmap, rounded to the alignment', () => {
    const r = resolveScenario({ nodes: [node0], namespaces: [{ name: 'a', node: 0, start: '16G', size: '1G' }] });
    const ns = r.namespaces[0];
    expect(ns.altmap).toBe(true);
    // 8 KiB info block + 262144 pages x 64 B = 16 MiB + 8 KiB, rounded up to 2 MiB: 18 MiB.
    expect((ns.dataStartPfn - ns.startPfn) * 4096).toBe(18 * MiB);
    expect(ns.dataPages).toBe(ns.pages - (18 * MiB) / 4096);
  });

  it('devdax defaults to no altmap', () => {
    const r = resolveScenario({ nodes: [node0], namespaces: [{ name: 'a', node: 0, size: '1G', mode: 'devdax' }] });
    expect(r.namespaces[0].altmap).toBe(false);
  });

  it('auto-placed namespaces go after all memory and explicit namespaces, section aligned, without overlap', () => {
    const r = resolveScenario({
      nodes: [node0],
      namespaces: [
        { name: 'a', node: 0, size: '130M' },
        { name: 'x', node: 0, start: '20G', size: '4M' },
        { name: 'b', node: 0, size: '1G' },
      ],
    });
    const [a, x, b] = r.namespaces;
    const sectionPages = 32768;
    expect(a.startPfn % sectionPages).toBe(0);
    expect(b.startPfn % sectionPages).toBe(0);
    expect(a.startPfn * 4096).toBeGreaterThanOrEqual(20 * GiB + 4 * MiB);
    expect(b.startPfn).toBeGreaterThanOrEqual(a.endPfn);
    expect(x.startPfn * 4096).toBe(20 * GiB);
  });

  it('the device defaults to the namespace’s own; a named device is shared', () => {
    const r = resolveScenario({
      nodes: [node0],
      namespaces: [
        { name: 'a', node: 0, size: '1G' },
        { name: 'b', node: 0, size: '1G', device: 'dimm' },
        { name: 'c', node: 0, size: '1G', device: 'dimm' },
      ],
    });
    expect(r.namespaces.map((n) => n.device)).toEqual(['a', 'dimm', 'dimm']);
  });

  it('strategy, threads and seed: defaults and overrides', () => {
    const doc = { nodes: [node0], namespaces: [{ name: 'a', node: 0, size: '1G' }] };
    const d = resolveScenario(doc);
    expect(d.strategy.name).toBe('outside-lock');
    expect(d.seed).toBe(1);
    expect(resolveScenario(doc, { strategy: 'async8' }).threads).toBe(8);
    expect(resolveScenario({ ...doc, strategy: 'async8', threads: 3 }).threads).toBe(3);
    expect(resolveScenario({ ...doc, strategy: 'async8', threads: 3 }, { threads: 5 }).threads).toBe(5);
    expect(resolveScenario({ ...doc, seed: 4 }, { seed: 9 }).seed).toBe(9);
  });

  it.each([
    {
      what: 'duplicate namespace names',
      doc: {
        nodes: [node0],
        namespaces: [
          { name: 'a', node: 0, size: '1G' },
          { name: 'a', node: 0, size: '1G' },
        ],
      },
      field: 'namespaces[1].name',
    },
    { what: 'duplicate node ids', doc: { nodes: [node0, { ...node0, dram: [] }], namespaces: [] }, field: 'nodes[1].id' },
    {
      what: 'an align that is not a power of two',
      doc: { nodes: [node0], namespaces: [{ name: 'a', node: 0, size: '6M', align: '3M' }] },
      field: 'namespaces[0].align',
    },
    { what: 'an align below 2 MiB', doc: { nodes: [node0], namespaces: [{ name: 'a', node: 0, size: '6M', align: '1M' }] }, field: 'namespaces[0].align' },
    { what: 'a negative start', doc: { nodes: [node0], namespaces: [{ name: 'a', node: 0, size: '2M', start: '-2M' }] }, field: 'namespaces[0].start' },
    {
      what: 'a namespace too small for its own memmap',
      doc: { nodes: [node0], namespaces: [{ name: 'a', node: 0, size: '2M', altmap: true }] },
      field: 'namespaces[0].size',
    },
    {
      what: 'a DRAM range not page aligned',
      doc: { nodes: [{ id: 0, cores: 1, dram: [{ start: '0', size: '4097' }] }], namespaces: [] },
      field: 'nodes[0].dram[0]',
    },
    { what: 'no nodes', doc: { nodes: [], namespaces: [] }, field: 'nodes' },
    { what: 'a bad name', doc: { nodes: [node0], namespaces: [{ name: 'Pmem 0', node: 0, size: '1G' }] }, field: 'namespaces[0].name' },
  ])('$what is refused naming $field', ({ doc, field }) => {
    expect(fieldOf(() => resolveScenario(doc))).toBe(field);
  });

  // Regression: resolveScenario pre-parses explicit starts and sizes (to place auto namespaces after them);
  // a bad value there must still be reported with its namespace path, not as bare 'start' / 'size'.
  it.each([
    { what: 'a start too large for a safe integer', ns: { name: 'a', node: 0, size: '1G', start: '0x1000000000000000000' }, field: 'namespaces[0].start' },
    { what: 'a fractional byte size next to an explicit start', ns: { name: 'a', node: 0, size: '1.5B', start: '8G' }, field: 'namespaces[0].size' },
  ])('$what is refused naming $field', ({ ns, field }) => {
    expect(fieldOf(() => resolveScenario({ nodes: [node0], namespaces: [ns] }))).toBe(field);
  });
});
