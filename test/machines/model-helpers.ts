/**
 * Model-based tests for one machine with xstate/graph.
 *
 * `runModel(spec)` walks the machine's pure transitions (`getShortestPaths`
 * from 'xstate/graph') from its initial state with the sample events you give,
 * takes the shortest path to every reachable state, and replays each path on
 * a real actor (createActor on a VirtualClock, inside a fresh stub world).
 * Each run hands back the trace the actor emitted, the messages it sent to
 * stub peers, children and parent, and its final snapshot; the test asserts
 * on them. It throws when a replay ends in another state than the model
 * predicted, or the actor fails.
 *
 * Usage (a test file next to the machine's group, e.g. test/machines/shared/node.model.test.ts):
 *
 *   const model = runModel({
 *     machine: nodeMachine,
 *     input: ({ env }) => ({ env, nodeId: 0, cores: 1, threadsPerCore: 2 }),
 *     events: ({ stub }) => [
 *       { type: 'CPU_REQUEST', id: 'w0', ref: stub('w0') },
 *       { type: 'CPU_RELEASE', id: 'w0' },
 *     ],
 *     // ask once, release only what is held: the walk stays finite
 *     filterEvents: ({ context }, e) => (e.type === 'CPU_REQUEST') !== context.cpus.some((r) => r?.id === e.id),
 *   });
 *   expect(model.unreached).toEqual([]); // every state node was reached
 *   for (const run of model.paths) {
 *     // run.description, run.events, run.trace, run.sent ({ to, event, atNs }),
 *     // run.snapshot (real actor), run.expected (model), run.env, run.actor
 *   }
 *
 * - `stub(id)` is a recording actor: whatever is sent to it lands in `sent` as
 *   `{ to: id }`. Use it for peers in events and input (a lock's `ref`, a
 *   worker's `node`). Events are built once per world, so one `stub('w0')` is
 *   the same peer throughout a path.
 * - The machine's parent is a stub with id `parent`: `sendParent` and
 *   `xstate.done.actor.<id>` (a final state's output) show up as `to: 'parent'`.
 * - `stubActors: ['section', 'worker']` replaces those named children of the
 *   machine's `setup({ actors })` with recording stubs, so spawned children
 *   record what they are sent under their spawn id. Send their done events
 *   yourself as sample events (`{ type: 'xstate.done.actor.s0', output }`).
 * - Delayed transitions (`after`) are explored as `xstate.after.*` steps;
 *   the replay fires the clock's timers until the actor has taken that step.
 *   Timers left at the end of a path (delayed sends) are still pending:
 *   `run.runTimers()` drains them, then read `run.actor.getSnapshot()` and `run.sent`.
 * - The walk tries every sample event in every state. States are told apart
 *   by value, context without `env` (actor refs as their id, Maps and Sets as
 *   arrays) and child ids. If events can grow the context without bound (a
 *   second request from the same worker), skip them with `filterEvents` or
 *   coarsen the key with `serializeState`; past `limit` the walk stops with
 *   an error saying so.
 * - `stateKey(snapshot)` is that key: `expect(stateKey(run.snapshot)).toBe(stateKey(run.expected))`
 *   checks the real actor's context against the model's.
 */
import {
  createActor,
  fromTransition,
  getNextTransitions,
  type Actor,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyActorRef,
  type AnyEventObject,
  type AnyStateMachine,
  type EventFromLogic,
  type EventObject,
  type InputFrom,
  type InspectionEvent,
  type SnapshotFrom,
} from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { SimEnv } from '../../machines/shared/sim-env.js';
import { loadScenario } from '../../src/api/load-scenario.js';
import { resolveScenario, type ResolvedScenario } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { SeededRandom } from '../../src/sim/random.js';
import { runToQuiescence } from '../../src/sim/run-loop.js';
import { VirtualClock } from '../../src/sim/virtual-clock.js';

/** A message a stub received. */
export interface Sent {
  /** The stub's id: `stub(id)`, a spawned child's id, or `parent`. */
  readonly to: string;
  /** Any message: read its fields directly. */
  readonly event: AnyEventObject;
  /** Simulated time of delivery. */
  readonly atNs: number;
}

/** What `input` and `events` are built from: one per world (the walk, and each replayed path). */
export interface StubWorld {
  readonly env: SimEnv;
  /** The recording peer with this id (created on first use, the same actor afterwards). */
  readonly stub: (id: string) => AnyActorRef;
}

