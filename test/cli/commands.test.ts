import { afterEach, describe, expect, it, vi } from 'vitest';
import { STRATEGIES } from '../../src/model/strategies.js';
import { cli, singleJson } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

const SCENARIOS = ['seed000-pmem-128g', 'seed000-pmem-4x128g', 'seed001-pmem-3t-4node'];

function expectRunDocument(doc: any): void {
  expect(doc).toEqual(
    expect.objectContaining({
      scenario: expect.any(String),
      strategy: expect.any(String),
      seed: expect.any(Number),
      threads: expect.any(Number),
      totalMs: expect.any(Number),
      namespaces: expect.any(Array),
      locks: expect.any(Array),
      findings: expect.any(Array),
      violations: expect.any(Array),
    }),
  );
  expect(doc.namespaces.length).toBeGreaterThan(0);
  for (const n of doc.namespaces) {
    expect(n).toEqual(
      expect.objectContaining({
        name: expect.any(String),
        node: expect.any(Number),
        sizeBytes: expect.any(Number),
        probeMs: expect.any(Number),
        initMs: expect.any(Number),
        structPagesInitialized: expect.any(Number),
      }),
    );
    expect(n).toHaveProperty('availableAtMs');
    expect(n.availableAtMs === null || typeof n.availableAtMs === 'number').toBe(true);
  }
  expect(doc.locks.length).toBeGreaterThan(0);
  for (const l of doc.locks) expect(l).toEqual(expect.objectContaining({ name: expect.any(String), holdMs: expect.any(Number), waitMs: expect.any(Number) }));
  for (const v of doc.violations)
    expect(v).toEqual(expect.objectContaining({ invariant: expect.any(String), message: expect.any(String), atNs: expect.any(Number) }));
}

