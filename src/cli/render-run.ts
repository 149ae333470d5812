import type { RunResult } from '../api/result.js';
import { formatSize } from '../model/sizes.js';
import { duration, table } from './table.js';

function issues(title: string, list: RunResult['violations']): string {
  if (list.length === 0) return `${title}: none\n`;
  const lines = list.map((i) => `  [${i.invariant} ${i.kind}] ${i.message}${i.count > 1 ? ` (x${i.count})` : ''}`);
  return `${title}:\n${lines.join('\n')}\n`;
}

/** How the run ended, when it did not end quiescent: the figures are then partial. */
function endNote(r: RunResult): string {
  const e = r.engine;
  if (e.outcome === 'quiescent') return '';
  if (e.outcome === 'deadlocked')
    return `\nrun deadlocked after ${e.events} events: lock requests wait forever (see the I4 deadlock violation); figures are partial`;
  if (e.stuck) return `\nrun stuck after ${e.events} events (over the default budget): ${e.stuck.actor} repeats ${e.stuck.event}; figures are partial`;
  return `\nrun stopped at ${e.outcome} after ${e.events} events; figures are partial`;
}
/** The strategy's name, marked when the user wrote it. */
export const strategyLabel = (r: Pick<RunResult, 'strategy' | 'strategyUserDefined'>) => (r.strategyUserDefined ? `${r.strategy} (user-defined)` : r.strategy);

/** What ran for each family, when a scenario has both boot and namespaces. */
function familiesLabel(r: Pick<RunResult, 'strategies'>): string {
  const { boot, probe } = r.strategies;
  return boot !== null && probe !== null ? ` (boot ${boot}, probes ${probe})` : '';
}

/** The human-readable report of one run. */
export function renderRun(r: RunResult): string {
  const out: string[] = [];
  out.push(`${r.scenario}: strategy ${strategyLabel(r)}${familiesLabel(r)}, ${r.threads} thread(s), seed ${r.seed}, profile ${r.profile}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  out.push(`total ${duration(r.totalMs)}${r.bootMs === null ? '' : `, kernel boot ${duration(r.bootMs)}`}${endNote(r)}\n`);
  if (r.nodes.length) {
    for (const n of r.nodes) out.push(n.kernelLine);
    out.push('');
    out.push(
      table([
        ['node', 'deferred init', 'pages', 'max threads', 'threads', 'jobs', 'chunks', 'shared usemap words', 'bounces', 'grow (IRQs off)'],
        ...r.nodes.map((n) => [
          String(n.id),
          duration(n.deferredInitMs),
          String(n.pages),
          String(n.maxThreads),
          String(n.threads),
          String(n.jobs),
          String(n.chunks),
          String(n.sharedUsemapWords),
          String(n.bounces),
          n.grow ? `${n.grow.pages} pages, ${duration(n.grow.irqsOffMs)}` : '-',
        ]),
      ]),
    );
  }
  if (!r.namespaces.length) {
    out.push(issues('findings', r.findings));
    out.push(issues('violations', r.violations));
    return out.join('\n');
  }
  out.push(
    table([
      ['namespace', 'node', 'size', 'probe', 'init', 'available at', 'lock wait', 'struct pages', 'geometry', 'vmemmap'],
      ...r.namespaces.map((n) => [
        n.name,
        String(n.node),
        formatSize(n.sizeBytes),
        duration(n.probeMs),
        duration(n.initMs),
        duration(n.availableAtMs),
        duration(n.lockWaitMs),
        String(n.structPagesInitialized),
        n.geometry,
        formatSize(n.vmemmapBytes.total),
      ]),
    ]),
  );
  for (const n of r.namespaces) {
    if (n.failed) out.push(`  ${n.name} probe FAILED at ${duration(n.failed.atMs)}: ${n.failed.reason} (unwound)`);
    for (const p of n.passes) {
      const where = p.lockMode ? `under mem_hotplug_lock (${p.lockMode})` : 'outside the lock';
      out.push(`  ${n.name} pass ${p.pass} ${p.work}: ${p.pages} pages, ${p.threads} thread(s), ${duration(p.ms)}, ${where}`);
    }
  }
  out.push('');
  out.push(
    table([
      ['lock', 'acquisitions', 'hold', 'write hold', 'read hold', 'wait', 'max wait'],
      ...r.locks.map((l) => [
        l.name,
        String(l.acquisitions),
        duration(l.holdMs),
        duration(l.writeHoldMs),
        duration(l.readHoldMs),
        duration(l.waitMs),
        duration(l.maxWaitMs),
      ]),
    ]),
  );
  out.push(
    table([
      ['channel', 'GB/s', 'busy', 'mean use', 'peak use'],
      ...r.channels
        .filter((c) => c.bytes > 0)
        .map((c) => [
          c.name,
          c.capacityGBs.toFixed(2),
          duration(c.busyMs),
          `${(100 * c.meanUtilisation).toFixed(0)}%`,
          `${(100 * c.peakUtilisation).toFixed(0)}%`,
        ]),
    ]),
  );
  out.push(issues('findings', r.findings));
  out.push(issues('violations', r.violations));
  return out.join('\n');
}

/** One row per strategy; speedup against the first. */
export function renderCompare(results: readonly RunResult[]): string {
  const names = results[0]?.namespaces.map((n) => n.name) ?? [];
  const base = results[0]?.totalMs ?? 0;
  const head = ['strategy', 'threads', 'total', ...names.map((n) => `${n} avail`), 'lock hold', 'speedup', 'violations'];
  const rows = results.map((r) => [
    `${strategyLabel(r)}${familiesLabel(r)}`,
    String(r.threads),
    duration(r.totalMs),
    ...names.map((n) => duration(r.namespaces.find((x) => x.name === n)?.availableAtMs ?? null)),
    duration(r.locks.reduce((a, l) => a + l.holdMs, 0)),
    ratio(base, r.totalMs),
    String(r.violations.reduce((a, v) => a + v.count, 0)),
  ]);
  const title = `${results[0]?.scenario ?? ''}: speedup against ${results[0] ? strategyLabel(results[0]) : ''}`;
  const notes = results.flatMap((r) => r.findings.map((f) => `  ${r.strategy}: [${f.invariant} ${f.kind}] ${f.message}`));
  const stated = results.flatMap((r) => r.notes.map((n) => `  ${r.strategy}: ${n}`));
  return `${title}\n${table([head, ...rows])}${stated.length ? `notes:\n${stated.join('\n')}\n` : ''}${notes.length ? `findings:\n${notes.join('\n')}\n` : ''}`;
}

/** A speedup, or "—" where it has no meaning (a total of 0, or not a number). */
export function ratio(base: number, value: number): string {
  const x = base / value;
  return base > 0 && value > 0 && Number.isFinite(x) ? `${x.toFixed(2)}x` : '—';
}
