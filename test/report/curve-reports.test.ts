import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { calibrate } from '../../src/api/calibrate.js';
import { sweep } from '../../src/api/sweep.js';
import { sweepWithBand } from '../../src/api/sweep-band.js';
import { halfSpread, perturbations } from '../../src/api/uncertainty.js';
import { renderCurveChart } from '../../src/report/html/curve-chart.js';
import { renderSweepReport } from '../../src/report/sweep-report.js';
import { curveThreads } from '../../src/cli/calibrate-command.js';
import { cli, refused, tempDir } from '../cli/helpers.js';

afterEach(() => vi.restoreAllMocks());
const tmp = tempDir();
afterAll(() => tmp.remove());

/** One node of 4 cores x 2 threads and 6 GiB: each boot takes a few ms to simulate. */
const machine = { name: 'small8', nodes: [{ id: 0, cores: 4, threadsPerCore: 2, dram: [{ start: '0', size: '6G' }] }], boot: {} };
const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('the uncertainty band of a sweep', () => {
  it('without a calibration there is no band, and the rows are the sweep’s', () => {
    const rows = sweepWithBand(machine, [1, 2, 8]);
    expect(rows.map((r) => r.deferredInitSigmaMs)).toEqual([null, null, null]);
    expect(rows.map(({ deferredInitSigmaMs: _a, bootSigmaMs: _b, ...r }) => r)).toEqual(sweep(machine, [1, 2, 8]));
  });

  it('with one, each row carries the half-spread of the sweeps one sigma up and down', () => {
    const c = calibrate(machine, [
      { threads: 1, ms: 9, stdevMs: 0.3 },
      { threads: 8, ms: 2.5, stdevMs: 0.1 },
    ]);
    expect(c.fit.withinTolerance).toBe(true);
    const rows = sweepWithBand(machine, [1, 4], { profile: c.profile, uncertainty: c.fit.uncertainty });
    const perturbed = perturbations(c.profile, c.fit.uncertainty).map((p) => sweep(machine, [1, 4], { profile: p }));
    expect(perturbed.length).toBe(2 * Object.keys(c.fit.uncertainty).length);
    for (const [i, r] of rows.entries()) {
      expect(r.deferredInitSigmaMs).toBeCloseTo(halfSpread(perturbed.map((p) => p[i].deferredInitMs)), 3);
      expect(r.deferredInitSigmaMs!).toBeGreaterThan(0);
    }
  });

  it('a measurement’s stdev widens the fit’s uncertainty beyond its printed precision', () => {
    const loose = calibrate(machine, [
      { threads: 1, ms: 9.1, stdevMs: 0.9 },
      { threads: 8, ms: 2.5, stdevMs: 0.25 },
    ]);
    // Printed to 0.1 ms: known to 0.05 ms.
    const tight = calibrate(machine, [
      { threads: 1, ms: 9.1 },
      { threads: 8, ms: 2.5 },
    ]);
    expect(loose.fit.uncertainty.pageInitNs!).toBeGreaterThan(5 * tight.fit.uncertainty.pageInitNs!);
    expect(loose.fit.rows[0].measuredStdevMs).toBe(0.9);
  });
});

