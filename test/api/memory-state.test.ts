/**
 * State follows the work, not the machine: a namespace ending at the 52-bit
 * physical limit (33.5 million sections) leaves each section actor a span and
 * a few counts, however many sections it owns.
 */
import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { simulate } from '../../src/api/simulate.js';

const HUGE = {
  name: 'ns-4p',
  profile: 'pmem-2018',
  strategy: 'outside-lock',
  nodes: [{ id: 0, cores: 28, threadsPerCore: 2, dram: [{ start: '4G', size: '252G' }] }],
  namespaces: [{ name: 'pmem0', node: 0, start: '256G', size: String(2 ** 52 - 2 ** 38), mode: 'fsdax', altmap: true }],
};

describe('memory that follows the work', () => {
  it('every section actor of a 4 PiB namespace keeps a few numbers, not one per section', () => {
    const contexts = new Map<string, Record<string, unknown>>();
    const result = simulate(HUGE, {
      inspect: (e: InspectionEvent) => {
        const { id } = e.actorRef as AnyActorRef;
        if (e.type === '@xstate.snapshot' && /^pmem0\/s\d+-\d+$/.test(id)) {
          contexts.set(id, (e.snapshot as unknown as { context: Record<string, unknown> }).context);
        }
      },
    });
    expect(result.namespaces[0].structPagesInitialized).toBeGreaterThan(2 ** 39);
    expect(contexts.size).toBe(64);
    for (const [id, { env: _env, ...state }] of contexts) {
      // Each run owns 524,284 or so sections; its state is the same size as one section's.
      expect(JSON.stringify(state).length, id).toBeLessThan(600);
      expect(state.live).toMatchObject({ first: expect.any(Number), last: expect.any(Number) });
    }
  });
});
