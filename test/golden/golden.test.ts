import { describe, expect, it } from 'vitest';
import { builtinCases, campaignCases, firstDifference, goldenLine, readGolden } from '../../bench/golden.js';

/**
 * Every built-in scenario x strategy x geometry, and 1,200 generated runs,
 * give the results and traces recorded in test/golden/golden.jsonl.gz. A
 * change of results made on purpose records the file again
 * (`node dist/bench/golden.js --write`) and says why in its commit.
 */
describe('golden results', () => {
  const golden = readGolden();
  const cases = [...builtinCases(), ...campaignCases()];

  it('covers every built-in case and the whole campaign', () => {
    expect(cases.length).toBeGreaterThanOrEqual(1300);
    expect(cases.map((c) => c.key).sort()).toEqual([...golden.keys()].sort());
  });

  it('every run gives byte-identical result JSON and trace', () => {
    const differ: string[] = [];
    for (const c of cases) {
      const got = goldenLine(c);
      const want = golden.get(c.key)!;
      if (got.result !== want.result) differ.push(`${c.key}: result ${want.result.startsWith('{') && got.result.startsWith('{') ? firstDifference(JSON.parse(want.result), JSON.parse(got.result)) : 'differs'}`);
      else if (got.trace !== want.trace) differ.push(`${c.key}: trace (${want.events} -> ${got.events} events)`);
    }
    expect(differ.slice(0, 20)).toEqual([]);
  }, 300_000);
});