describe('memmap-sim run --json', () => {
  it('prints exactly one JSON document with the documented fields, nothing on stderr', async () => {
    const r = await cli(['run', 'seed000-pmem-128g', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = singleJson(r.out) as any;
    expectRunDocument(doc);
    expect(doc).toMatchObject({ scenario: 'seed000-pmem-128g', strategy: 'async8', threads: 8, seed: 1 });
    expect(doc.namespaces[0]).toMatchObject({ name: 'pmem0', node: 0, sizeBytes: 128 * 2 ** 30, structPagesInitialized: 2 ** 25 });
    expect(doc.locks.map((l: any) => l.name)).toContain('mem_hotplug_lock');
    expect(doc.violations).toEqual([]);
  });

  it('--strategy, --threads and --seed are applied and reported', async () => {
    const r = await cli(['run', 'seed000-pmem-128g', '--strategy', 'outside-lock-mt', '--threads', '4', '--seed', '17', '--json']);
    expect(r.code).toBe(0);
    const doc = singleJson(r.out) as any;
    expect(doc).toMatchObject({ strategy: 'outside-lock-mt', threads: 4, seed: 17 });
  });

  it('agrees with the library', async () => {
    const { simulate } = await import('../../src/api/simulate.js');
    const { loadScenario } = await import('../../src/api/load-scenario.js');
    const r = await cli(['run', 'seed000-pmem-4x128g', '--strategy', 'rwsem', '--json']);
    const lib = simulate(loadScenario('seed000-pmem-4x128g').input, { strategy: 'rwsem', name: 'seed000-pmem-4x128g' });
    expect(singleJson(r.out)).toEqual(JSON.parse(JSON.stringify(lib)));
  });

  it('serial on seed001 reports its redundant passes under findings', async () => {
    const r = await cli(['run', 'seed001-pmem-3t-4node', '--strategy', 'serial', '--json']);
    const doc = singleJson(r.out) as any;
    expect(doc.findings.map((f: any) => f.kind)).toEqual(['redundant-pass', 'redundant-pass', 'redundant-pass', 'redundant-pass']);
    expect(doc.violations).toEqual([]);
  });

  it('a known-bad strategy reports its violation with invariant, message and atNs', async () => {
    const r = await cli(['run', 'seed000-pmem-128g', '--strategy', 'bug-no-ref', '--json']);
    expect(r.code).toBe(0);
    const doc = singleJson(r.out) as any;
    expectRunDocument(doc);
    expect(doc.violations.map((v: any) => v.invariant)).toEqual(['I5']);
  });
});

describe('memmap-sim run (table)', () => {
  it('prints a human report naming the scenario, strategy and namespaces', async () => {
    const r = await cli(['run', 'seed000-pmem-4x128g', '--strategy', 'async8']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('seed000-pmem-4x128g');
    expect(r.out).toContain('async8');
    for (const ns of ['pmem0', 'pmem1', 'pmem2', 'pmem3']) expect(r.out).toContain(ns);
    expect(r.out).toContain('mem_hotplug_lock');
    expect(() => JSON.parse(r.out)).toThrow();
  });
});

describe('memmap-sim compare', () => {
  const strategies = ['serial', 'async8', 'outside-lock', 'rwsem', 'outside-lock-mt'];
  const args = strategies.flatMap((s) => ['--strategy', s]);

  it('--json prints one JSON array of run documents, in the order asked', async () => {
    const r = await cli(['compare', 'seed000-pmem-4x128g', ...args, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = singleJson(r.out) as any[];
    expect(Array.isArray(doc)).toBe(true);
    expect(doc.map((d) => d.strategy)).toEqual(strategies);
    for (const d of doc) expectRunDocument(d);
  });

  it('the table has a row per strategy and a speedup column against the first', async () => {
    const r = await cli(['compare', 'seed000-pmem-4x128g', ...args]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const header = lines.find((l) => l.startsWith('strategy'));
    expect(header).toBeDefined();
    expect(header).toMatch(/\bspeedup\b/);
    expect(header).toMatch(/\btotal\b/);
    const speedupCol = header!.split(/\s{2,}/).indexOf('speedup');
    for (const s of strategies) {
      const row = lines.find((l) => l.split(/\s{2,}/)[0] === s);
      expect(row, `row for ${s}`).toBeDefined();
      expect(row!.split(/\s{2,}/)[speedupCol]).toMatch(/^\d+\.\d+x$/);
    }
    const first = lines.find((l) => l.split(/\s{2,}/)[0] === 'serial')!;
    expect(first.split(/\s{2,}/)[speedupCol]).toBe('1.00x');
    // outside-lock overlaps the namespaces: clearly faster than serial.
    const ol = lines.find((l) => l.split(/\s{2,}/)[0] === 'outside-lock')!;
    expect(Number.parseFloat(ol.split(/\s{2,}/)[speedupCol])).toBeGreaterThan(2);
  });

  it('needs at least two strategies', async () => {
    const r = await cli(['compare', 'seed000-pmem-128g', '--strategy', 'serial']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toContain('--strategy');
  });
});

describe('memmap-sim list', () => {
  it('names the three scenarios and every strategy', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(0);
    for (const s of SCENARIOS) expect(r.out).toContain(s);
    expect(STRATEGIES.size).toBeGreaterThanOrEqual(8);
    for (const s of STRATEGIES.keys()) expect(r.out).toMatch(new RegExp(`(^|\\n)${s.replace(/[-]/g, '\\-')}\\s`));
  });

  it('--json lists the same', async () => {
    const r = await cli(['list', '--json']);
    expect(r.code).toBe(0);
    const doc = singleJson(r.out) as any;
    expect(doc.scenarios.map((s: any) => s.name)).toEqual(expect.arrayContaining(SCENARIOS));
    expect(doc.strategies.map((s: any) => s.name).sort()).toEqual([...STRATEGIES.keys()].sort());
  });
});

describe('memmap-sim schema', () => {
  it('prints a parseable JSON Schema with nodes and namespaces', async () => {
    const r = await cli(['schema']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const schema = JSON.parse(r.out) as any;
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.type).toBe('object');
    expect(schema.properties.nodes).toBeDefined();
    expect(schema.properties.namespaces).toBeDefined();
    expect(schema.required).toContain('nodes');
    const ns = schema.properties.namespaces.items;
    expect(Object.keys(ns.properties)).toEqual(expect.arrayContaining(['name', 'node', 'size', 'mode', 'altmap', 'device', 'start', 'align']));
    expect(ns.additionalProperties).toBe(false);
  });

  it('the built-in scenarios validate against the printed schema’s required fields', async () => {
    const schema = JSON.parse((await cli(['schema'])).out) as any;
    const { loadScenario } = await import('../../src/api/load-scenario.js');
    for (const s of SCENARIOS) {
      const doc = loadScenario(s).input as Record<string, unknown>;
      for (const key of schema.required) expect(doc).toHaveProperty(key);
      for (const key of Object.keys(doc)) expect(Object.keys(schema.properties)).toContain(key);
    }
  });
});
