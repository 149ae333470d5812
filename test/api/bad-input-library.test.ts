import { describe, expect, it } from 'vitest';
import { createSimulation, InputError, loadScenario, parseSize, simulate, sweep, vmemmapFootprint } from '../../src/index.js';

const node0 = { id: 0, cores: 2, dram: [{ start: '0', size: '4G' }] };
const sc = { nodes: [node0], namespaces: [{ name: 'a', node: 0, size: '1G' }] };
const boot = { nodes: [node0], boot: {} };

/** Library calls with bad input: each throws an InputError whose field names what was wrong. */
const CASES: readonly [what: string, call: () => unknown, field: string][] = [
  ['explore "yes"', () => simulate({ ...sc, explore: 'yes' }), 'explore'],
  ['profile 42', () => simulate({ ...sc, profile: 42 }), 'profile'],
  [
    'a profile with a string parameter',
    () => simulate({ ...sc, profile: { base: 'pmem-2018', params: { pmemWriteGBs: 'fast' } } }),
    'profile.params.pmemWriteGBs',
  ],
  ['limits.maxEvents -1', () => simulate(sc, { limits: { maxEvents: -1 } }), 'limits.maxEvents'],
  ['limits.maxTimeNs NaN', () => simulate(sc, { limits: { maxTimeNs: NaN } }), 'limits.maxTimeNs'],
  ['limits "x"', () => simulate(sc, { limits: 'x' as never }), 'limits'],
  ['sectionsPerActor 0', () => simulate(sc, { sectionsPerActor: 0 }), 'sectionsPerActor'],
  ['quantumNs -1', () => simulate(sc, { quantumNs: -1 }), 'quantumNs'],
  ['a strategy that is not known', () => simulate(sc, { strategy: 'outsde-lock' }), 'strategy'],
  ['threads 0', () => simulate(sc, { threads: 0 }), 'threads'],
  ['a scenario that is null', () => simulate(null), '(scenario)'],
  ['sweep with no thread counts', () => sweep(boot, []), 'threads'],
  ['sweep with a string of thread counts', () => sweep(boot, '1,2' as never), 'threads'],
  ['parseSize(-5)', () => parseSize(-5), 'size'],
  ['parseSize("12Q")', () => parseSize('12Q'), 'size'],
  ['loadScenario(42)', () => loadScenario(42 as never), 'scenario'],
  ['loadScenario of a mistyped name', () => loadScenario('seed000-pmem-12g'), 'scenario'],
  ['vmemmapFootprint()', () => (vmemmapFootprint as (a?: unknown) => unknown)(), 'vmemmapFootprint'],
  ['vmemmapFootprint of 3 MiB at 2M', () => vmemmapFootprint({ sizeBytes: 3 * 2 ** 20, geometry: '2M' }), 'size'],
  ['vmemmapFootprint at a 3M geometry', () => vmemmapFootprint({ sizeBytes: 2 ** 30, geometry: '3M' as never }), 'geometry'],
  [
    'run() twice',
    () => {
      const s = createSimulation(sc);
      s.run();
      s.run();
    },
    'run',
  ],
];

describe('bad library input: an InputError naming the field, never a bare JS error', () => {
  it.each(CASES.map((c) => [c[0], c] as const))('%s', (_what, [, call, field]) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).field).toContain(field);
    expect((thrown as InputError).rule.length).toBeGreaterThan(8);
  });
});
