import { initPlace } from '../model/trace-events.js';
import { Observable, type OperatorFunction } from 'rxjs';
import type { InitWork, TraceEvent } from '../model/trace-events.js';
import { hexPfns } from './chrome-trace-issues.js';
import { sortIndexes } from './chrome-trace-tracks.js';

export { withIssues } from './chrome-trace-issues.js';

/**
 * The Chrome trace event format (chrome://tracing, ui.perfetto.dev): workers
 * as threads (one process per namespace or node), lock holds and probe steps
 * as spans on their own tracks, channel bandwidth as counters. Times are in
 * microseconds of simulated time.
 */
export interface ChromeTraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'C' | 'M' | 'i' | 's' | 'f';
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  readonly s?: 'g' | 'p' | 't';
  /** Flow events: the id an 's' and its 'f' share, and 'e' to bind the 'f' to its enclosing slice. */
  readonly id?: number;
  readonly bp?: 'e';
  readonly args?: Record<string, unknown>;
}

export interface ChromeTrace {
  readonly traceEvents: ChromeTraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Record<string, unknown>;
}

const us = (ns: number) => ns / 1e3;
const hex = (n: number) => `0x${n.toString(16)}`;

/** The kernel function each kind of worker step stands for (docs/model.md, docs/boot.md). */
const KERNEL_STEP: Record<InitWork, string> = { full: 'memmap_init_zone_device', hosting: 'memmap_init_range', pgmap: 'devm_memremap_pages' };
const LOCK_KERNEL = { write: 'percpu_down_write', read: 'percpu_down_read' } as const;

/**
 * A flow arrow from one slice to another: an 's' and an 'f' sharing an id,
 * each placed inside its slice (mid-way; an instant's own time) so that
 * viewers bind them to it.
 */
function flow(id: number, name: string, from: ChromeTraceEvent, to: ChromeTraceEvent): ChromeTraceEvent[] {
  const mid = (e: ChromeTraceEvent) => e.ts + (e.dur ?? 0) / 2;
  return [
    { name, cat: 'flow', ph: 's', id, ts: mid(from), pid: from.pid, tid: from.tid },
    { name, cat: 'flow', ph: 'f', bp: 'e', id, ts: mid(to), pid: to.pid, tid: to.tid },
  ];
}

