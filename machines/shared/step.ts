import type { AnyActorRef, AnyEventObject } from 'xstate';
import type { ResolvedScenario } from '../../src/model/scenario.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import type { SimEnv } from './sim-env.js';

/**
 * The one shape of every actor's kernel step: a pure function of its state
 * that returns the fields it changes, the trace events to emit and the
 * messages to send. Its machine assigns the state, emits the trace from one
 * named action (at execution, so a pure `transition()` emits nothing) and
 * sends the messages, in this order.
 *
 * Two ways to time a message, because the run's seeded jitter must be drawn
 * where it always was (the draws are part of a run's determinism):
 * - `delay`: the step drew the jitter itself (through `At.cost`), so the
 *   machine sends with this delay as it is (the probe actors);
 * - `delayNs`: the modelled cost; the machine draws the jitter when it sends
 *   (`sendOptions`, the boot actors).
 */
export interface Message {
  readonly to: AnyActorRef;
  readonly event: AnyEventObject;
  /** Simulated ns before it is delivered, jitter applied (absent: at once). */
  readonly delay?: number;
  /** The modelled cost before it arrives; the machine applies the run's jitter. */
  readonly delayNs?: number;
  /** A send id, so a tie chooser can name the timer. */
  readonly id?: string;
}

/** What a step of a probe actor returns: the fields of its state it changes, its trace events and messages. */
export interface Step<S> {
  readonly state: Partial<S>;
  readonly trace: readonly TraceEvent[];
  readonly send: readonly Message[];
}

/** What a step of a boot actor returns: its whole new state, its trace events and messages. */
export interface StepResult<S> {
  readonly state: S;
  readonly trace: readonly TraceEvent[];
  readonly send: readonly Message[];
}

/** What a step reads of the run besides its state: the time, the scenario and the seeded jitter on a cost. */
export interface At {
  readonly now: number;
  readonly scenario: ResolvedScenario;
  readonly cost: (ns: number) => number;
}

export const step = <S>(state: Partial<S>, trace: readonly TraceEvent[] = [], send: readonly Message[] = []): Step<S> => ({ state, trace, send });

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

/** The send options of a message timed by `delayNs`: its cost with the run's jitter, and its id. */
export function sendOptions(env: SimEnv, message: Message): { delay?: number; id?: string } | undefined {
  if (message.delayNs === undefined) return message.id === undefined ? undefined : { id: message.id };
  return { delay: env.cost(message.delayNs), id: message.id };
}
