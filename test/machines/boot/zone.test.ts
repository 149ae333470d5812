import { describe, expect, it } from 'vitest';
import { createEmptyActor } from 'xstate';
import { resizeZone } from '../../../machines/boot/zone.js';

const replyTo = createEmptyActor();
const params = { zone: 'node0/device', nowNs: 5, resizeNs: 700 };

describe('resizeZone (resize_zone_range)', () => {
  it('gives an empty zone the range as its span', () => {
    const step = resizeZone({ startPfn: 0, endPfn: 0 }, { by: 'pmem0', startPfn: 1000, endPfn: 3000, replyTo }, params);
    expect(step.state).toEqual({ startPfn: 1000, endPfn: 3000 });
  });

  it('grows a spanned zone to cover both, never shrinks it', () => {
    const below = resizeZone({ startPfn: 1000, endPfn: 3000 }, { by: 'pmem1', startPfn: 200, endPfn: 400, replyTo }, params);
    expect(below.state).toEqual({ startPfn: 200, endPfn: 3000 });
    const inside = resizeZone({ startPfn: 1000, endPfn: 3000 }, { by: 'pmem1', startPfn: 1500, endPfn: 2000, replyTo }, params);
    expect(inside.state).toEqual({ startPfn: 1000, endPfn: 3000 });
  });

  it('traces the new span and replies RESIZED after the resize cost', () => {
    const step = resizeZone({ startPfn: 1000, endPfn: 3000 }, { by: 'pmem1', startPfn: 3000, endPfn: 5000, replyTo }, params);
    expect(step.trace).toEqual([{ type: 'zone.resize', t: 5, zone: 'node0/device', by: 'pmem1', startPfn: 1000, endPfn: 5000 }]);
    expect(step.send).toEqual([{ to: replyTo, event: { type: 'RESIZED' }, delayNs: 700, id: 'resized:pmem1' }]);
  });
});
