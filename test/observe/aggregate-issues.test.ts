import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_KEPT, aggregateIssues, type Issue, type IssueReport } from '../../src/observe/issues.js';

function issue(n: number, over: Partial<Issue> = {}): Issue {
  return {
    severity: 'violation',
    invariant: 'I3',
    kind: 'double-init',
    place: 'pmem0',
    atNs: n,
    message: `occurrence ${n}`,
    pfns: [n, n + 1],
    ...over,
  };
}

/** A synchronous source that calls next() `count` times, building each issue on the fly. */
function burst(count: number, make: (i: number) => Issue): Observable<Issue> {
  return new Observable<Issue>((sub) => {
    for (let i = 0; i < count && !sub.closed; i++) sub.next(make(i));
    sub.complete();
  });
}

function collect(source: Observable<Issue>): IssueReport[][] {
  const out: IssueReport[][] = [];
  source.pipe(aggregateIssues()).subscribe((v) => out.push(v));
  return out;
}

describe('aggregateIssues', () => {
  it('keeps 3 examples', () => {
    expect(EXAMPLES_KEPT).toBe(3);
  });

  it('a million occurrences of one kind at one place are one report with a count and the first 3 examples', () => {
    const started = performance.now();
    const emitted = collect(burst(1_000_000, (i) => issue(i)));
    const elapsed = performance.now() - started;
    expect(emitted).toHaveLength(1);
    const reports = emitted[0];
    expect(reports).toHaveLength(1);
    const r = reports[0];
    expect(r.count).toBe(1_000_000);
    expect(r.examples).toHaveLength(3);
    expect(r.examples.map((e) => e.atNs)).toEqual([0, 1, 2]);
    // The report is the first occurrence, plus count and examples.
    expect(r).toMatchObject(issue(0));
    expect(elapsed).toBeLessThan(5_000);
  });

  it('separates kinds, places and severities, in order of first occurrence, each counted and capped', () => {
    const places = ['pmem0', 'pmem1', 'pmem2'];
    const kinds = ['double-init', 'missed-pages'];
    const reports = collect(
      burst(300_000, (i) =>
        issue(i, {
          place: places[i % 3],
          kind: kinds[Math.floor(i / 3) % 2],
          severity: i % 7 === 0 ? 'finding' : 'violation',
        }),
      ),
    )[0];
    const keyOf = (r: Issue) => `${r.severity}|${r.kind}|${r.place}`;
    // Expected counts from a naive tally.
    const expected = new Map<string, number>();
    for (let i = 0; i < 300_000; i++) {
      const k = `${i % 7 === 0 ? 'finding' : 'violation'}|${kinds[Math.floor(i / 3) % 2]}|${places[i % 3]}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    expect(reports.map(keyOf)).toEqual([...expected.keys()]);
    expect(reports.map((r) => r.count)).toEqual([...expected.values()]);
    for (const r of reports) {
      expect(r.examples.length).toBe(3);
      for (const e of r.examples) expect(keyOf(e)).toBe(keyOf(r));
      expect(r.examples[0].atNs).toBe(r.atNs);
      expect(r.examples[1].atNs).toBeGreaterThan(r.examples[0].atNs);
    }
  });

  it('a single occurrence is reported with count 1 and itself as the only example', () => {
    const single = issue(5);
    const [reports] = collect(burst(1, () => single));
    expect(reports).toEqual([{ ...single, count: 1, examples: [single] }]);
  });

  it('no occurrences gives one empty list', () => {
    expect(collect(burst(0, issue))).toEqual([[]]);
  });
});

describe('aggregateIssues in virtual time (marbles)', () => {
  const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

  it('emits nothing until the source completes, then one list and completes', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const a = issue(1, { place: 'a' });
      const b = issue(2, { place: 'b' });
      const a2 = issue(3, { place: 'a' });
      const source = cold<Issue>('-a-b-c--|', { a, b, c: a2 });
      expectObservable(source.pipe(aggregateIssues())).toBe('--------(x|)', {
        x: [
          { ...a, count: 2, examples: [a, a2] },
          { ...b, count: 1, examples: [b] },
        ],
      });
    });
  });

  it('passes an error through without a report', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<Issue>('-a-#', { a: issue(1) }, new Error('boom'));
      expectObservable(source.pipe(aggregateIssues())).toBe('---#', undefined, new Error('boom'));
    });
  });

  it('each subscription aggregates on its own', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const a = issue(1);
      const agg = cold<Issue>('a|', { a }).pipe(aggregateIssues());
      expectObservable(agg).toBe('-(x|)', { x: [{ ...a, count: 1, examples: [a] }] });
      expectObservable(agg).toBe('-(x|)', { x: [{ ...a, count: 1, examples: [a] }] });
    });
  });
});
