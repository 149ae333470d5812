import type { ActorRefLike, AnyActorRef } from 'xstate';

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
  root.system.inspect((ev) => {
    if (ev.type !== '@xstate.event') return;
    const type = ev.event.type;
    if (type.startsWith(ERROR_EVENT) && ev.sourceRef) fail(ev.sourceRef, (ev.event as { error?: unknown }).error);
    else lastEvent.set(ev.actorRef, type);
  });
  root.subscribe({ error: (error) => fail(root, error) });
  return watch;
}
