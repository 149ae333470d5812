import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateStatecharts, STATECHARTS_DIR } from '../../bench/export-statecharts.js';
import { PACKAGE_ROOT } from '../../src/api/load-scenario.js';

const FIX = 'docs/statecharts/ is not current: run `npm run statecharts` and commit the result';

describe('docs/statecharts/ is what the machines generate', () => {
  it('every generated file is committed as generated, and no other chart is there', async () => {
    // From the sources, so the check holds before a build too.
    const files = await generateStatecharts(join(PACKAGE_ROOT, 'machines'));
    const differ = files.filter((f) => {
      const path = join(PACKAGE_ROOT, f.path);
      return !existsSync(path) || readFileSync(path, 'utf8') !== f.content;
    });
    expect(
      differ.map((f) => f.path),
      `${FIX} (these differ)`,
    ).toEqual([]);
    const generated = new Set(files.map((f) => f.path));
    const stale = readdirSync(join(PACKAGE_ROOT, STATECHARTS_DIR))
      .map((f) => `${STATECHARTS_DIR}/${f}`)
      .filter((f) => !generated.has(f));
    expect(stale, `${FIX} (these are no machine's)`).toEqual([]);
  });
});
