import type { Observable } from 'rxjs';
import type { KernelConstants } from '../model/constants.js';
import type { TraceEvent } from '../model/trace-events.js';
import { allChecks } from '../observe/checks.js';
import type { ChoicePoint } from '../sim/tie-chooser.js';

/**
 * What exhaustive exploration counts as "the same state" at a choice point:
 * - the multiset of trace events so far (what the checkers have been told),
 *   with their times, so two orders of commuting events meet again;
 * - the multiset of violations reported so far, so an order that broke an
 *   invariant never merges with one that did not;
 * - the multiset of pending timers (time, priority, actor:event).
 * Each multiset is a sum of 64-bit hashes (two 32-bit FNV-1a lanes) and a count.
 * Metric-only events (channel rates) are left out. Actor state that shows in
 * none of these is assumed to follow from them.
 */
export class StateDigest {
  private traceA = 0;
  private traceB = 0;
  private traceN = 0;
  private verdictA = 0;
  private verdictB = 0;

  attach(trace$: Observable<TraceEvent>, constants: KernelConstants): void {
    trace$.subscribe((e) => {
      if (e.type === 'channel.rate') return;
      const s = JSON.stringify(e);
      this.traceA = (this.traceA + fnv(s, LANE_A)) >>> 0;
      this.traceB = (this.traceB + fnv(s, LANE_B)) >>> 0;
      this.traceN++;
    });
    allChecks(trace$, constants).subscribe((issue) => {
      if (issue.severity !== 'violation') return;
      const s = `${issue.invariant}|${issue.kind}|${issue.place}|${issue.pfns?.join('-') ?? ''}`;
      this.verdictA = (this.verdictA + fnv(s, LANE_A)) >>> 0;
      this.verdictB = (this.verdictB + fnv(s, LANE_B)) >>> 0;
    });
  }

  /** The trace and verdict parts. */
  key(): string {
    return `${this.traceA.toString(36)}.${this.traceB.toString(36)}.${this.traceN}|${this.verdictA.toString(36)}.${this.verdictB.toString(36)}`;
  }
}

/** The digest at a choice point: trace and verdicts so far, and every pending timer. */
export function digestPoint(digest: StateDigest, point: ChoicePoint): string {
  let a = 0;
  let b = 0;
  const pending = [...point.candidates, ...point.pending()];
  for (const e of pending) {
    const s = `${e.time}|${e.priority}|${e.label?.actor ?? ''}:${e.label?.event ?? ''}`;
    a = (a + fnv(s, LANE_A)) >>> 0;
    b = (b + fnv(s, LANE_B)) >>> 0;
  }
  return `${digest.key()}|${a.toString(36)}.${b.toString(36)}.${pending.length}`;
}

const LANE_A = 0x811c9dc5;
const LANE_B = 0x01000193 ^ 0x5bd1e995;

/** 32-bit FNV-1a of a string's UTF-16 code units, from a given offset basis. */
function fnv(s: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A final avalanche, so sums of near-equal strings do not cancel.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}