/** Collects the run's trace into one Chrome trace document at completion. */
export function chromeTrace(meta: Record<string, unknown> = {}): OperatorFunction<TraceEvent, ChromeTrace> {
  return (source) =>
    new Observable((sub) => {
      const out: ChromeTraceEvent[] = [];
      const pids = new Map<string, number>();
      const tids = new Map<string, number>();
      const pid = (name: string) => {
        let p = pids.get(name);
        if (p === undefined) {
          pids.set(name, (p = pids.size + 1));
          out.push({ name: 'process_name', ph: 'M', ts: 0, pid: p, tid: 0, args: { name } });
        }
        return p;
      };
      const tid = (process: string, thread: string) => {
        const key = `${process}|${thread}`;
        let t = tids.get(key);
        if (t === undefined) {
          tids.set(key, (t = tids.size + 1));
          out.push({ name: 'thread_name', ph: 'M', ts: 0, pid: pid(process), tid: t, args: { name: thread } });
        }
        return t;
      };
      const lockFrom = new Map<string, { t: number; mode: 'write' | 'read'; after?: ChromeTraceEvent }>();
      const lastHold = new Map<string, ChromeTraceEvent>();
      const published = new Map<string, ChromeTraceEvent>();
      const stepFrom = new Map<string, { t: number; what: string }>();
      const probed = new Set<string>();
      let flows = 0;
      const x = (e: Omit<ChromeTraceEvent, 'ph'>): ChromeTraceEvent => {
        const ev: ChromeTraceEvent = { ...e, ph: 'X' };
        out.push(ev);
        return ev;
      };
      const span = (key: string, what: string, t: number) => stepFrom.set(key, { t, what });
      const close = (key: string, t: number, cat: string, proc: string, thread: string, args?: Record<string, unknown>) => {
        const from = stepFrom.get(key);
        if (from) x({ name: from.what, cat, ts: us(from.t), dur: us(t - from.t), pid: pid(proc), tid: tid(proc, thread), ...(args ? { args } : {}) });
        stepFrom.delete(key);
      };
      return source.subscribe({
        next(e) {
          switch (e.type) {
            case 'probe.start':
              probed.add(e.namespace);
              break;
            case 'pages.init':
              x({
                name: `${e.work} ${e.endPfn - e.startPfn} pages`,
                cat: 'init',
                ts: us(e.startedAt),
                dur: us(e.t - e.startedAt),
                pid: pid(initPlace(e)),
                tid: tid(initPlace(e), e.worker),
                args: {
                  kernel: probed.has(initPlace(e)) ? KERNEL_STEP[e.work] : 'deferred_init_maxorder',
                  startPfn: hex(e.startPfn),
                  endPfn: hex(e.endPfn),
                  pages: e.endPfn - e.startPfn,
                  pass: e.pass,
                },
              });
              break;
            case 'lock.acquired': {
              const track = { pid: pid('locks'), tid: tid('locks', `${e.lock} ${e.holder}`) };
              // A wait is a slice before the hold, and the holder that released last handed the lock over.
              if (e.waitNs > 0)
                x({
                  name: `wait for ${e.lock} (${e.mode})`,
                  cat: 'lock-wait',
                  ts: us(e.t - e.waitNs),
                  dur: us(e.waitNs),
                  ...track,
                  args: { kernel: LOCK_KERNEL[e.mode], holder: e.holder },
                });
              lockFrom.set(`${e.lock}|${e.holder}`, { t: e.t, mode: e.mode, after: e.waitNs > 0 ? lastHold.get(e.lock) : undefined });
              break;
            }
            case 'lock.released': {
              const from = lockFrom.get(`${e.lock}|${e.holder}`);
              if (!from) break;
              const hold = x({
                name: `${e.holder} (${from.mode})`,
                cat: 'lock',
                ts: us(from.t),
                dur: us(e.t - from.t),
                pid: pid('locks'),
                tid: tid('locks', `${e.lock} ${e.holder}`),
                args: { kernel: LOCK_KERNEL[from.mode] },
              });
              if (from.after) out.push(...flow(++flows, `${e.lock} hand-off`, from.after, hold));
              lastHold.set(e.lock, hold);
              break;
            }
            case 'section.activate':
              span(`section|${e.actor}`, `sparse_add_section ${e.firstSection}-${e.lastSection}`, e.t);
              break;
            case 'section.ready':
              close(`section|${e.actor}`, e.t, 'section', e.namespace, e.actor.startsWith(`${e.namespace}/`) ? e.actor : `${e.namespace}/${e.actor}`, {
                kernel: 'sparse_add_section',
              });
              break;
            case 'init.start':
              span(`${e.namespace}|${e.pass}|${e.work}`, `pass ${e.pass} ${e.work} (${e.threads} threads${e.lockMode ? `, ${e.lockMode} lock` : ''})`, e.t);
              break;
            case 'init.end':
              close(`${e.namespace}|${e.pass}|${e.work}`, e.t, 'probe', e.namespace, 'probe', { kernel: KERNEL_STEP[e.work] });
              break;
            case 'deferred.start':
              span(`node${e.node}|deferred`, `deferred init (${e.maxThreads} max threads)`, e.t);
              break;
            case 'deferred.end':
              close(`node${e.node}|deferred`, e.t, 'boot', `node${e.node}`, 'pgdatinit', { kernel: 'deferred_init_memmap' });
              break;
            case 'padata.start':
              span(`padata|${e.node}|${e.job}`, `padata_do_multithreaded ${e.job} (${e.nworks} works)`, e.t);
              break;
            case 'padata.end':
              close(`padata|${e.node}|${e.job}`, e.t, 'padata', `node${e.node}`, 'pgdatinit', { kernel: 'padata_do_multithreaded', chunks: e.chunks });
              break;
            case 'channel.rate':
              out.push({
                name: e.channel,
                cat: 'bandwidth',
                ph: 'C',
                ts: us(e.t),
                pid: pid('channels'),
                tid: 0,
                args: { 'GB/s': e.bytesPerNs, flows: e.flows },
              });
              break;
            case 'zone.resize':
            case 'namespace.published':
            case 'grow.end':
            case 'buddy.uninit-read':
            case 'buddy.partial-free':
            case 'dax.access': {
              const where = 'namespace' in e ? e.namespace : 'node' in e ? `node${e.node}` : e.by;
              const name = e.type === 'zone.resize' ? 'move_pfn_range_to_zone' : e.type;
              const ev: ChromeTraceEvent = { name, cat: 'event', ph: 'i', s: 't', ts: us(e.t), pid: pid(where), tid: tid(where, 'events'), args: hexPfns(e) };
              out.push(ev);
              if (e.type === 'namespace.published') published.set(e.namespace, ev);
              const pub = e.type === 'dax.access' ? published.get(e.namespace) : undefined;
              if (pub) out.push(...flow(++flows, 'publish to DAX access', pub, ev));
              break;
            }
          }
        },
        error: (err) => sub.error(err),
        complete() {
          sub.next({ traceEvents: [...out, ...sortIndexes(out)], displayTimeUnit: 'ms', otherData: { generator: 'memmap-sim', ...meta } });
          sub.complete();
        },
      });
    });
}
