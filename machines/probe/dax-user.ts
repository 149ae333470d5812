import type { TraceEvent } from '../../src/model/trace-events.js';
import { step, type Step } from '../shared/step.js';

/**
 * What a DAX user does when a namespace is published: dax is mapped
 * directly, so "any address may be directly accessed at any time" (seed
 * 000). It touches the first, middle and last data pfn; the I1 checker
 * verifies each touched struct page was initialized first.
 */
export interface Published {
  readonly namespace: string;
  readonly startPfn: number;
  readonly endPfn: number;
}

export function touchPublished(user: string, published: Published, now: number): Step<Record<never, never>> {
  const { namespace, startPfn, endPfn } = published;
  const pfns = new Set([startPfn, startPfn + Math.floor((endPfn - startPfn) / 2), endPfn - 1]);
  const trace: TraceEvent[] = [...pfns].map((pfn) => ({ type: 'dax.access', t: now, namespace, pfn, user }));
  return step({}, trace);
}
