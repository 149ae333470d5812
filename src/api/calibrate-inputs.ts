import { InputError } from '../model/input-error.js';
import { PARAM_RANGES, rangeRule } from '../model/profiles/ranges.js';
import { MAX_THREADS } from '../model/work-bounds.js';

/** A measured time of the slowest node's deferred init (or of a whole boot) at a thread count. */
export interface Measurement {
  readonly threads: number;
  readonly ms: number;
  /** The measurement's standard deviation over repeated boots, when known; else its printed precision stands for it. */
  readonly stdevMs?: number;
}

/** Rows of a fit may be off by this much (relative); beyond it the fit is not a result. */
export const FIT_TOLERANCE = 0.01;

export function parseMeasure(text: string, flag: string): Measurement {
  const m = /^\s*(\d+)\s*:\s*(\d+(?:\.\d+)?)\s*(?::\s*(\d+(?:\.\d+)?)\s*)?$/.exec(text);
  if (!m) throw new InputError(flag, `must be THREADS:MS or THREADS:MS:STDEV (e.g. 52:143.3 or 52:143.3:1.5), got "${text}"`);
  const measure = { threads: Number(m[1]), ms: Number(m[2]), ...(m[3] === undefined ? {} : { stdevMs: Number(m[3]) }) };
  checkMeasure(measure, flag);
  return measure;
}

function checkMeasure(m: Measurement, field: string): void {
  const text = `${m?.threads}:${m?.ms}`;
  if (typeof m !== 'object' || m === null) throw new InputError(field, 'each must be { threads, ms }');
  if (!Number.isInteger(m.threads) || m.threads < 1 || m.threads > MAX_THREADS)
    throw new InputError(field, `threads must be a whole number from 1 to ${MAX_THREADS}, got "${text}"`);
  if (typeof m.ms !== 'number' || !Number.isFinite(m.ms) || m.ms <= 0) throw new InputError(field, `time must be a finite number > 0 ms, got "${text}"`);
  if (m.stdevMs !== undefined && (typeof m.stdevMs !== 'number' || !(m.stdevMs >= 0 && m.stdevMs < m.ms)))
    throw new InputError(field, `stdev must be a number from 0 to below the time, got ${JSON.stringify(m.stdevMs)} for "${text}"`);
}

/**
 * Deferred-init measurements a fit can use: at least two thread counts, each
 * time finite and positive, and no time that grows with threads (more
 * threads never make deferred init slower in the model, so no fit exists).
 */
export function checkMeasures(measures: readonly Measurement[], field = '--measure'): void {
  if (!Array.isArray(measures)) throw new InputError(field, 'must be an array of { threads, ms }');
  for (const m of measures) checkMeasure(m, field);
  if (measures.length < 2) throw new InputError(field, 'give at least two (e.g. --measure 1:1717.7 --measure 52:143.3): two parameters are fitted');
  if (new Set(measures.map((m) => m.threads)).size < 2) throw new InputError(field, 'needs at least two different thread counts');
  const sorted = [...measures].sort((a, b) => a.threads - b.threads);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (b.threads > a.threads && b.ms > a.ms) {
      throw new InputError(field, `times must not grow with threads: ${b.threads}:${b.ms} is slower than ${a.threads}:${a.ms}`);
    }
  }
}

/**
 * The rest of boot from measured boots: each boot minus deferred init at its
 * thread count (`deferredAt`), averaged. A boot no longer than its deferred
 * init, or a rest outside restOfBootMs's range, is refused.
 */
export function restOfBoot(boot: readonly Measurement[], deferredAt: (threads: number) => number, field = '--boot'): number {
  if (!Array.isArray(boot)) throw new InputError(field, 'must be an array of { threads, ms }');
  const excess = boot.map((b) => {
    checkMeasure(b, field);
    const deferred = deferredAt(b.threads);
    if (b.ms <= deferred) {
      throw new InputError(
        field,
        `${b.threads}:${b.ms} is not longer than deferred init at ${b.threads} threads (${deferred} ms): a boot includes its deferred init`,
      );
    }
    return b.ms - deferred;
  });
  const rest = Math.round((excess.reduce((a, v) => a + v, 0) / excess.length) * 1000) / 1000;
  const range = PARAM_RANGES.restOfBootMs;
  if (!(rest >= range.min && rest <= range.max)) throw new InputError(field, `gives restOfBootMs ${rest}: ${rangeRule(range, 'ms')}`);
  return rest;
}
