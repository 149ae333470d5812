import { afterAll, describe, expect, it } from 'vitest';
import { answer, badInputs } from '../../bench/bad-inputs.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const dir = tmp.file('.keep', '').replace(/\/\.keep$/, '');
const table = badInputs(dir);

/** What zod or Node say on their own: an answer must be a rule a user can act on instead. */
const RAW = /Invalid input|Unrecognized key|Invalid string|at Object\.|TypeError|undefined/;

describe('bad inputs: every one is refused with exit code 2 and one line naming the field and the rule', () => {
  it('the table holds at least 100 bad inputs', () => {
    expect(table.length).toBeGreaterThanOrEqual(100);
  });

  it.each(table.map((c) => [c[0], c] as const))('%s', async (_what, [, argv, field]) => {
    const a = await answer(argv());
    expect(a.code).toBe(2);
    expect(a.out).toBe('');
    expect(a.lines).toHaveLength(1);
    const [line] = a.lines;
    expect(line.startsWith('memmap-sim: ')).toBe(true);
    expect(line).toContain(field);
    // The rule follows the field: more than the field alone, and not a raw library message.
    expect(line.length).toBeGreaterThan(`memmap-sim: ${field}: `.length + 8);
    expect(line).not.toMatch(RAW);
  });
});
