import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../src/model/profiles/index.js';
import { CORRECT, GiB, MiB, cli, seed002 } from './helpers.js';

/**
 * Seed 002 (Martins, Apr 2022): "NVDIMM namespace bootstrap improves from
 * ~268-358 ms to ~80-110/<1ms on 128G NVDIMMs with 2M and 1G". The profile
 * fits its per-page cost to the 4K figure only; 2M and 1G are predictions.
 */
describe('seed002-devdax-128g fidelity (devdax-2022 profile, outside-lock)', () => {
  const at = (geometry: '4K' | '2M' | '1G') => seed002({ geometry }).namespaces[0];

  it('the per-page cost is fitted to the midpoint of the 4K figure: 313 ms / 33,554,432 struct pages', () => {
    const p = resolveProfile('devdax-2022').params.zoneDevicePageInitNs;
    expect(p.provenance).toBe('fitted');
    expect(p.value).toBeCloseTo(313e6 / 33554432, 9);
  });

  it('4K: memmap init within the published 268-358 ms', () => {
    const n = at('4K');
    expect(n.initMs).toBeGreaterThanOrEqual(268);
    expect(n.initMs).toBeLessThanOrEqual(358);
    expect(n.structPagesInitialized).toBe(33554432);
  });

  it('2M: predicted within the published 80-110 ms, initializing a quarter of the struct pages', () => {
    const n = at('2M');
    expect(n.initMs).toBeGreaterThanOrEqual(80);
    expect(n.initMs).toBeLessThanOrEqual(110);
    expect(n.structPagesInitialized).toBe(33554432 / 4);
  });

  it('1G: predicted under 1 ms (16,384 struct pages, plus the migratetype of every pageblock)', () => {
    const n = at('1G');
    expect(n.initMs).toBeLessThan(1);
    expect(n.initMs).toBeGreaterThan(0);
    expect(n.structPagesInitialized).toBe(128 * 128);
  });

  it('vmemmap of the 128 GiB namespace: 2 GiB, 512 MiB + 4 MiB, 1 MiB + 4 MiB', () => {
    expect(at('4K').vmemmapBytes).toEqual({ data: 2 * GiB, pageTables: 0, total: 2 * GiB });
    expect(at('2M').vmemmapBytes).toEqual({ data: 512 * MiB, pageTables: 4 * MiB, total: 516 * MiB });
    expect(at('1G').vmemmapBytes).toEqual({ data: 1 * MiB, pageTables: 4 * MiB, total: 5 * MiB });
  });

  it('correct strategies are clean at every geometry', () => {
    for (const geometry of ['4K', '2M', '1G'] as const) {
      for (const strategy of CORRECT) {
        const r = seed002({ geometry, strategy });
        expect(r.violations, `${strategy} at ${geometry}`).toEqual([]);
        expect(r.namespaces[0].failed).toBeNull();
        expect(r.engine.outcome).toBe('quiescent');
      }
    }
  });

  it('the scenario file itself probes at 2M; --geometry overrides it', async () => {
    expect(seed002().namespaces[0].geometry).toBe('2M');
    const r = await cli(['run', 'seed002-devdax-128g', '--geometry', '1g', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).namespaces[0]).toMatchObject({ geometry: '1G', structPagesInitialized: 16384 });
  });

  it('--geometry is refused with exit code 2 on a bad value or a scenario without devdax namespaces', async () => {
    const bad = await cli(['run', 'seed002-devdax-128g', '--geometry', '4M', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--geometry');
    const fsdax = await cli(['run', 'seed000-pmem-128g', '--geometry', '2M', '--json']);
    expect(fsdax.code).toBe(2);
    expect(fsdax.err).toContain('--geometry');
  });

  it('compare takes --geometry too', async () => {
    const r = await cli(['compare', 'seed002-devdax-128g', '--geometry', '1G', '--strategy', 'outside-lock', '--strategy', 'outside-lock-mt', '--json']);
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.out) as { namespaces: { geometry: string }[] }[];
    expect(docs.map((d) => d.namespaces[0].geometry)).toEqual(['1G', '1G']);
  });
});
