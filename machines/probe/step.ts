import type { AnyActorRef, AnyEventObject } from 'xstate';
import type { ResolvedScenario } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';

/** A message a kernel step asks its machine to send, in order. */
export interface Send {
  readonly to: AnyActorRef;
  readonly event: AnyEventObject;
  /** Simulated ns before it is delivered (absent: at once). */
  readonly delay?: number;
  readonly id?: string;
}

/** What a kernel step returns: the fields of its state it changes, the trace events it emits and the messages it sends. */
export interface Step<S> {
  readonly state: Partial<S>;
  readonly trace: readonly TraceEvent[];
  readonly send: readonly Send[];
}

/** What a step reads of the run besides its state: the time, the scenario and the seeded jitter on a cost. */
export interface At {
  readonly now: number;
  readonly scenario: ResolvedScenario;
  readonly cost: (ns: number) => number;
}

export const step = <S>(state: Partial<S>, trace: readonly TraceEvent[] = [], send: readonly Send[] = []): Step<S> => ({ state, trace, send });

/** The `enqueue` of an xstate `enqueueActions`, as far as applying a step needs it. */
export interface Enqueue<S> {
  (action: { type: 'emitTrace'; params: { trace: readonly TraceEvent[] } }): void;
  assign: (state: Partial<S>) => void;
  sendTo: (to: AnyActorRef, event: AnyEventObject, options?: { delay?: number; id?: string }) => void;
}

/** The machine's side of a step: assign the state, emit the trace from the named `emitTrace` action, send the messages. */
export function applyStep<S>(enqueue: Enqueue<S>, result: Step<S>): void {
  if (Object.keys(result.state).length > 0) enqueue.assign(result.state);
  if (result.trace.length > 0) enqueue({ type: 'emitTrace', params: { trace: result.trace } });
  for (const s of result.send) {
    if (s.delay === undefined && s.id === undefined) enqueue.sendTo(s.to, s.event);
    else enqueue.sendTo(s.to, s.event, { delay: s.delay, id: s.id });
  }
}
