import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/api/load-scenario.js';

/** Which layers each layer may import from (docs/architecture.md, "Layers"). */
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  sim: ['model'],
  machines: ['model', 'sim'],
  observe: ['model', 'sim'],
  // The checker draws its machines from the testing layer's generators.
  api: ['model', 'sim', 'machines', 'observe', 'testing'],
  report: ['api', 'observe', 'model', 'sim'],
  cli: ['report', 'api', 'model', 'observe', 'sim', 'testing'],
  testing: ['api', 'model', 'observe'],
};

function layerOf(file: string): string | null {
  if (file.startsWith('machines/')) return 'machines';
  const m = /^src\/([a-z]+)\//.exec(file);
  return m && m[1] in ALLOWED ? m[1] : null;
}

function sources(dir: string): string[] {
  return readdirSync(join(PACKAGE_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    relative(PACKAGE_ROOT, normalize(join(PACKAGE_ROOT, dirname(file), m[1]))),
  );
}

describe('layers: each imports only from the layers below it', () => {
  const files = [...sources('src'), ...sources('machines')];

  it('finds the layers', () => {
    expect(new Set(files.map(layerOf).filter(Boolean))).toEqual(new Set(Object.keys(ALLOWED)));
  });

  it('no file imports from a layer it may not use', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const from = layerOf(f);
      if (!from) continue;
      for (const target of importsOf(f)) {
        const to = layerOf(target);
        if (to && to !== from && !ALLOWED[from].includes(to)) wrong.push(`${f} (${from}) imports ${target} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
