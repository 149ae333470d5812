import { pfnHex } from '../../model/pfn-hex.js';
import type { TraceOf } from '../../model/trace-events.js';
import { checker, type Checker, type Issue } from '../issues.js';

type Step = TraceOf<'compound.init'>;

/**
 * I7 and I1 for compound pages in memmap_init_zone_device (hazard H14).
 *
 * - I7 `compound-split`: a compound page is never split between workers. A
 *   step that starts or ends inside a compound page covers it only in part;
 *   two different workers covering parts of one compound page is a split.
 * - I1 `compound-head-before-tail`: prep_compound_head writes the head's
 *   metadata into the first tail struct page, so it must come after that tail
 *   is initialized (memmap_init_compound does it at pfn == head + 1). A step
 *   that sets up a head it does not own (`foreignHeadSetup`) does it when it
 *   starts; the step that initializes the first tail must have ended by then.
 *
 * Steps are ranges: O(1) work per step, a scan over a namespace's steps only
 * for the rare foreign set-ups.
 */
export function compoundOrder(): Checker {
  return checker(['compound.init'], () => {
    const partial = new Map<string, Map<number, Step>>();
    const steps = new Map<string, Step[]>();
    const pending = new Map<string, Step[]>();
    const covers = (s: Step, pfn: number) => s.startPfn <= pfn && pfn < s.endPfn;

    const headBeforeTail = (setup: Step, tail: Step, report: (i: Issue) => void) => {
      const head = setup.foreignHeadSetup!;
      report({
        severity: 'violation',
        invariant: 'I1',
        kind: 'compound-head-before-tail',
        place: setup.namespace,
        atNs: setup.startedAt,
        message:
          `${setup.namespace}: ${setup.worker} set up the head of compound page ${pfnHex(head)} (prep_compound_head) at ${Math.round(setup.startedAt)} ns, ` +
          `but its first tail (pfn ${pfnHex(head + 1)}) was initialized by ${tail.worker} only in [${Math.round(tail.startedAt)}, ${Math.round(tail.t)}] ns: the tail init clobbers the head metadata (H14)`,
        pfns: [head + 1, head + 2],
        actors: [setup.worker, tail.worker],
        history: [setup, tail],
      });
    };

    return {
      next(e, report) {
        if (e.type !== 'compound.init') return;
        const n = e.compoundPfns;
        let m = partial.get(e.namespace);
        if (!m) partial.set(e.namespace, (m = new Map()));
        const heads = new Set<number>();
        if (e.startPfn % n) heads.add(Math.floor(e.startPfn / n) * n);
        if (e.endPfn % n) heads.add(Math.floor(e.endPfn / n) * n);
        for (const h of heads) {
          const prev = m.get(h);
          if (!prev) m.set(h, e);
          else if (prev.worker !== e.worker) {
            report({
              severity: 'violation',
              invariant: 'I7',
              kind: 'compound-split',
              place: e.namespace,
              atNs: e.t,
              message: `${e.namespace}: compound page ${pfnHex(h)}..${pfnHex(h + n - 1)} is split between ${prev.worker} (pfns ${pfnHex(Math.max(h, prev.startPfn))}..) and ${e.worker} (pfns ${pfnHex(Math.max(h, e.startPfn))}..)`,
              pfns: [h, h + n],
              actors: [prev.worker, e.worker],
              history: [prev, e],
            });
          }
        }

        let list = steps.get(e.namespace);
        if (!list) steps.set(e.namespace, (list = []));
        // A new step may initialize the first tail a foreign set-up is waiting for.
        const waiting = pending.get(e.namespace);
        if (waiting) {
          const still = waiting.filter((p) => {
            if (!covers(e, p.foreignHeadSetup! + 1)) return true;
            if (e.t > p.startedAt) headBeforeTail(p, e, report);
            return false;
          });
          pending.set(e.namespace, still);
        }
        if (e.foreignHeadSetup !== undefined) {
          const tail = e.foreignHeadSetup + 1;
          const owner = covers(e, tail) ? e : list.find((s) => covers(s, tail));
          if (owner === e) {
            // Its own tail: initialized in the same pass, after the set-up at the step's start.
            if (e.startPfn > e.foreignHeadSetup) headBeforeTail(e, e, report);
          } else if (owner) {
            if (owner.t > e.startedAt) headBeforeTail(e, owner, report);
          } else {
            let p = pending.get(e.namespace);
            if (!p) pending.set(e.namespace, (p = []));
            p.push(e);
          }
        }
        list.push(e);
      },
      complete(report) {
        for (const [ns, list] of pending) {
          for (const p of list) {
            report({
              severity: 'violation',
              invariant: 'I1',
              kind: 'compound-head-before-tail',
              place: ns,
              atNs: p.startedAt,
              message: `${ns}: ${p.worker} set up the head of compound page ${pfnHex(p.foreignHeadSetup!)} but its first tail was never initialized`,
              pfns: [p.foreignHeadSetup! + 1, p.foreignHeadSetup! + 2],
              actors: [p.worker],
              history: [p],
            });
          }
        }
      },
    };
  });
}
