import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a user gets it: `npm pack` of the built package, unpacked
 * into an empty project's node_modules, with its dependencies linked from
 * this checkout's node_modules (the same versions npm would install, and no
 * registry needed). Then the three entry points are imported by Node and
 * type-checked by strict tsc without skipLibCheck.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let dir = '';
let files: string[] = [];
let pkg: { dependencies?: Record<string, string>; exports: Record<string, unknown> };

beforeAll(() => {
  for (const built of ['dist/src/index.js', 'dist/src/testing/index.js', 'dist/machines/index.js']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
  }
  dir = mkdtempSync(join(tmpdir(), 'memmap-sim-pack-'));
  // --ignore-scripts: the build is already there; `prepare` would rebuild it.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = info.files.map((f) => f.path);
  const home = join(dir, 'consumer', 'node_modules', 'memmap-sim');
  mkdirSync(home, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, info.filename), '-C', home, '--strip-components=1']);
  pkg = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'consumer', 'node_modules', dep), 'dir');
}, 90_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the build, the scenarios and the LICENSE; no raw TypeScript, no benchmarks', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'bin/memmap-sim.js',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/machines/index.js',
        'dist/browser/inspect.js',
        'scenarios/seed000-pmem-128g.json',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/bench/'))).toEqual([]);
  });

  it('every source map carries its sources, so it resolves without the .ts files', () => {
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const home = join(dir, 'consumer', 'node_modules', 'memmap-sim');
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(home, m), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent?.length, m).toBe(map.sources.length);
      expect(
        map.sourcesContent?.every((c) => typeof c === 'string' && c.length > 0),
        m,
      ).toBe(true);
    }
  });

  it('every export has types, import and a default condition', () => {
    for (const [path, target] of Object.entries(pkg.exports)) {
      if (path === './package.json') continue;
      expect(Object.keys(target as object), path).toEqual(['types', 'import', 'default']);
    }
  });
});

describe('an empty project that installs the tarball', () => {
  const program = `import { simulate, loadScenario, STRATEGIES, lockDeadlock, type RunResult } from 'memmap-sim';
import { pmemMachineArb, runOptions, assertClean } from 'memmap-sim/testing';
import { MACHINES, systemMachine } from 'memmap-sim/machines';
import type { AnyStateMachine } from 'xstate';
const { input, name } = loadScenario('seed000-pmem-128g');
const r: RunResult = simulate(input, { name, strategy: 'outside-lock' });
assertClean(r);
const machine: AnyStateMachine = systemMachine;
const kinds: string[] = [...MACHINES.keys()];
console.log(JSON.stringify({ totalMs: r.totalMs, strategies: STRATEGIES instanceof Map, kinds: kinds.length, system: machine.id, arb: typeof pmemMachineArb, options: typeof runOptions, lockDeadlock: typeof lockDeadlock }));
`;

  it('imports memmap-sim, memmap-sim/testing and memmap-sim/machines from Node', () => {
    const consumer = join(dir, 'consumer');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    // The same program without its type annotations, as plain ESM.
    const js = program
      .replace(', type RunResult', '')
      .replace(/^import type .*\n/m, '')
      .replace(': RunResult', '')
      .replace(': AnyStateMachine', '')
      .replace(': string[]', '');
    writeFileSync(join(consumer, 'main.mjs'), js);
    const out = JSON.parse(execFileSync('node', ['main.mjs'], { cwd: consumer, encoding: 'utf8', timeout: 30_000 }));
    expect(out).toEqual({
      totalMs: expect.any(Number),
      strategies: true,
      kinds: 13,
      system: 'system',
      arb: 'function',
      options: 'function',
      lockDeadlock: 'function',
    });
  });

  it('type-checks under strict tsc without skipLibCheck', () => {
    const consumer = join(dir, 'consumer');
    writeFileSync(join(consumer, 'main.ts'), program);
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: ['main.ts'],
    };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    let output = '';
    try {
      execFileSync('node', [TSC, '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8', timeout: 90_000 });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  }, 100_000);
});
