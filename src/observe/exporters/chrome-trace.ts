import { Observable, type OperatorFunction } from 'rxjs';
import type { TraceEvent } from '../../model/trace-events.js';

/**
 * The Chrome trace event format (chrome://tracing, ui.perfetto.dev): workers
 * as threads (one process per namespace or node), lock holds and probe steps
 * as spans on their own tracks, channel bandwidth as counters. Times are in
 * microseconds of simulated time.
 */
export interface ChromeTraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'C' | 'M' | 'i';
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  readonly s?: 'g' | 'p' | 't';
  readonly args?: Record<string, unknown>;
}

export interface ChromeTrace {
  readonly traceEvents: ChromeTraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Record<string, unknown>;
}

const us = (ns: number) => ns / 1e3;

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
      const lockFrom = new Map<string, { t: number; mode: string }>();
      const stepFrom = new Map<string, { t: number; what: string }>();
      return source.subscribe({
        next(e) {
          switch (e.type) {
            case 'pages.init':
              out.push({
                name: `${e.work} ${e.endPfn - e.startPfn} pages`,
                cat: 'init',
                ph: 'X',
                ts: us(e.startedAt),
                dur: us(e.t - e.startedAt),
                pid: pid(e.ns),
                tid: tid(e.ns, e.worker),
                args: { startPfn: e.startPfn, endPfn: e.endPfn, pass: e.pass },
              });
              break;
            case 'lock.acquired':
              lockFrom.set(`${e.lock}|${e.holder}`, { t: e.t, mode: e.mode });
              break;
            case 'lock.released': {
              const from = lockFrom.get(`${e.lock}|${e.holder}`);
              if (from) out.push({ name: `${e.holder} (${from.mode})`, cat: 'lock', ph: 'X', ts: us(from.t), dur: us(e.t - from.t), pid: pid('locks'), tid: tid('locks', `${e.lock} ${e.holder}`) });
              break;
            }
            case 'init.start':
              stepFrom.set(`${e.ns}|${e.pass}|${e.work}`, { t: e.t, what: `pass ${e.pass} ${e.work} (${e.threads} threads${e.lockMode ? `, ${e.lockMode} lock` : ''})` });
              break;
            case 'init.end': {
              const from = stepFrom.get(`${e.ns}|${e.pass}|${e.work}`);
              if (from) out.push({ name: from.what, cat: 'probe', ph: 'X', ts: us(from.t), dur: us(e.t - from.t), pid: pid(e.ns), tid: tid(e.ns, 'probe') });
              break;
            }
            case 'deferred.start':
              stepFrom.set(`node${e.node}|deferred`, { t: e.t, what: `deferred init (${e.maxThreads} max threads)` });
              break;
            case 'deferred.end': {
              const from = stepFrom.get(`node${e.node}|deferred`);
              if (from) out.push({ name: from.what, cat: 'boot', ph: 'X', ts: us(from.t), dur: us(e.t - from.t), pid: pid(`node${e.node}`), tid: tid(`node${e.node}`, 'pgdatinit') });
              break;
            }
            case 'channel.rate':
              out.push({ name: e.channel, cat: 'bandwidth', ph: 'C', ts: us(e.t), pid: pid('channels'), tid: 0, args: { 'GB/s': e.bytesPerNs, flows: e.flows } });
              break;
            case 'ns.published':
            case 'grow.end':
            case 'buddy.uninit-read':
            case 'buddy.partial-free':
            case 'dax.access': {
              const where = 'ns' in e ? e.ns : `node${e.node}`;
              out.push({ name: e.type, cat: 'event', ph: 'i', s: 'p', ts: us(e.t), pid: pid(where), tid: tid(where, 'events'), args: { ...e } });
              break;
            }
          }
        },
        error: (err) => sub.error(err),
        complete() {
          sub.next({ traceEvents: out, displayTimeUnit: 'ms', otherData: { generator: 'memmap-sim', ...meta } });
          sub.complete();
        },
      });
    });
}
