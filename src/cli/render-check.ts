import type { StrategyReport } from '../api/check/campaign.js';
import type { CheckViolation } from '../api/check/report.js';
import { duration } from './table.js';

function finding(v: CheckViolation, first: boolean): string[] {
  const where = v.place ? ` at ${v.place}` : '';
  const head = `  ${v.invariant} ${v.kind}${where}: ${v.message}`;
  if (!first) return [head];
  const lines = [head];
  if (v.pfns) lines.push(`    pfns [${v.pfns[0]}, ${v.pfns[1]})`);
  if (v.actors.length) lines.push(`    actors ${v.actors.join(', ')}`);
  if (v.history.length) lines.push('    history', ...v.history.map((h) => `      ${h}`));
  if (v.file) lines.push(`    scenario ${v.file}`);
  lines.push(`    replay   ${v.replay}`);
  return lines;
}

/** One line per strategy; for a strategy with a finding, the shrunk scenario's invariant, pfns, actors, history and replay command. */
export function renderCheck(reports: readonly StrategyReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    const shard = r.shard ? ` (shard ${r.shard.index}/${r.shard.count})` : '';
    const ex = r.exhaustive ? `, ${r.exhaustive.paths} paths, ${r.exhaustive.states} states, ${r.exhaustive.exhaustedRuns} runs exhausted` : '';
    const when = r.firstRun === null ? '' : `, first at run ${r.firstRun} after ${duration(r.timeToFirstMs ?? 0)}`;
    out.push(`${r.strategy}${r.knownBad ? ' (known bad)' : ''}: ${r.runs} runs${shard}, ${r.found} found, ${r.stuck} stuck${ex}${when}`);
    r.violations.forEach((v, i) => out.push(...finding(v, i === 0)));
  }
  const found = reports.filter((r) => r.found > 0).length;
  out.push(found ? `found: ${found} of ${reports.length} strategies` : `nothing found in ${reports.length} strategies`);
  return `${out.join('\n')}\n`;
}
