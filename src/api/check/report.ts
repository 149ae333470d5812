/**
 * What a campaign reports of a finding: the minimal scenario as a document a
 * user can run, the command that replays it, and a few readable lines.
 */
import type { TraceEvent } from '../../model/trace-events.js';
import type { IssueReport } from '../../observe/issues.js';
import type { CaseOutcome, ExhaustiveReplay, Target } from './run-case.js';
import type { CheckCase } from './scopes.js';
import { nameOf, type StrategyRef } from './strategies.js';

export interface CheckViolation {
  readonly invariant: string;
  readonly kind: string;
  readonly message: string;
  /** The run seed (tie-breaking and jitter) of the minimal scenario. */
  readonly seed: number;
  /** The minimal scenario, with its strategy, seed, threads, exploration and jitter. */
  readonly scenario: Record<string, unknown>;
  /** The command that reproduces it. */
  readonly replay: string;
  /** Where the scenario was written, or null when nothing was written. */
  readonly file: string | null;
  readonly place: string | null;
  /** [first, end) pfns, in hex. */
  readonly pfns: readonly [string, string] | null;
  readonly actors: readonly string[];
  /** The events that explain it, oldest first, one line each. */
  readonly history: readonly string[];
}

/** The shrunk case as a scenario document that `memmap-sim run` takes as it is. */
export function scenarioDocument(c: CheckCase, strategy: StrategyRef): Record<string, unknown> {
  const { name: _generated, ...rest } = c.scenario;
  return {
    name: `check-${nameOf(strategy)}`,
    strategy,
    ...(c.threads === undefined ? {} : { threads: c.threads }),
    seed: c.seed,
    explore: c.explore,
    ...rest,
  };
}

/**
 * `memmap-sim run FILE ...`: the flags repeat what the file says, so the
 * command reads on its own (a user's strategy is defined in the file itself).
 */
export function replayCommand(file: string, c: CheckCase, strategy: StrategyRef, replay?: ExhaustiveReplay): string {
  const parts = ['memmap-sim', 'run', quote(file), ...(typeof strategy === 'string' ? ['--strategy', strategy] : []), '--seed', String(c.seed)];
  if (c.threads !== undefined) parts.push('--threads', String(c.threads));
  // No choices: the FIFO path under the quantum.
  if (replay) parts.push('--quantum', String(replay.quantumNs), ...(replay.choices.length ? ['--choices', replay.choices.join(',')] : []));
  else if (c.explore) parts.push('--explore');
  return parts.join(' ');
}

const quote = (s: string) => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const hex = (n: number) => `0x${n.toString(16)}`;

/** One trace event as a short line: time, type, then its fields. */
export function historyLine(e: TraceEvent): string {
  const { t, type, ...fields } = e as TraceEvent & Record<string, unknown>;
  const text = Object.entries(fields)
    .filter(([, v]) => typeof v !== 'object')
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (/pfn/i.test(k) ? hex(v) : String(Math.round(v * 1000) / 1000)) : String(v)}`)
    .join(' ');
  return `${(t / 1e3).toFixed(3)} us ${type} ${text}`.trimEnd();
}

const HISTORY_LINES = 8;

/** The violation of the shrunk run that shows the target (or, for a run that did not end, its outcome). */
export function describeFinding(o: CaseOutcome, target: Target, c: CheckCase, strategy: StrategyRef, file: string, replay?: ExhaustiveReplay): CheckViolation {
  const v: IssueReport | undefined = o.result.violations.find((x) => x.invariant === target.invariant && x.kind === target.kind);
  const stuck = o.result.engine.stuck;
  const failure = o.result.engine.failure;
  const message =
    v?.message ?? (failure ? `${failure.actor}: ${failure.message}` : stuck ? `${stuck.actor} repeats ${stuck.event}` : `run ended ${o.result.engine.outcome}`);
  return {
    invariant: target.invariant,
    kind: target.kind,
    message,
    seed: c.seed,
    scenario: scenarioDocument(c, strategy),
    replay: replayCommand(file, c, strategy, replay),
    file,
    place: v?.place ?? null,
    pfns: v?.pfns ? [hex(v.pfns[0]), hex(v.pfns[1])] : null,
    actors: v?.actors ?? (failure ? [failure.actor] : stuck ? [stuck.actor] : []),
    history: (v?.history ?? []).slice(-HISTORY_LINES).map(historyLine),
  };
}
