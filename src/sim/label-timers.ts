import type { AnyActorRef } from 'xstate';
import type { VirtualClock } from './virtual-clock.js';

/**
 * Makes every XState delayed event tell the clock what it delivers (target
 * actor id, event type) just before the scheduler calls `clock.setTimeout`,
 * so a stuck run can name the actor and event that repeat. Install before
 * the root actor starts: its entry actions schedule the first delays.
 */
export function labelTimers(root: AnyActorRef, clock: VirtualClock): void {
  const scheduler = root.system.scheduler;
  const schedule = scheduler.schedule.bind(scheduler);
  scheduler.schedule = (source, target, event, delay, id) => {
    clock.labelNext({ actor: target.id, event: event.type });
    schedule(source, target, event, delay, id);
  };
}
