import type { ActorRefLike, AnyActorRef, InspectionEvent } from 'xstate';

/** The first error thrown inside an actor of a run. */
export interface ActorFailure {
  readonly actor: string;
  /** The event the actor was handling when it threw. */
  readonly event: string;
  readonly message: string;
}

export interface FailureWatch {
  /** The first failure, once an actor has thrown. */
  readonly failure: ActorFailure | undefined;
  /** What was thrown. */
  readonly cause: unknown;
}

/** What XState's system has beyond its typed surface: the hook every inspection event goes through. */
interface SystemInternals {
  _sendInspectionEvent?: (event: InspectionEvent) => void;
}

const ERROR_EVENT = 'xstate.error.actor.';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)) || 'unknown error';

/**
 * Watches a run's actors for thrown errors. XState turns a throw into an
 * error event to the parent, which fails in turn up to the root; with no
 * error observer on the root it would rethrow the error later, in a timer
 * nothing can catch. The root's observer here takes it instead, and the
 * first error event names the actor that threw; the event it was handling is
 * the last one delivered to it. Subscribe before the root starts.
 */
export function watchFailures(root: AnyActorRef): FailureWatch {
  const lastEvent = new WeakMap<ActorRefLike, string>();
  const watch: { failure: ActorFailure | undefined; cause: unknown } = { failure: undefined, cause: undefined };
  const fail = (actor: ActorRefLike, error: unknown) => {
    if (watch.failure) return;
    watch.failure = { actor: (actor as Partial<AnyActorRef>).id ?? 'unknown', event: lastEvent.get(actor) ?? 'xstate.init', message: messageOf(error) };
    watch.cause = error;
  };
  onDelivery(root, (ev) => {
    const type = ev.event.type;
    if (type.startsWith(ERROR_EVENT) && ev.sourceRef) fail(ev.sourceRef, (ev.event as { error?: unknown }).error);
    else lastEvent.set(ev.actorRef, type);
  });
  root.subscribe({ error: (error) => fail(root, error) });
  return watch;
}

/**
 * Calls `see` with every event XState delivers to an actor of the root's
 * system (its `@xstate.event` inspection events). An inspection observer
 * would do, but with one attached XState copies every inspection event (every
 * snapshot, action and microstep of every actor) to stamp it with the root's
 * id: a tenth of a small run. So the system's internal hook is wrapped
 * instead, which sees the same events in the same order, and the observer is
 * the fallback for an XState without that hook.
 */
function onDelivery(root: AnyActorRef, see: (event: Extract<InspectionEvent, { type: '@xstate.event' }>) => void): void {
  const system = root.system as unknown as SystemInternals;
  const send = system._sendInspectionEvent;
  if (typeof send !== 'function') {
    root.system.inspect((ev) => {
      if (ev.type === '@xstate.event') see(ev);
    });
    return;
  }
  system._sendInspectionEvent = (ev) => {
    if (ev.type === '@xstate.event') see(ev);
    send(ev);
  };
}
