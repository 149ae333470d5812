import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('the CLI as commander users expect it', () => {
  it('a bare memmap-sim prints the help on stdout and exits 0', async () => {
    const r = await cli([]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Usage: memmap-sim \[options\] \[command\]/);
    for (const command of ['run', 'compare', 'inspect']) expect(r.out).toContain(command);
  });

  it('a mistyped command suggests the nearest one, on its one line', async () => {
    const r = await cli(['rn', 'seed000-pmem-128g']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe("memmap-sim: unknown command 'rn' (Did you mean run?)\n");
  });

  it('run --fail-on-violation exits 1 after printing a run with violations, 0 for a clean one', async () => {
    const bad = await cli(['run', 'seed000-pmem-128g', '--strategy', 'bug-publish-early', '--fail-on-violation', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('');
    expect(JSON.parse(bad.out).violations.length).toBeGreaterThan(0);
    const clean = await cli(['run', 'seed000-pmem-128g', '--strategy', 'outside-lock', '--fail-on-violation']);
    expect(clean.code).toBe(0);
    const plain = await cli(['run', 'seed000-pmem-128g', '--strategy', 'bug-publish-early']);
    expect(plain.code).toBe(0);
  });

  it('compare --fail-on-violation exits 1 when any strategy has a violation', async () => {
    const r = await cli(['compare', 'seed000-pmem-128g', '--strategy', 'outside-lock', '--strategy', 'bug-publish-early', '--fail-on-violation']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('bug-publish-early');
    const clean = await cli(['compare', 'seed000-pmem-128g', '--strategy', 'serial', '--strategy', 'outside-lock', '--fail-on-violation']);
    expect(clean.code).toBe(0);
  });

  it('inspect without --out writes its page to the temporary folder, not the current one', async () => {
    const before = readdirSync(process.cwd());
    const r = await cli(['inspect', 'seed000-pmem-128g']);
    expect(r.code).toBe(0);
    const page = join(tmpdir(), 'memmap-sim-inspect-seed000-pmem-128g.html');
    expect(r.out).toContain(`wrote ${page}:`);
    expect(existsSync(page)).toBe(true);
    rmSync(page);
    expect(readdirSync(process.cwd())).toEqual(before);
  });
});
