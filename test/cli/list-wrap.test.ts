import { afterEach, describe, expect, it, vi } from 'vitest';
import { listScenarios } from '../../src/api/load-scenario.js';
import { STRATEGIES } from '../../src/model/strategies.js';
import { wrapWords } from '../../src/cli/wrap-table.js';
import { cli } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

describe('list wraps descriptions to the width', () => {
  it.each([60, 100, 140])('at --width %i every line fits and no word is lost', async (width) => {
    const r = await cli(['list', '--width', String(width)]);
    expect(r.code).toBe(0);
    for (const line of r.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    const words = r.out.split(/\s+/).join(' ');
    for (const s of listScenarios()) expect(words).toContain(s.description.split(/\s+/).join(' '));
    for (const s of STRATEGIES.values()) expect(words).toContain(s.summary.split(/\s+/).join(' '));
  });

  it('continuation lines start under the description column', async () => {
    const r = await cli(['list', '--width', '80']);
    const lines = r.out.split('\n');
    const first = lines.findIndex((l) => l.startsWith('seed000-pmem-128g'));
    const column = lines[first].indexOf('Seed 000');
    expect(lines[first + 1].slice(0, column).trim()).toBe('');
    expect(lines[first + 1][column]).not.toBe(' ');
  });

  it('--width 0 keeps one line per row; a bad width is refused', async () => {
    const r = await cli(['list', '--width', '0']);
    expect(r.out.split('\n').filter((l) => l.startsWith('seed00')).length).toBe(listScenarios().length);
    expect(r.out).toContain(listScenarios()[0].description);
    const bad = await cli(['list', '--width', 'wide']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--width');
  });

  it('a word longer than the width gets a line of its own', () => {
    expect(wrapWords('a bb ' + 'x'.repeat(30) + ' cc', 10)).toEqual(['a bb', 'x'.repeat(30), 'cc']);
  });
});
