/**
 * Shortest paths (xstate/graph) to every state of a boot machine, and their
 * replay on a real actor driven by a virtual clock.
 */
import { expect } from 'vitest';
import { createActor, type AnyActorRef, type AnyStateMachine, type EventFromLogic, type EventObject, type SnapshotFrom } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { VirtualClock } from '../../../src/sim/virtual-clock.js';

interface NodeLike {
  readonly id: string;
  readonly type: string;
  readonly states: Record<string, NodeLike>;
}

/** Ids of every state node but the root, e.g. `padataHelper.working.step`. */
export function stateIds(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  const walk = (n: NodeLike) => {
    for (const child of Object.values(n.states)) {
      out.push(child.id);
      walk(child);
    }
  };
  walk(machine.root as unknown as NodeLike);
  return out;
}

/** The ids of the state nodes a snapshot is in. */
export const activeIds = (snapshot: { _nodes: readonly { id: string }[] }): string[] => snapshot._nodes.map((n) => n.id);

export interface PathOptions<E extends EventObject> {
  readonly input: unknown;
  readonly events: readonly E[] | ((snapshot: never) => readonly E[]);
  /** What tells two states apart: their value, and the context fields that drive guards. */
  readonly serialize: (snapshot: never) => string;
}

/** Shortest paths to every distinct state; asserts together they reach every state node. */
export function pathsToEveryState<E extends EventObject>(machine: AnyStateMachine, options: PathOptions<E>) {
  const paths = getShortestPaths(machine, {
    input: options.input,
    events: options.events as never,
    serializeState: options.serialize as never,
  });
  const reached = new Set(paths.flatMap((p) => activeIds(p.state as never)));
  expect([...reached].filter((id) => id !== machine.id).sort()).toEqual(stateIds(machine).sort());
  return paths;
}

/** The events of a path after the initial one. */
export const eventsOf = (path: { steps: readonly { event: EventObject }[] }): EventObject[] =>
  path.steps.map((s) => s.event).filter((e) => e.type !== 'xstate.init');

/** Starts `machine` on the clock, sends `events`, firing due timers after each; returns the actor. */
export function replay<M extends AnyStateMachine>(
  machine: M,
  input: unknown,
  clock: VirtualClock,
  events: readonly EventObject[],
): AnyActorRef & { getSnapshot(): SnapshotFrom<M> } {
  const actor = createActor(machine, { input, clock } as never).start();
  for (const event of events) actor.send(event as EventFromLogic<M>);
  return actor as never;
}
