import type { ChromeTraceEvent } from './chrome-trace.js';

const byName = new Intl.Collator('en', { numeric: true }).compare;

/** Processes: issues first, then nodes, namespaces (in name order, pmem2 before pmem10), locks, channels. */
function processRank(name: string): number {
  if (name === 'issues') return 0;
  if (/^node\d+$/.test(name)) return 1;
  if (name === 'locks') return 3;
  if (name === 'channels') return 4;
  return 2;
}

/** Threads of a process: its phase track (probe, pgdatinit) first, then workers in order (w2 before w10), events last. */
function threadRank(name: string): number {
  if (name === 'probe' || name === 'pgdatinit' || name === 'issues') return 0;
  if (name === 'events') return 2;
  return 1;
}

/**
 * `process_sort_index` and `thread_sort_index` metadata for every process and
 * thread named in `events`, so that chrome://tracing lists the tracks in
 * node, namespace and worker order rather than by first appearance.
 */
export function sortIndexes(events: readonly ChromeTraceEvent[]): ChromeTraceEvent[] {
  const processes = events.filter((e) => e.ph === 'M' && e.name === 'process_name');
  const threads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name');
  const name = (e: ChromeTraceEvent) => String(e.args?.name);
  const out: ChromeTraceEvent[] = [];
  [...processes]
    .sort((a, b) => processRank(name(a)) - processRank(name(b)) || byName(name(a), name(b)))
    .forEach((p, i) => out.push({ name: 'process_sort_index', ph: 'M', ts: 0, pid: p.pid, tid: 0, args: { sort_index: i } }));
  [...threads]
    .sort((a, b) => a.pid - b.pid || threadRank(name(a)) - threadRank(name(b)) || byName(name(a), name(b)))
    .forEach((t, i) => out.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: t.pid, tid: t.tid, args: { sort_index: i } }));
  return out;
}
