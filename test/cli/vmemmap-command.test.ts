import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerVmemmapCommand } from '../../src/cli/vmemmap-command.js';
import { InputError } from '../../src/model/input-error.js';

function run(argv: string[]): string {
  const program = new Command().exitOverride();
  registerVmemmapCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    program.parse(argv, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

function inputError(argv: string[]): InputError {
  try {
    run(argv);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

afterEach(() => vi.restoreAllMocks());

describe('memmap-sim vmemmap', () => {
  it('--json prints exactly one JSON document with the footprint', () => {
    const out = run(['vmemmap', '--size', '1T', '--geometry', '1G', '--json']);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({
      sizeBytes: 2 ** 40,
      geometry: '1G',
      structPages: 2 ** 28,
      structPagesInitialized: 1024 * 128,
      dataPages: 2048,
      pageTablePages: 8192,
      totalBytes: 40 * 2 ** 20,
      savedBytes: 16 * 2 ** 30 - 40 * 2 ** 20,
      onDevice: false,
    });
    expect(out.trim().split('\n')).toHaveLength(1);
  });
  it('--altmap reports the memmap on the device', () => {
    const doc = JSON.parse(run(['vmemmap', '--size', '128G', '--geometry', '2M', '--altmap', '--json']));
    expect(doc).toMatchObject({ onDevice: true, optimized: false, totalBytes: 2 * 2 ** 30, savedBytes: 0 });
  });
  it('prints an aligned table by default', () => {
    const out = run(['vmemmap', '--size', '1T', '--geometry', '2M']);
    expect(out).toMatch(/^vmemmap of 1T at 2M geometry/);
    expect(out).toMatch(/vmemmap data pages\s+1048576\s+4G/);
    expect(out).toMatch(/PTE table pages\s+8192\s+32M/);
    expect(out).toMatch(/total \(data \+ PTE\)\s+1056768\s+4128M/);
    // The pages column is right-aligned: every number ends where the header "pages" ends.
    const [, header, ...rows] = out.trimEnd().split('\n');
    const end = header.indexOf('pages') + 'pages'.length;
    for (const row of rows) {
      const m = /^(.*?\S)\s{2,}(\d+)/.exec(row);
      if (m) expect(row.indexOf(m[2], m[1].length) + m[2].length).toBe(end);
    }
  });
  it('rejects a bad --size naming the flag', () => {
    for (const size of ['lots', '--size=-1G', '1M', '0']) {
      const argv = size.startsWith('--') ? ['vmemmap', size, '--geometry', '4K'] : ['vmemmap', '--size', size, '--geometry', '4K'];
      expect(inputError(argv).field).toBe('--size');
    }
    expect(inputError(['vmemmap', '--size', '3M', '--geometry', '2M']).field).toBe('--size');
    expect(inputError(['vmemmap', '--size', '1536M', '--geometry', '1G']).rule).toMatch(/1G compound page/);
    expect(inputError(['vmemmap', '--geometry', '1G']).field).toBe('--size');
  });
  it('rejects a bad or missing --geometry naming the flag', () => {
    expect(inputError(['vmemmap', '--size', '1T', '--geometry', '16K']).field).toBe('--geometry');
    expect(inputError(['vmemmap', '--size', '1T']).field).toBe('--geometry');
  });
});
