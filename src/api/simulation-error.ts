import type { RunResult } from './result.js';

/**
 * An error thrown inside an actor of a run: the run stopped at once. Names
 * the actor, the event it was handling and (as `message`) the error's message, and carries
 * the result up to that point (`engine.outcome` is `failed`).
 */
export class SimulationError extends Error {
  readonly actor: string;
  readonly event: string;
  readonly result: RunResult;

  constructor(failure: { actor: string; event: string; message: string }, result: RunResult, options?: { cause?: unknown }) {
    super(failure.message, options);
    this.name = 'SimulationError';
    this.actor = failure.actor;
    this.event = failure.event;
    this.result = result;
  }
}
