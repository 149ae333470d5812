import type { AnyActorRef } from 'xstate';
import type { PfnRange } from '../../src/model/scenario.js';
import type { StepResult } from '../shared/step.js';

/**
 * resize_zone_range for move_pfn_range_to_zone, pure: the zone's span grows
 * to cover the new range (an empty zone takes the range as its span), and
 * the mover hears back after the cost of the resize.
 */
export type ZoneSpan = PfnRange;

export interface ResizeRequest extends PfnRange {
  /** The namespace moving its range into the zone. */
  readonly by: string;
  readonly replyTo: AnyActorRef;
}

export interface ResizeParams {
  readonly zone: string;
  readonly nowNs: number;
  readonly resizeNs: number;
}

export const isEmptyZone = (span: ZoneSpan): boolean => span.endPfn <= span.startPfn;

export function resizeZone(span: ZoneSpan, request: ResizeRequest, params: ResizeParams): StepResult<ZoneSpan> {
  const empty = isEmptyZone(span);
  const startPfn = empty ? request.startPfn : Math.min(span.startPfn, request.startPfn);
  const endPfn = empty ? request.endPfn : Math.max(span.endPfn, request.endPfn);
  return {
    state: { startPfn, endPfn },
    trace: [{ type: 'zone.resize', t: params.nowNs, zone: params.zone, by: request.by, startPfn, endPfn }],
    send: [{ to: request.replyTo, event: { type: 'RESIZED' }, delayNs: params.resizeNs, id: `resized:${request.by}` }],
  };
}
