import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/cli/info-commands.js';

describe('docs/scenario.schema.json', () => {
  it('is the schema `memmap-sim schema` prints (regenerate with: node bin/memmap-sim.js schema > docs/scenario.schema.json)', () => {
    const doc = JSON.parse(readFileSync(new URL('../../docs/scenario.schema.json', import.meta.url), 'utf8'));
    expect(doc).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