describe('the curve chart', () => {
  const curve = { threads: [1, 2, 4, 8, 16], ms: [1600, 800, 400, 220, 150], sigmaMs: [10, 8, 6, 5, 4] };
  it('draws the band, the predicted points and each published point, on log axes when they span 8x', () => {
    const svg = renderCurveChart('deferred init', curve, [{ kind: 'published', label: 'pub', points: [{ threads: 6, ms: 341, stdevMs: 35 }] }]);
    expect(count(svg, 'class="band"')).toBe(1);
    expect(count(svg, 'class="pred"')).toBe(5);
    expect(count(svg, 'class="published"')).toBe(1);
    expect(count(svg, 'class="whisker"')).toBe(1);
    expect(svg).toContain('threads per node (log scale)');
    expect(svg).toContain('deferred init, ms (log scale)');
  });
  it('is linear in time when the times are close, and has no band without sigmas', () => {
    const svg = renderCurveChart('boot', { threads: [1, 2], ms: [100, 90], sigmaMs: [null, null] }, []);
    expect(svg).not.toContain('class="band"');
    expect(svg).not.toContain('log scale');
  });
  it('escapes what comes from a scenario', () => {
    const rows = sweepWithBand(machine, [1, 2]);
    const html = renderSweepReport({
      scenario: '<script>x</script>',
      description: '"quoted" & <b>',
      strategy: 'padata',
      profile: 'default',
      seed: 0,
      uncertaintySource: null,
      rows,
      measured: { deferredInit: [], boot: [] },
      published: null,
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toMatch(/<script|src=|href=/);
  });
  it('the calibrate curve covers the measured and published thread counts, powers of two and the CPUs', () => {
    expect(curveThreads([{ threads: 1 }, { threads: 6 }, { threads: 52 }], 52)).toEqual([1, 2, 4, 6, 8, 16, 32, 52]);
  });
});

describe('sweep --report and calibrate --report', () => {
  it('sweep of the Skylake machine draws both curves with the published table beside them', async () => {
    const file = join(tmp.file('x', ''), '..', 'sweep.html');
    const r = await cli(['sweep', 'seed003-skylake-768g', '--threads', '1,13,52', '--measure', '13:190:5', '--report', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`report written to ${file}`);
    expect(r.out).toMatch(/13 +13 .*190\.0 ms/);
    const html = readFileSync(file, 'utf8');
    expect(count(html, '<svg class="curve"')).toBe(2);
    expect(html).toContain('Daniel Jordan');
    // Seven published points on each chart, one measured point on the deferred-init chart.
    expect(count(html, 'class="published"')).toBe(14);
    expect(count(html, 'class="measured"')).toBe(1);
    expect(html).toContain('give --profile a `calibrate --json` document');
  }, 120_000);

  it('a calibrate --json document given to sweep draws the band', async () => {
    const c = calibrate(machine, [
      { threads: 1, ms: 9, stdevMs: 0.3 },
      { threads: 8, ms: 2.5, stdevMs: 0.1 },
    ]);
    const profile = tmp.file('cal.json', c);
    const file = join(profile, '..', 'band.html');
    const r = await cli(['sweep', tmp.file('m.json', machine), '--threads', '1,2,4,8', '--profile', profile, '--report', file, '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { deferredInitSigmaMs?: number }[];
    expect(rows.every((x) => (x.deferredInitSigmaMs ?? 0) > 0)).toBe(true);
    const html = readFileSync(file, 'utf8');
    expect(count(html, 'class="band"')).toBeGreaterThanOrEqual(1);
    expect(html).toContain(`the calibration in ${profile}`);
  }, 60_000);

  it('calibrate writes the fit’s page, and for a fit that fails it writes the reason and exits 1', async () => {
    const ok = join(tmp.file('y', ''), '..', 'fit.html');
    const a = await cli(['calibrate', tmp.file('m2.json', machine), '--measure', '1:9:0.3', '--measure', '8:2.5', '--report', ok]);
    expect(a.code).toBe(0);
    const page = readFileSync(ok, 'utf8');
    expect(page).toContain('every row within 1% of its measurement');
    expect(page).toMatch(/pageInitNs<\/td><td class="n">[\d.]+<\/td><td class="n">± [\d.]+%/);
    expect(count(page, 'class="measured"')).toBe(2);
    expect(count(page, 'class="band"')).toBe(1);
    // Eight threads cannot be 50 times faster than one on this machine.
    const bad = join(ok, '..', 'nofit.html');
    const b = await cli(['calibrate', tmp.file('m3.json', machine), '--measure', '1:9', '--measure', '8:0.18', '--report', bad]);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/^memmap-sim: calibrate: no fit within 1%/);
    const failed = readFileSync(bad, 'utf8');
    expect(failed).toContain('class="bad">no fit within 1% of every measurement');
    expect(failed).not.toContain('class="band"');
  }, 120_000);

  it('refuses a stdev that is not below its time, an unwritable report and a bad uncertainty', async () => {
    await refused(
      ['calibrate', 'seed003-skylake-768g', '--measure', '1:10:10', '--measure', '52:2'],
      '--measure',
      /stdev must be a number from 0 to below the time/,
    );
    await refused(['sweep', tmp.file('m4.json', machine), '--threads', '1', '--report', '/nonexistent-dir/r.html'], '--report', /cannot write/);
    const doc = tmp.file('badu.json', { profile: { base: 'default' }, fit: { uncertainty: { pageInitNs: 3 } } });
    await refused(['sweep', tmp.file('m5.json', machine), '--threads', '1', '--profile', doc], 'fit.uncertainty.pageInitNs', /relative standard uncertainty/);
  });
});
