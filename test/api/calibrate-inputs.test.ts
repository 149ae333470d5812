import { afterEach, describe, expect, it, vi } from 'vitest';
import { calibrate } from '../../src/api/calibrate.js';
import { loadScenario } from '../../src/api/load-scenario.js';
import { InputError } from '../../src/model/input-error.js';
import { PARAM_RANGES } from '../../src/model/profiles/ranges.js';
import { resolveScenario } from '../../src/model/scenario.js';
import { cli, refused } from '../cli/helpers.js';

/** Calibration writes only profiles memmap-sim accepts, from measurements a fit can use. */
afterEach(() => vi.restoreAllMocks());
const SKYLAKE = 'seed003-skylake-768g';
const { input, name } = loadScenario(SKYLAKE);
const good = [
  { threads: 1, ms: 1717.7 },
  { threads: 52, ms: 143.3 },
];

function field(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return `${e.field}: ${e.rule}`;
    throw e;
  }
  throw new Error('accepted');
}

describe('calibrate refuses measurements no fit can use', () => {
  it('a boot shorter than its deferred init (which gave restOfBootMs -142.3)', async () => {
    await refused(
      ['calibrate', SKYLAKE, '--measure', '1:1717.7', '--measure', '52:143.3', '--boot', '52:1', '--json'],
      '--boot',
      /52:1 is not longer than deferred init at 52 threads/,
    );
  });

  it('times that grow with threads', async () => {
    await refused(
      ['calibrate', SKYLAKE, '--measure', '1:1717.7', '--measure', '52:1843.3'],
      '--measure',
      /must not grow with threads: 52:1843.3 is slower than 1:1717.7/,
    );
  });

  it.each([
    [{ threads: 52, ms: -143.3 }, /time must be a finite number > 0/],
    [{ threads: 52, ms: Number.NaN }, /time must be a finite number > 0/],
    [{ threads: 52, ms: Number.POSITIVE_INFINITY }, /time must be a finite number > 0/],
    [{ threads: 1e11, ms: 143.3 }, /threads must be a whole number from 1 to/],
  ])('library measurement %j', (bad, rule) => {
    expect(field(() => calibrate(input, [good[0], bad], { name }))).toMatch(rule);
    expect(field(() => calibrate(input, good, { name, boot: [bad] }))).toMatch(/^--boot: /);
  });

  it('a rest of boot beyond its physical range', () => {
    expect(field(() => calibrate(input, good, { name, boot: [{ threads: 52, ms: 1e9 }] }))).toMatch(
      /^--boot: gives restOfBootMs .*must be a number in \[0, 3600000\]/,
    );
  });
});

describe('a fit off by more than its tolerance is not a result', () => {
  it('exits 1 with the residuals on one line and prints no profile', async () => {
    const r = await cli(['calibrate', SKYLAKE, '--measure', '1:1717.7', '--measure', '52:1', '--json']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /^memmap-sim: calibrate: no fit within 1% of every measurement \([^)]+\): 1 threads measured 1717.7 ms, predicted [\d.]+ ms \([-+][\d.]+%\); 52 threads measured 1 ms, predicted [\d.]+ ms \(\+[\d.]+%\)\n$/,
    );
  });

  it('even then the fitted values stay inside their ranges, so the profile would load', () => {
    const c = calibrate(input, [good[0], { threads: 52, ms: 1 }], { name });
    expect(c.fit.withinTolerance).toBe(false);
    expect(c.fit.reason).toMatch(/speedup|range/);
    const fitted = (['pageInitNs', 'dramWriteGBs', 'smtFactor'] as const).filter((k) => c.profile.params![k] !== undefined);
    expect(fitted).toContain('pageInitNs');
    for (const k of fitted) {
      const p = c.profile.params![k];
      const v = typeof p === 'number' ? p : p.value;
      expect(v).toBeGreaterThanOrEqual(PARAM_RANGES[k].min);
      expect(v).toBeLessThanOrEqual(PARAM_RANGES[k].max);
    }
    expect(() => resolveScenario(input, { profile: c.profile })).not.toThrow();
  });

  it('a good fit is within tolerance, and its profile (with a rest of boot) loads', () => {
    const c = calibrate(input, good, { name, boot: [{ threads: 52, ms: 2447.2 }] });
    expect(c.fit.withinTolerance).toBe(true);
    expect(resolveScenario(input, { profile: c.profile }).costs.restOfBootMs).toBeCloseTo(2303.9, 0);
  });

  it('a --profile document without base starts from the scenario’s profile', () => {
    const c = calibrate(input, good, { name, base: { params: { restOfBootMs: 2000 } } });
    expect(c.profile.base).toBe('skylake-2020');
    expect(c.profile.params?.restOfBootMs).toBe(2000);
  });
});

describe('sweep library inputs', () => {
  it.each([['1,2'], [[]], [42]])('threads %j is refused naming threads', async (threads) => {
    const { sweep } = await import('../../src/api/sweep.js');
    expect(field(() => sweep(input, threads as never, { name }))).toMatch(/^threads: must be a non-empty array/);
  });
});
