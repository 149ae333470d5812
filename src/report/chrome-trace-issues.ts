import type { RunResult } from '../api/result.js';
import type { TraceEvent } from '../model/trace-events.js';
import type { Issue } from '../observe/issues.js';
import type { ChromeTrace, ChromeTraceEvent } from './chrome-trace.js';

const hex = (n: number) => `0x${n.toString(16)}`;
const PFN_KEY = /pfn$/i;

/** A trace event for `args`: pfn fields in hex, as dmesg and ftrace print them. */
export function hexPfns(e: TraceEvent | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) out[k] = PFN_KEY.test(k) && typeof v === 'number' ? hex(v) : v;
  return out;
}

function issueArgs(i: Issue, count: number): Record<string, unknown> {
  return {
    severity: i.severity,
    invariant: i.invariant,
    kind: i.kind,
    place: i.place,
    message: i.message,
    count,
    ...(i.pfns ? { pfns: `[${hex(i.pfns[0])}, ${hex(i.pfns[1])})` } : {}),
    ...(i.actors?.length ? { actors: i.actors } : {}),
    ...(i.pages === undefined ? {} : { pages: i.pages }),
    ...(i.history?.length ? { history: i.history.map(hexPfns) } : {}),
  };
}

/**
 * The trace with the run's violations and findings added as instant events
 * on an `issues` process (sorted first), one per kept example, with their
 * pfns (hex), actors and history in `args`. The checkers report at the end
 * of the run, so this is applied to the finished trace and its result.
 */
export function withIssues(trace: ChromeTrace, result: Pick<RunResult, 'violations' | 'findings'>): ChromeTrace {
  const reports = [...result.violations, ...result.findings];
  if (!reports.length) return trace;
  const pid = Math.max(0, ...trace.traceEvents.map((e) => e.pid)) + 1;
  const events: ChromeTraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid, tid: 0, args: { name: 'issues' } },
    { name: 'process_sort_index', ph: 'M', ts: 0, pid, tid: 0, args: { sort_index: -1 } },
    { name: 'thread_name', ph: 'M', ts: 0, pid, tid: 1, args: { name: 'issues' } },
    { name: 'thread_sort_index', ph: 'M', ts: 0, pid, tid: 1, args: { sort_index: 0 } },
  ];
  for (const r of reports) {
    for (const e of r.examples) {
      events.push({
        name: `${r.invariant} ${r.kind}`,
        cat: r.severity,
        ph: 'i',
        s: 't',
        ts: e.atNs / 1e3,
        pid,
        tid: 1,
        args: issueArgs(e, e === r.examples[0] ? r.count : (e.weight ?? 1)),
      });
    }
  }
  return { ...trace, traceEvents: [...trace.traceEvents, ...events] };
}
