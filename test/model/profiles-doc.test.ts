import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARAM_NAMES } from '../../src/model/profile.js';
import { PROFILES } from '../../src/model/profiles/index.js';
import { DEFAULT_PARAMS } from '../../src/model/profiles/defaults.js';

const doc = readFileSync(new URL('../../docs/profiles.md', import.meta.url), 'utf8');

describe('every profile number carries its provenance, in code and in docs/profiles.md', () => {
  it.each(PARAM_NAMES)('%s has a default with a unit, a provenance and a source, and is documented', (name) => {
    const p = DEFAULT_PARAMS[name];
    expect(p.unit.length).toBeGreaterThan(0);
    expect(['measured', 'fitted', 'default']).toContain(p.provenance);
    expect(p.source.length).toBeGreaterThan(20);
    expect(doc).toContain(`\`${name}\``);
  });

  it.each([...PROFILES.values()].map((p) => [p.name, p] as const))(
    'profile %s: every parameter it sets says where it comes from, and has its own section',
    (name, profile) => {
      for (const [param, value] of Object.entries(profile.params)) {
        expect(PARAM_NAMES, param).toContain(param);
        expect(value!.source.length, `${name}.${param}`).toBeGreaterThan(20);
        expect(['measured', 'fitted', 'default'], `${name}.${param}`).toContain(value!.provenance);
      }
      expect(doc).toContain(`## ${name}`);
    },
  );
});
