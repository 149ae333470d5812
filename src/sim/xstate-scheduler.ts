import type { AnyActorRef, EventObject } from 'xstate';
import type { QueueEntry } from './event-queue.js';
import { Priority, type VirtualClock } from './virtual-clock.js';

/** What XState's system has beyond its typed surface: the delivery of one event from a source to a target. */
interface SystemInternals {
  _relay?: (source: AnyActorRef | undefined, target: AnyActorRef, event: EventObject) => void;
}

/**
 * Replaces the XState system's scheduler of delayed events with one that
 * puts them straight on the virtual clock, labelled with what they deliver
 * (target actor id, event type) so a stuck run can name what repeats.
 *
 * XState's own scheduler keeps every pending delayed event in one object
 * keyed by `sessionId.id`, stamps it with `Date.now()`, draws an id from
 * `Math.random()` when the sender gave none, and on every actor stop scans
 * all pending events of the system for that actor's: with thousands of
 * timers pending and thousands of actors finishing, that scan is quadratic.
 * Here each source actor has its own map of pending ids. What XState does is
 * kept exactly, quirks included: scheduling an id again does not cancel the
 * earlier timer, and a timer that fires forgets its id even if a later timer
 * reused it. The system's persisted snapshot (`getSnapshot()._scheduledEvents`)
 * stays empty: runs are never persisted.
 *
 * Install before the root actor starts: its entry actions schedule the
 * first delays. If the system lacks the internal `_relay` (another XState
 * version), only the labels are added and XState keeps its scheduler.
 */
export function installScheduler(root: AnyActorRef, clock: VirtualClock): void {
  const system = root.system;
  const relay = (system as unknown as SystemInternals)._relay;
  const scheduler = system.scheduler;
  if (typeof relay !== 'function') {
    const schedule = scheduler.schedule.bind(scheduler);
    scheduler.schedule = (source, target, event, delay, id) => {
      clock.labelNext({ actor: target.id, event: event.type });
      schedule(source, target, event, delay, id);
    };
    return;
  }
  const pending = new Map<AnyActorRef, Map<string, QueueEntry>>();
  // Ids for delayed events sent without one: unique, like XState's random ones, but deterministic.
  let unnamed = 0;
  scheduler.schedule = (source, target, event, delay, id = `\u0000unnamed-${unnamed++}`) => {
    let timers = pending.get(source);
    if (!timers) pending.set(source, (timers = new Map()));
    const own = timers;
    const fire = () => {
      own.delete(id);
      relay(source, target, event);
    };
    own.set(id, clock.schedule(fire, delay, Priority.actor, { actor: target.id, event: event.type }));
  };
  scheduler.cancel = (source, id) => {
    const timers = pending.get(source);
    const entry = timers?.get(id);
    if (entry === undefined) return;
    timers!.delete(id);
    clock.clearTimeout(entry);
  };
  scheduler.cancelAll = (source) => {
    const timers = pending.get(source);
    if (!timers) return;
    pending.delete(source);
    for (const entry of timers.values()) clock.clearTimeout(entry);
  };
}
