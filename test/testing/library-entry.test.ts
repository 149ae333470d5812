/**
 * `memmap-sim/testing` as a project that imports the library uses it: the
 * package's own name, resolved through package.json "exports" to the build
 * in dist/ (vitest resolves a package's self-reference from the repo root).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Testing = typeof import('memmap-sim/testing');
type Library = typeof import('memmap-sim');
let testing: Testing;
let library: Library;

beforeAll(async () => {
  // `npm test` builds before vitest; build here only when dist is missing (e.g. `npx vitest run` on a fresh clone).
  if (!existsSync(join(root, 'dist', 'src', 'testing', 'index.js'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  testing = await import('memmap-sim/testing');
  library = await import('memmap-sim');
}, 120_000);

describe('memmap-sim/testing from the built package', () => {
  it('resolves to dist/src/testing, not to the sources', () => {
    expect(import.meta.resolve('memmap-sim/testing')).toBe(new URL('../../dist/src/testing/index.js', import.meta.url).href);
  });

  it('outside-lock is clean on generated pmem machines (20 runs, seed 7)', () => {
    const { pmemMachineArb, runOptions, assertClean, violationKinds } = testing;
    fc.assert(
      fc.property(pmemMachineArb(), (m) => {
        const r = library.simulate(m.scenario, runOptions(m, 'outside-lock'));
        assertClean(r);
        expect(violationKinds(r)).toEqual([]);
        expect(r.namespaces).toHaveLength(m.scenario.namespaces.length);
      }),
      { seed: 7, numRuns: 20 },
    );
  });

  it('the strategy lists match the ones the project property tests use', () => {
    expect(testing.CORRECT_PROBE_STRATEGIES).toEqual(['serial', 'async8', 'outside-lock', 'rwsem', 'outside-lock-mt']);
    expect(testing.CORRECT_BOOT_STRATEGIES).toEqual(['no-defer', 'deferred-serial', 'maxorder-off', 'padata']);
    for (const s of Object.keys(testing.ALWAYS_CAUGHT_PROBE_BUGS)) expect(testing.KNOWN_BAD_PROBE_STRATEGIES).toContain(s);
  });

  it('assertClean and assertCaught report a known-bad run', () => {
    const { pmemMachineArb, runOptions, assertClean, assertCaught, violationKinds } = testing;
    const [m] = fc.sample(pmemMachineArb(), { seed: 7, numRuns: 1 });
    const r = library.simulate(m.scenario, runOptions(m, 'bug-publish-early'));
    expect(violationKinds(r)).toContain('dax-before-init');
    expect(() => assertClean(r, 'generated')).toThrow(/generated: generated under bug-publish-early: .*dax-before-init/s);
    expect(assertCaught(r, 'dax-before-init').length).toBeGreaterThan(0);
    expect(() => assertCaught(r, 'double-init')).toThrow(/no double-init violation \(saw .*dax-before-init/);
  });
});
