import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyActorRef, type AnyStateMachine, type EventObject, type InspectionEvent } from 'xstate';
import { MACHINES } from '../../machines/index.js';
import type { SimEnv } from '../../machines/shared/sim-env.js';
import { loadScenario } from '../../src/api/load-scenario.js';
import { simulate, type SimulateOptions } from '../../src/api/simulate.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { SeededRandom } from '../../src/sim/random.js';

/**
 * xstate's `transition(machine, snapshot, event)` is pure: it computes the next
 * snapshot and returns the actions without running them. A machine whose
 * assign or enqueueActions callbacks call `env.emit`, or that changes its
 * context in place, breaks that: the inspector, xstate/graph and model-based
 * tests then see effects that never happened. This test records real
 * (snapshot, event) pairs from whole runs and replays a sample of them through
 * `transition()` (and each actor's input through `initialTransition()`) with
 * an env that records emits, then checks nothing was emitted and the context
 * handed in is unchanged.
 */

const RUNS: readonly { scenario: string; options: SimulateOptions }[] = [
  { scenario: 'seed000-pmem-4x128g', options: { strategy: 'serial' } },
  { scenario: 'seed000-pmem-4x128g', options: { strategy: 'outside-lock-mt' } },
  { scenario: 'seed000-pmem-4x128g', options: { strategy: 'bug-resize-under-read' } },
  { scenario: 'seed002-devdax-128g', options: { geometry: '2M' } },
  { scenario: 'seed003-skylake-768g', options: { strategy: 'padata' } },
];

/** Occurrences of an (actor kind, event type) replayed: the first few, then every power of two. */
const sampled = (n: number) => n <= 8 || (n & (n - 1)) === 0;

interface Impurity {
  readonly at: string;
  readonly emitted: readonly TraceEvent['type'][];
  readonly mutated: boolean;
  /** transition() itself threw (e.g. a sendParent it cannot resolve without a live parent). */
  readonly threw?: string;
}

interface KindReport {
  probes: number;
  readonly impurities: Impurity[];
}

const isActorRef = (v: object) => 'sessionId' in v && typeof (v as { send?: unknown }).send === 'function';

/** A deep copy of a context or input: actors and functions shared, the live env swapped for the probe's. */
function copy(value: unknown, live: SimEnv, probe: SimEnv, seen = new Map<object, unknown>()): unknown {
  if (value === live) return probe;
  if (value === null || typeof value !== 'object') return value;
  if (isActorRef(value)) return value;
  if (seen.has(value)) return seen.get(value);
  const deep = (v: unknown) => copy(v, live, probe, seen);
  if (ArrayBuffer.isView(value)) return (value as unknown as { slice(): unknown }).slice();
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(deep(v));
    return out;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(k, deep(v));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(deep(v));
    return out;
  }
  // Plain objects and class instances alike (an IntervalSet changed in place is a mutation too).
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = deep(v);
  return out;
}

/** The run's env with emits recorded instead of traced and a random source of its own, so probes leave the run alone. */
function probeEnv(live: SimEnv, emitted: TraceEvent[]): SimEnv {
  const random = new SeededRandom(live.scenario.seed);
  const jitter = live.scenario.jitter;
  return { ...live, emit: (e) => emitted.push(e), random, cost: (ns) => (jitter > 0 ? random.jitter(ns, jitter) : ns) };
}

const envOf = (context: unknown): SimEnv | undefined => (context as { env?: SimEnv } | undefined)?.env;

class Prober {
  readonly reports = new Map<string, KindReport>([...MACHINES.keys()].map((k) => [k, { probes: 0, impurities: [] }]));
  private readonly kinds = new Map<AnyStateMachine, string>([...MACHINES].map(([k, m]) => [m, k]));
  private readonly seen = new Map<string, number>();

  readonly inspect = (e: InspectionEvent) => {
    if (e.type === '@xstate.actor') this.probeInitial(e.actorRef as AnyActorRef);
    if (e.type === '@xstate.event' && e.event.type !== 'xstate.init') this.probeEvent(e.actorRef as AnyActorRef, e.event);
  };

  private kindOf(ref: AnyActorRef): string | undefined {
    return this.kinds.get((ref as unknown as { logic: AnyStateMachine }).logic);
  }

  private take(kind: string, what: string): boolean {
    const key = `${kind} ${what}`;
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    return sampled(n);
  }

  /** Runs one pure call on a copy; the live run never sees it, even when it throws. */
  private probe(kind: string, at: string, live: SimEnv, handed: unknown, call: (copy: unknown) => void): void {
    const emitted: TraceEvent[] = [];
    const probe = probeEnv(live, emitted);
    const copied = copy(handed, live, probe);
    const before = copy(copied, probe, probe);
    let threw: string | undefined;
    try {
      call(copied);
    } catch (e) {
      threw = (e as Error).message;
    }
    const mutated = !isDeepStrictEqual(copied, before);
    const report = this.reports.get(kind)!;
    report.probes++;
    if (emitted.length || mutated || threw) report.impurities.push({ at, emitted: emitted.map((t) => t.type), mutated, threw });
  }

  /** `initialTransition` with the actor's own input: its initial state's entry must not emit either. */
  private probeInitial(ref: AnyActorRef): void {
    const kind = this.kindOf(ref);
    const input = (ref as unknown as { options: { input?: unknown } }).options.input;
    const live = envOf(input);
    if (!kind || !live || !this.take(kind, 'initial')) return;
    this.probe(kind, 'initial state', live, input, (copied) => initialTransition(MACHINES.get(kind)!, copied));
  }

  /** `transition` from the actor's snapshot as the event reaches it. */
  private probeEvent(ref: AnyActorRef, event: EventObject): void {
    const kind = this.kindOf(ref);
    const snapshot = ref.getSnapshot() as { status: string; context: unknown };
    const live = envOf(snapshot.context);
    if (!kind || !live || snapshot.status !== 'active' || !this.take(kind, event.type)) return;
    this.probe(kind, event.type, live, snapshot.context, (context) => transition(MACHINES.get(kind)!, { ...snapshot, context } as never, event as never));
  }
}

function explain(i: Impurity): string {
  const what = [
    i.emitted.length ? `emits ${[...new Set(i.emitted)].join(', ')}` : '',
    i.mutated ? 'mutates the context it was given' : '',
    i.threw ? `throws: ${i.threw}` : '',
  ];
  return `${i.at}: ${what.filter(Boolean).join('; ')}`;
}

describe('xstate transition() on every machine is pure (no trace event, context unchanged)', () => {
  const prober = new Prober();
  const results: string[] = [];
  beforeAll(() => {
    for (const run of RUNS) {
      const { input, name } = loadScenario(run.scenario);
      results.push(JSON.stringify(simulate(input, { ...run.options, name, inspect: prober.inspect })));
    }
  });

  it('probing leaves the runs alone: each result equals the run without it', () => {
    RUNS.forEach((run, i) => {
      const { input, name } = loadScenario(run.scenario);
      expect(JSON.stringify(simulate(input, { ...run.options, name })), run.scenario).toBe(results[i]);
    });
  });

  for (const kind of MACHINES.keys()) {
    it(kind, () => {
      const report = prober.reports.get(kind)!;
      expect(report.probes, `${kind}: no transition of it was sampled; add a run that spawns it`).toBeGreaterThan(0);
      const summary = report.impurities.slice(0, 5).map(explain);
      expect(summary, `${kind}: pure transition() has effects`).toEqual([]);
    });
  }
});
