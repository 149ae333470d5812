/**
 * I7 tail-reuse-before-populate keeps interval sets and folds the reports of
 * one event past the first few: the same counts and the same first examples
 * as the section-by-section check it replaces, at a cost that does not grow
 * with the sections of an event.
 */
import { pfnHex } from '../../src/model/pfn-hex.js';
import fc from 'fast-check';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TraceOf } from '../../src/model/trace-events.js';
import { vmemmapReuseOrder } from '../../src/observe/invariants/vmemmap-reuse-order.js';
import { aggregateIssues, type Issue, type IssueReport } from '../../src/observe/issues.js';
import { feed } from './helpers.js';

const PPS = 32768;
const SEED = 20261201;

/** The section-by-section check: a report per compound page, in population order. */
function reference(events: readonly TraceOf<'vmemmap.populate'>[]): Issue[] {
  const out: Issue[] = [];
  const populated = new Map<string, Set<number>>();
  const reported = new Map<string, Set<number>>();
  let before: TraceOf<'vmemmap.populate'> | undefined;
  for (const e of events) {
    const set = populated.get(e.namespace) ?? new Set<number>();
    populated.set(e.namespace, set);
    const seen = reported.get(e.namespace) ?? new Set<number>();
    reported.set(e.namespace, seen);
    const early = new Set(e.earlySections);
    for (let k = 0; k <= e.lastSection - e.firstSection; k++) {
      const s = e.order === 'ascending' ? e.firstSection + k : e.lastSection - k;
      const start = s * PPS;
      const head = Math.floor(start / e.compoundPfns) * e.compoundPfns;
      if (e.optimized && !early.has(s) && start % e.compoundPfns !== 0 && !set.has(s - 1) && !seen.has(head)) {
        seen.add(head);
        out.push({
          severity: 'violation',
          invariant: 'I7',
          kind: 'tail-reuse-before-populate',
          place: e.namespace,
          atNs: e.t,
          message:
            `${e.namespace}: section ${s} (pfns ${pfnHex(start)}..${pfnHex(start + PPS - 1)}) of compound page ${pfnHex(head)} reuses the tail vmemmap page of section ${s - 1}, ` +
            `which was not populated yet (${e.actor} populates ${e.order}): its PTEs map whatever the missing PTE points to (H15)`,
          pfns: [start, start + PPS],
          actors: [e.actor],
          history: before ? [before, e] : [e],
        });
      }
      set.add(s);
    }
    before = e;
  }
  return out;
}

function populate(
  t: number,
  firstSection: number,
  lastSection: number,
  order: 'ascending' | 'descending',
  perCompound: number,
  earlySections: number[] = [],
): TraceOf<'vmemmap.populate'> {
  return {
    type: 'vmemmap.populate',
    t,
    namespace: 'dax0',
    actor: `dax0/s${firstSection}-${lastSection}`,
    firstSection,
    lastSection,
    order,
    pagesPerSection: PPS,
    compoundPfns: perCompound * PPS,
    optimized: true,
    altmap: false,
    dataPages: 0,
    pageTablePages: 0,
    reuseSections: 0,
    earlySections,
    endsAt: t,
  };
}

function aggregate(issues: readonly Issue[]): IssueReport[] {
  let out: IssueReport[] = [];
  from(issues)
    .pipe(aggregateIssues())
    .subscribe((v) => (out = v));
  return out;
}

/** Section runs of a namespace, each populated whole in either order, in a random order of runs. */
const traceArb = fc
  .record({
    perCompound: fc.constantFrom(1, 2, 8),
    base: fc.nat({ max: 40 }),
    runs: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }),
    orders: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    perm: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    earlyEnds: fc.boolean(),
  })
  .map(({ perCompound, base, runs, orders, perm, earlyEnds }) => {
    const spans: [number, number][] = [];
    let at = base;
    for (const n of runs) {
      spans.push([at, at + n - 1]);
      at += n;
    }
    const order = spans.map((_, i) => i).sort((x, y) => (perm[x] % 7) - (perm[y] % 7) || x - y);
    const first = spans[0][0];
    const last = spans.at(-1)![1];
    return order.map((i, t) => {
      const [a, b] = spans[i];
      const early = earlyEnds ? [first, last].filter((s) => s >= a && s <= b) : [];
      return populate(t, a, b, orders[i] ? 'descending' : 'ascending', perCompound, early);
    });
  });

describe('I7 tail-reuse-before-populate on interval sets', () => {
  it('reports what the section-by-section check does: same count, same first examples', () => {
    fc.assert(
      fc.property(traceArb, (events) => {
        const want = aggregate(reference(events));
        const got = aggregate(feed(vmemmapReuseOrder(), events));
        expect(got).toEqual(want);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('a descending population of 33 million sections of 1 GiB compound pages: one count of 4 million pages, at most four reports', () => {
    const issues = feed(vmemmapReuseOrder(), [populate(0, 2048, 2048 + 2 ** 25 - 1, 'descending', 8)]);
    expect(issues.length).toBeLessThanOrEqual(4);
    expect(issues.reduce((n, i) => n + (i.weight ?? 1), 0)).toBe(2 ** 22);
  });
});
