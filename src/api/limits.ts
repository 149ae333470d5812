import { InputError } from '../model/input-error.js';
import type { RunLimits } from '../sim/run-loop.js';

/** A caller's `limits`: an object with at most a whole `maxEvents` and a finite `maxTimeNs`, both >= 0. */
export function validateLimits(limits: unknown): RunLimits | undefined {
  if (limits === undefined) return undefined;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new InputError('limits', 'must be an object { maxEvents?, maxTimeNs? }');
  }
  const { maxEvents, maxTimeNs, ...rest } = limits as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new InputError(`limits.${unknown}`, 'unknown key (known: maxEvents, maxTimeNs)');
  if (maxEvents !== undefined && !(Number.isSafeInteger(maxEvents) && (maxEvents as number) >= 0)) {
    throw new InputError('limits.maxEvents', 'must be a whole number >= 0');
  }
  if (maxTimeNs !== undefined && !(typeof maxTimeNs === 'number' && Number.isFinite(maxTimeNs) && maxTimeNs >= 0)) {
    throw new InputError('limits.maxTimeNs', 'must be a finite number of ns >= 0');
  }
  return { maxEvents: maxEvents as number | undefined, maxTimeNs: maxTimeNs as number | undefined };
}
