import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as root from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import * as machines from '../../machines/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const API = readFileSync(resolve(ROOT, 'docs/api.md'), 'utf8');

/** The names an entry file exports: `export { a, type B }`, `export type { C }`, `export const D`. */
function exportedNames(file: string): { values: string[]; types: string[] } {
  const text = readFileSync(resolve(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const values: string[] = [];
  const types: string[] = [];
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const raw of m[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const isType = m[1] !== undefined || raw.startsWith('type ');
      const name = raw
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!;
      (isType ? types : values).push(name);
    }
  }
  for (const m of text.matchAll(/export\s+(?:const|function|class)\s+(\w+)/g)) values.push(m[1]);
  return { values, types };
}

const ENTRIES = [
  { name: 'memmap-sim', file: 'src/index.ts', module: root as Record<string, unknown> },
  { name: 'memmap-sim/testing', file: 'src/testing/index.ts', module: testing as Record<string, unknown> },
  { name: 'memmap-sim/machines', file: 'machines/index.ts', module: machines as Record<string, unknown> },
];

describe('docs/api.md keeps step with the exports', () => {
  for (const entry of ENTRIES) {
    it(`names every export of ${entry.name}`, () => {
      const { values, types } = exportedNames(entry.file);
      // The parse of the entry file finds exactly what the module exports at run time.
      expect([...values].sort()).toEqual(Object.keys(entry.module).sort());
      const missing = [...values, ...types].filter((n) => !API.includes(`\`${n}\``) && !API.includes(`\`${n}(`) && !API.includes(`\`${n}<`));
      expect(missing, `exports of ${entry.name} not in docs/api.md`).toEqual([]);
    });
  }

  it('says STRATEGIES is a Map, and documents the boot checkers and lockDeadlock', () => {
    expect(root.STRATEGIES).toBeInstanceOf(Map);
    expect(API).toMatch(/`STRATEGIES` \| `ReadonlyMap<string, Strategy>`/);
    for (const n of ['lockDeadlock', 'buddyReadsInitialized', 'deferredComplete']) expect(API).toContain(`\`${n}()\``);
  });
});