export interface ModelSpec<TMachine extends AnyStateMachine, TEvent extends EventFromLogic<TMachine> = EventFromLogic<TMachine>> {
  readonly machine: TMachine;
  readonly input: (world: StubWorld) => NoInfer<InputFrom<TMachine>>;
  /** Sample events: the walk tries each in every state (plus the state's delayed transitions). */
  readonly events: (world: StubWorld) => readonly TEvent[];
  /** Skips a sample event in a state (e.g. a second CPU_REQUEST from a worker that holds a CPU), to keep the walk finite. */
  readonly filterEvents?: (snapshot: NoInfer<SnapshotFrom<TMachine>>, event: NoInfer<TEvent>) => boolean;
  /** Names in the machine's `setup({ actors })` to replace with recording stubs. */
  readonly stubActors?: readonly string[];
  /** The env's scenario (default: seed000-pmem-128g as resolved). */
  readonly scenario?: ResolvedScenario;
  /** Replaces the default state key (see the header). */
  readonly serializeState?: (snapshot: SnapshotFrom<TMachine>) => string;
  /** Most transitions the walk may take before it gives up. */
  readonly limit?: number;
}

/** An `after` transition taken on a path. */
export interface DelayedEvent {
  readonly type: `xstate.after.${string}`;
}

export interface PathRun<TMachine extends AnyStateMachine, TEvent extends EventObject = EventFromLogic<TMachine>> {
  /** The path's events, e.g. "CPU_REQUEST(w0) → CPU_RELEASE(w0)"; "(initial)" when empty. */
  readonly description: string;
  readonly events: readonly (TEvent | DelayedEvent)[];
  /** The end state xstate/graph computed with pure transitions. */
  readonly expected: SnapshotFrom<TMachine>;
  /** The real actor's snapshot once the path was replayed. */
  readonly snapshot: SnapshotFrom<TMachine>;
  /** Trace events the actor emitted (live: grows with runTimers). */
  readonly trace: readonly TraceEvent[];
  /** Messages its stubs received, in order (live: grows with runTimers). */
  readonly sent: readonly Sent[];
  readonly env: SimEnv;
  readonly actor: Actor<TMachine>;
  /** Fires every pending timer (bounded), e.g. delayed replies the path left scheduled. */
  runTimers(): void;
}

export interface ModelResult<TMachine extends AnyStateMachine, TEvent extends EventObject = EventFromLogic<TMachine>> {
  readonly paths: readonly PathRun<TMachine, TEvent>[];
  /** Ids of the machine's leaf state nodes (except those an unguarded `always` leaves at once) no path ends in: assert it is empty. */
  readonly unreached: readonly string[];
}

let defaultScenario: ResolvedScenario | undefined;

/** seed000-pmem-128g, resolved once: a small, valid scenario for envs. */
export function testScenario(): ResolvedScenario {
  if (!defaultScenario) {
    const { input, name } = loadScenario('seed000-pmem-128g');
    defaultScenario = resolveScenario(input, {}, name);
  }
  return defaultScenario;
}

/** A SimEnv on a fresh VirtualClock whose `emit` appends to `trace`. */
export function stubEnv(scenario: ResolvedScenario = testScenario()): { env: SimEnv; trace: TraceEvent[] } {
  const trace: TraceEvent[] = [];
  const random = new SeededRandom(scenario.seed);
  const clock = new VirtualClock(random, false);
  const env: SimEnv = {
    clock,
    emit: (e) => {
      trace.push(e);
    },
    scenario,
    random,
    cost: (ns) => (scenario.jitter > 0 ? random.jitter(ns, scenario.jitter) : ns),
  };
  return { env, trace };
}

interface World extends StubWorld {
  readonly trace: TraceEvent[];
  readonly sent: Sent[];
  readonly parent: AnyActorRef;
  readonly recorder: ReturnType<typeof recorderLogic>;
}

/** An actor that accepts anything and logs it under its own id. */
function recorderLogic(sent: Sent[], clock: VirtualClock) {
  return fromTransition((state: null, event: EventObject, { self }) => {
    sent.push({ to: self.id, event, atNs: clock.now() });
    return state;
  }, null);
}

function createWorld(scenario: ResolvedScenario, inspect?: (e: InspectionEvent) => void): World {
  const { env, trace } = stubEnv(scenario);
  const sent: Sent[] = [];
  const recorder = recorderLogic(sent, env.clock);
  const stubs = new Map<string, AnyActorRef>();
  const stub = (id: string) => {
    let ref = stubs.get(id);
    if (!ref) {
      ref = createActor(recorder, { id, clock: env.clock }).start();
      stubs.set(id, ref);
    }
    return ref;
  };
  // The parent is the root of the replayed actor's system: its clock drives the machine's delays.
  const parent = createActor(recorder, { id: 'parent', clock: env.clock, inspect }).start();
  return { env, trace, sent, stub, parent, recorder };
}

