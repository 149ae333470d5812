import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process, capturing what it writes to stdout and stderr. */
export async function cli(argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** A temporary folder under os.tmpdir() for scenario files; remove() cleans it up. */
export function tempDir(): { file(name: string, content: string | object): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-sim-test-'));
  return {
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The one document on stdout: asserts it is a single line of JSON followed by a newline. */
export function singleJson(out: string): unknown {
  if (!out.endsWith('\n')) throw new Error('stdout does not end with a newline');
  const body = out.slice(0, -1);
  if (body.includes('\n')) throw new Error(`stdout has ${out.split('\n').length - 1} lines, expected one JSON document`);
  return JSON.parse(body);
}

/**
 * Every refusal: exit code 2, nothing on stdout, exactly one line on stderr
 * that names the field (and, when given, matches the rule).
 */
export async function refused(argv: string[], field: string, rule?: RegExp): Promise<string> {
  const r = await cli(argv);
  expect(r.code, `exit code for ${argv.join(' ')}`).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  const lines = r.err.slice(0, -1).split('\n');
  expect(lines, `stderr: ${r.err}`).toHaveLength(1);
  expect(lines[0]).toContain(field);
  if (rule) expect(lines[0]).toMatch(rule);
  return lines[0];
}
