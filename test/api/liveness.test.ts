import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.js';
import { loadScenario } from '../../src/api/load-scenario.js';
import { expectedEvents } from '../../src/api/run-budget.js';
import { resolveScenario } from '../../src/model/scenario.js';

/**
 * Two big namespaces sharing one pmem device: late in the run a completion
 * delay of the channel fell below one ulp of the clock, so the channel
 * replanned forever at a frozen time.
 */
const frozenClock = {
  name: 'frozen-clock',
  nodes: [{ id: 0, cores: 1, dram: [{ start: '16G', size: '3G' }] }],
  namespaces: [
    { name: 'pmem0', node: 0, device: 'd0', size: '1013880M', start: '65540M', mode: 'fsdax', altmap: true },
    { name: 'pmem1', node: 0, device: 'd0', size: '535006M', start: '1079426M', mode: 'fsdax', altmap: true },
  ],
};

describe('every run ends', () => {
  it('a channel whose completion delay no longer moves the clock still finishes its flows', () => {
    const r = simulate(frozenClock, { strategy: 'serial' });
    expect(r.engine.outcome).toBe('quiescent');
    expect(r.violations).toEqual([]);
    expect(r.namespaces.every((n) => n.availableAtMs !== null && n.doneAtMs !== null)).toBe(true);
    // Whole flows are counted: the channel moved every byte of every pass.
    expect(Number.isInteger(r.channels[0].bytes)).toBe(true);
  });

  it('jittered, explored runs of the 4-node machine all settle (serial and async8, 10 seeds each)', () => {
    const { input } = loadScenario('seed001-pmem-3t-4node');
    const unsettled: string[] = [];
    for (const strategy of ['serial', 'async8']) {
      for (let seed = 1; seed <= 10; seed++) {
        const r = simulate({ ...(input as object), jitter: 0.5, explore: true, seed }, { strategy });
        if (r.engine.outcome !== 'quiescent' || r.violations.length) unsettled.push(`${strategy} seed ${seed}: ${r.engine.outcome}`);
      }
    }
    expect(unsettled).toEqual([]);
  });

  it('the built-in scenarios run well inside their default budget', () => {
    for (const [name, strategy] of [
      ['seed000-pmem-4x128g', 'serial'],
      ['seed003-skylake-768g', 'deferred-serial'],
    ]) {
      const { input } = loadScenario(name);
      const sc = resolveScenario(input, { strategy });
      const r = simulate(sc);
      expect(r.engine.outcome).toBe('quiescent');
      // The estimate alone already covers the run; the budget is BUDGET_FACTOR times it.
      expect(r.engine.events, name).toBeLessThan(expectedEvents(sc));
    }
  });
});

describe('library inputs', () => {
  it('an object that only looks like a resolved scenario is validated like any other', () => {
    expect(() => simulate({ derived: 1, costs: 1, strategy: 1 })).toThrow(expect.objectContaining({ name: 'InputError' }));
  });

  it('a copy of a resolved scenario is not taken for one', () => {
    const sc = resolveScenario(frozenClock);
    expect(() => simulate({ ...sc })).toThrow(expect.objectContaining({ name: 'InputError' }));
  });

  it.each([
    [-1, 'limits'],
    [Number.NaN, 'limits'],
    ['100', 'limits'],
    [{ maxEvents: -1 }, 'limits.maxEvents'],
    [{ maxEvents: 1.5 }, 'limits.maxEvents'],
    [{ maxTimeNs: Number.NaN }, 'limits.maxTimeNs'],
    [{ maxTimeNs: -1 }, 'limits.maxTimeNs'],
    [{ maxTimeNs: Infinity }, 'limits.maxTimeNs'],
    [{ maxEvent: 5 }, 'limits.maxEvent'],
  ])('refuses limits %j, naming %s', (limits, field) => {
    expect(() => simulate(frozenClock, { limits: limits as never })).toThrow(expect.objectContaining({ name: 'InputError', field }));
  });
});
