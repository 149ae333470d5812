import type { AnyActorRef, EventObject } from 'xstate';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * What a boot actor's kernel step returns: its new state, the trace events
 * to emit and the messages to send. The step is pure; its machine assigns
 * the state, emits the trace from one named action (at execution, so a pure
 * `transition()` emits nothing) and sends the messages, in this order.
 */
export interface StepResult<S> {
  readonly state: S;
  readonly trace: readonly TraceEvent[];
  readonly send: readonly Message[];
}

/** A message to send; `delayNs` is the modelled cost before it arrives (the machine applies the run's jitter). */
export interface Message {
  readonly to: AnyActorRef;
  readonly event: EventObject & { readonly [field: string]: unknown };
  readonly delayNs?: number;
  /** A send id, so a tie chooser can name the timer. */
  readonly id?: string;
}

/** The parts of a machine's context that carry a step's trace and messages until its actions run. */
export interface StepOutput {
  readonly trace: readonly TraceEvent[];
  readonly outbox: readonly Message[];
}

export const NO_OUTPUT: StepOutput = { trace: [], outbox: [] };

/** Emits the trace of the step just assigned: a plain action, so it runs when the actor executes its actions. */
export function emitStepTrace({ context }: { context: Pick<StepOutput, 'trace'> & { readonly env: SimEnv } }): void {
  for (const event of context.trace) context.env.emit(event);
}

/** The send options of a message: its cost with the run's jitter, and its id. */
export function sendOptions(env: SimEnv, message: Message): { delay?: number; id?: string } | undefined {
  if (message.delayNs === undefined) return message.id === undefined ? undefined : { id: message.id };
  return { delay: env.cost(message.delayNs), id: message.id };
}
