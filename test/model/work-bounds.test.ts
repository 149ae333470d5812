import { afterAll, describe, expect, it } from 'vitest';
import { PARAM_NAMES } from '../../src/model/profile.js';
import { PROFILES, resolveProfile } from '../../src/model/profiles/index.js';
import { DEFAULT_PARAMS } from '../../src/model/profiles/defaults.js';
import { PARAM_RANGES } from '../../src/model/profiles/ranges.js';
import { readFileSync } from 'node:fs';
import { refused, tempDir } from '../cli/helpers.js';

const doc = readFileSync(new URL('../../docs/profiles.md', import.meta.url), 'utf8');
const rangesSection = doc.slice(doc.indexOf('## Ranges'));

describe('every profile parameter has a physical range', () => {
  it.each(PARAM_NAMES)('%s: its default and every named profile lie inside it, and docs/profiles.md states it', (name) => {
    const r = PARAM_RANGES[name];
    expect(r.min).toBeLessThan(r.max);
    expect(DEFAULT_PARAMS[name].value).toBeGreaterThanOrEqual(r.min);
    expect(DEFAULT_PARAMS[name].value).toBeLessThanOrEqual(r.max);
    for (const p of PROFILES.values()) {
      const v = resolveProfile(p.name).params[name].value;
      expect(v, `${p.name}.${name}`).toBeGreaterThanOrEqual(r.min);
      expect(v, `${p.name}.${name}`).toBeLessThanOrEqual(r.max);
    }
    expect(rangesSection).toContain(`| \`${name}\` |`);
  });

  it.each([
    ['pmemWriteGBs', 1e-300],
    ['dramWriteGBs', 0],
    ['hotplugLockWriteNs', 1e30],
    ['pageInitNs', -1],
    ['smtFactor', 0],
    ['restOfBootMs', 1e308],
    ['l2Bytes', Number.NaN],
  ])('refuses %s = %d, naming the parameter and its range', (name, value) => {
    expect(() => resolveProfile({ base: 'pmem-2018', params: { [name]: value } })).toThrow(
      expect.objectContaining({ field: `profile.params.${name}`, rule: expect.stringMatching(/^must be a number in \[/) }),
    );
  });
});

describe('inputs that would need unbounded work are refused before the run (exit 2)', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const node = { id: 0, cores: 4, dram: [{ start: '4G', size: '4G' }] };

  it('--threads 100000 under async8', async () => {
    await refused(['run', 'seed000-pmem-128g', '--strategy', 'async8', '--threads', '100000'], '--threads', /at most 1024/);
  });

  it('a node of a million cores', async () => {
    const f = dir.file('cores.json', { nodes: [{ ...node, cores: 1_000_000 }], namespaces: [{ name: 'p', node: 0, size: '1G' }] });
    await refused(['run', f], 'nodes[0].cores', /at most 1024/);
  });

  it('more CPUs per node than cores × threadsPerCore allows', async () => {
    const f = dir.file('smt.json', { nodes: [{ ...node, cores: 600, threadsPerCore: 2 }], namespaces: [{ name: 'p', node: 0, size: '1G' }] });
    await refused(['run', f], 'nodes[0].threadsPerCore', /1024 CPUs per node/);
  });

  it('a profile with pmemWriteGBs 1e-300 and one with hotplugLockWriteNs 1e30', async () => {
    await refused(
      ['run', 'seed000-pmem-128g', '--json', '--profile', dir.file('slow.json', { params: { pmemWriteGBs: 1e-300 } })],
      '--profile.params.pmemWriteGBs',
      /\[0\.01, 1000\] GB\/s/,
    );
    await refused(
      ['run', 'seed000-pmem-128g', '--profile', dir.file('lock.json', { params: { hotplugLockWriteNs: 1e30 } })],
      '--profile.params.hotplugLockWriteNs',
    );
  });

  it('a threads field in the scenario beyond the bound names the field', async () => {
    const f = dir.file('threads.json', { strategy: 'async8', threads: 5000, nodes: [node], namespaces: [{ name: 'p', node: 0, size: '1G' }] });
    await refused(['run', f], 'threads', /at most 1024/);
  });
});

describe('sweep thread lists are bounded before they are expanded', () => {
  it('refuses a range past the thread bound', async () => {
    await refused(['sweep', 'seed003-skylake-768g', '--threads', '1-1000000000'], '--threads', /at most 1024/);
  });
});