function withStubs<TMachine extends AnyStateMachine>(machine: TMachine, names: readonly string[], world: World): TMachine {
  if (!names.length) return machine;
  return machine.provide({ actors: Object.fromEntries(names.map((n) => [n, world.recorder])) }) as TMachine;
}

const isRef = (v: object): v is AnyActorRef => 'sessionId' in v && 'send' in v && typeof (v as { send: unknown }).send === 'function';

/** JSON that keeps what tells two states apart: Maps and Sets as arrays, refs as their id, no env. */
export function stateKey(snapshot: { value: unknown; context: unknown; children: Record<string, unknown> }): string {
  const { env: _env, ...context } = (snapshot.context ?? {}) as Record<string, unknown>;
  return JSON.stringify({ value: snapshot.value, context, children: Object.keys(snapshot.children ?? {}) }, (_key, v: unknown) => {
    if (v instanceof Map) return [...v.entries()];
    if (v instanceof Set) return [...v.values()];
    if (v && typeof v === 'object' && isRef(v)) return `ref:${v.id}`;
    return v;
  });
}

function describeEvent(e: EventObject): string {
  const { type, ...rest } = e as EventObject & Record<string, unknown>;
  const delayed = /^xstate\.after\.([^.]+)\./.exec(type);
  if (delayed) return `after ${delayed[1]}`;
  const id = typeof rest.id === 'string' ? rest.id : typeof rest.holder === 'string' ? rest.holder : undefined;
  return id === undefined ? type : `${type}(${id})`;
}

interface StateNodeLike {
  readonly id: string;
  readonly path: readonly string[];
  readonly states: Record<string, StateNodeLike>;
  readonly always?: readonly { readonly guard?: unknown }[];
}

function leafStates(machine: AnyStateMachine): StateNodeLike[] {
  const out: StateNodeLike[] = [];
  const visit = (n: StateNodeLike) => {
    const children = Object.values(n.states);
    // A state with an unguarded `always` is left at once: no path can end in it.
    const transient = n.always?.some((t) => t.guard === undefined);
    if (!children.length && n.path.length && !transient) out.push(n);
    children.forEach(visit);
  };
  visit(machine.root as unknown as StateNodeLike);
  return out;
}

/** The state's `after` transitions as events the walk can take (xstate/graph drops them once events are given). */
function delayedEvents(snapshot: unknown): EventObject[] {
  const types = getNextTransitions(snapshot as AnyMachineSnapshot)
    .map((t) => t.eventType)
    .filter((t) => t.startsWith('xstate.after.'));
  return [...new Set(types)].map((type) => ({ type }));
}

const MAX_TIMERS = 100_000;
const DEFAULT_LIMIT = 50_000;

/** Runs the walk; a state space that does not end says what to do about it. */
function walkGraph<T>(walk: () => T, id: string): T {
  try {
    return walk();
  } catch (e) {
    if ((e as Error).message !== 'Traversal limit exceeded') throw e;
    throw new Error(
      `${id}: the walk went over its limit; the sample events grow the context without bound (add filterEvents or serializeState) or raise limit`,
      { cause: e },
    );
  }
}

