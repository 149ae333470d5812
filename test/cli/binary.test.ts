import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'memmap-sim.js');

beforeAll(() => {
  // `npm test` builds before vitest; build here only when dist is missing (e.g. `npx vitest run` on a fresh clone).
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}, 120_000);

function runBin(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('the built memmap-sim binary', () => {
  it('run seed000-pmem-128g --json exits 0 and prints exactly one JSON document', () => {
    const r = runBin(['run', 'seed000-pmem-128g', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.slice(0, -1)).not.toContain('\n');
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ scenario: 'seed000-pmem-128g', strategy: 'async8', threads: 8 });
    expect(doc.namespaces).toHaveLength(1);
    expect(doc.violations).toEqual([]);
  });

  it('bad input exits 2 with one line on stderr', () => {
    const r = runBin(['run', 'seed000-pmem-128g', '--threads', '0']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--threads');
  });

  it('stops quietly when its reader closes the pipe early (| true)', () => {
    // `true` exits before node has started, so every write meets a closed pipe.
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${bin}" list | true`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).toBe('');
  });
});
