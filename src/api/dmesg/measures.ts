import { InputError } from '../../model/input-error.js';
import type { Measurement } from '../calibrate.js';
import type { BootLog } from './boot-log.js';
import { noDeferredLine } from './deferred.js';
import { hex, sameRanges } from './ranges.js';

/** At most this many boot logs in one calibration. */
export const MAX_DMESG_LOGS = 64;

/** One boot log's contribution to a calibration. */
export interface DmesgRow {
  readonly file: string;
  /** The slowest node: the deferred-init time calibrate fits. */
  readonly node: number;
  /** Its CPUs online: padata's max_threads (at least 1). */
  readonly threads: number;
  readonly ms: number;
  readonly line: number;
  readonly cpus: number;
}

/** The first way two logs' node memory differs, or null for the same machine. */
function layoutDifference(a: BootLog, b: BootLog): string | null {
  const ids = (l: BootLog) => [...l.memory.nodes.keys()].join(',');
  if (ids(a) !== ids(b)) return `nodes ${ids(b)} against ${ids(a)}`;
  for (const [n, ra] of a.memory.nodes) {
    const rb = b.memory.nodes.get(n)!;
    if (!sameRanges(ra, rb)) {
      const show = (rs: typeof ra) => rs.map((r) => `${hex(r.start)}-${hex(r.end - 1)}`).join(' ');
      return `node ${n} memory ${show(rb)} against ${show(ra)}`;
    }
  }
  return null;
}

/**
 * One measurement per boot log: the slowest node's deferred-init time at
 * its CPU count. Logs must come from one machine (the same node memory).
 */
export function dmesgMeasures(logs: readonly BootLog[]): { measures: Measurement[]; rows: DmesgRow[] } {
  if (logs.length > MAX_DMESG_LOGS) throw new InputError('--dmesg', `at most ${MAX_DMESG_LOGS} boot logs, got ${logs.length}`);
  const rows = logs.map((log) => {
    const diff = layoutDifference(logs[0], log);
    if (diff) throw new InputError('--dmesg', `${log.file} is from a different machine than ${logs[0].file} (${diff}): give boots of one machine`);
    if (!log.deferred.length) throw noDeferredLine(log.file);
    const slow = log.deferred.reduce((a, t) => (t.ms > a.ms ? t : a));
    if (slow.ms <= 0)
      throw new InputError(`${log.file}:${slow.line}`, "deferred init took 0ms (below the kernel's jiffy resolution): too short to calibrate on");
    const threads = Math.max(1, log.cpus.perNode.get(slow.node) ?? 0);
    return { file: log.file, node: slow.node, threads, ms: slow.ms, line: slow.line, cpus: log.cpus.total };
  });
  if (new Set(rows.map((r) => r.threads)).size < 2) {
    throw new InputError(
      '--dmesg',
      `every log has ${rows[0]?.threads} CPU(s) on its slowest node: give boots with different CPU counts (nr_cpus= or -smp), at least two`,
    );
  }
  return { measures: rows.map((r) => ({ threads: r.threads, ms: r.ms })), rows };
}