/** Replays one path on a real actor in a fresh world. */
function replay<TMachine extends AnyStateMachine, TEvent extends EventFromLogic<TMachine>>(
  spec: ModelSpec<TMachine, TEvent>,
  scenario: ResolvedScenario,
  walkEvents: readonly EventObject[],
  steps: readonly EventObject[],
  expected: SnapshotFrom<TMachine>,
): PathRun<TMachine, TEvent> {
  const taken: EventObject[] = [];
  const replayed: { actor?: AnyActorRef } = {};
  const world = createWorld(scenario, (e) => {
    if (e.type === '@xstate.event' && e.actorRef === replayed.actor) taken.push(e.event);
  });
  const events = spec.events(world) as readonly EventObject[];
  // The walk's events carry the walk's stubs; take the same sample from this world.
  const local = steps.map((s) => {
    const i = walkEvents.indexOf(s);
    return i >= 0 ? events[i] : s;
  });
  const description = local.length ? local.map(describeEvent).join(' → ') : '(initial)';
  let failure: unknown;
  const actor = createActor(withStubs(spec.machine, spec.stubActors ?? [], world), {
    input: spec.input(world),
    clock: world.env.clock,
    parent: world.parent,
    id: spec.machine.id,
  }) as Actor<TMachine>;
  replayed.actor = actor;
  actor.subscribe({ error: (e) => (failure = e) });
  actor.start();
  for (const event of local) {
    if (event.type.startsWith('xstate.after.')) {
      // A delayed transition: let the clock fire timers until the actor takes it.
      const before = taken.length;
      let n = 0;
      while (!taken.slice(before).some((t) => t.type === event.type) && world.env.clock.nextTime() !== undefined && n++ < MAX_TIMERS) world.env.clock.step();
      if (!taken.slice(before).some((t) => t.type === event.type))
        throw new Error(`${spec.machine.id}: ${description}: the delayed step ${event.type} never fired`);
    } else actor.send(event as EventFromLogic<TMachine>);
    if (failure) throw new Error(`${spec.machine.id}: ${description}: the actor failed at ${event.type}: ${String(failure)}`, { cause: failure });
  }
  const snapshot = actor.getSnapshot() as SnapshotFrom<TMachine>;
  const real = JSON.stringify((snapshot as { value: unknown }).value);
  const model = JSON.stringify((expected as { value: unknown }).value);
  if (real !== model) throw new Error(`${spec.machine.id}: ${description}: the model ends in ${model}, the actor in ${real}`);
  return {
    description,
    events: local as (TEvent | DelayedEvent)[],
    expected,
    snapshot,
    trace: world.trace,
    sent: world.sent,
    env: world.env,
    actor,
    runTimers: () => {
      runToQuiescence(world.env.clock, {}, { maxTimeNs: Infinity, maxEvents: MAX_TIMERS });
      if (failure) throw new Error(`${spec.machine.id}: ${description}: the actor failed on a timer: ${String(failure)}`, { cause: failure });
    },
  };
}

const idle = fromTransition((state: null) => state, null);

/**
 * What xstate/graph's own walk lacks: a parent (so `sendParent` resolves) and
 * a fresh system per transition (so spawning children with a systemId in two
 * branches does not collide). Actions are resolved, never executed.
 */
function inertScope(): AnyActorScope {
  const self = createActor(idle, { parent: createActor(idle) });
  const nothing = () => {};
  return {
    self,
    id: '',
    sessionId: '',
    logger: nothing,
    defer: nothing,
    system: self.system,
    stopChild: nothing,
    emit: nothing,
    actionExecutor: nothing,
  } as unknown as AnyActorScope;
}

/** The machine's pure transitions, each in its own inert scope, for the walk. */
function pureLogic<TMachine extends AnyStateMachine>(machine: TMachine): TMachine {
  return {
    ...machine,
    transition: (snapshot: SnapshotFrom<TMachine>, event: EventObject) => machine.transition(snapshot, event, inertScope()),
    getInitialSnapshot: (scope: AnyActorScope, input: unknown) => machine.getInitialSnapshot(scope, input),
  } as unknown as TMachine;
}

/** The shortest path to every reachable state, each replayed on a real actor. */
export function runModel<TMachine extends AnyStateMachine, const TEvent extends EventFromLogic<TMachine>>(
  spec: ModelSpec<TMachine, TEvent>,
): ModelResult<TMachine, TEvent> {
  const scenario = spec.scenario ?? testScenario();
  const walk = createWorld(scenario);
  const walkEvents = spec.events(walk) as readonly EventObject[];
  const machine = withStubs(spec.machine, spec.stubActors ?? [], walk);
  const logic = pureLogic(machine);
  const input = spec.input(walk);
  const serialize = spec.serializeState ?? stateKey;
  const filter = spec.filterEvents;
  const graphPaths = walkGraph(
    () =>
      getShortestPaths(logic, {
        fromState: logic.getInitialSnapshot(inertScope(), input) as SnapshotFrom<TMachine>,
        events: (s) => [...walkEvents, ...delayedEvents(s)] as EventFromLogic<TMachine>[],
        filterEvents: filter ? (s, e) => e.type.startsWith('xstate.after.') || filter(s as SnapshotFrom<TMachine>, e) : undefined,
        serializeState: (s) => serialize(s as SnapshotFrom<TMachine>),
        limit: spec.limit ?? DEFAULT_LIMIT,
      }),
    spec.machine.id,
  );
  const paths = graphPaths.map((p) =>
    replay(
      spec,
      scenario,
      walkEvents,
      // Each step holds the event that led to its state; the first is xstate's initial one.
      p.steps.map((s) => s.event as EventObject).filter((e) => e.type !== 'xstate.init'),
      p.state as SnapshotFrom<TMachine>,
    ),
  );
  const unreached = leafStates(spec.machine)
    .filter((n) => !paths.some((p) => (p.expected as { matches(v: string): boolean }).matches(n.path.join('.'))))
    .map((n) => n.id);
  return { paths, unreached };
}
