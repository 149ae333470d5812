/**
 * One thread's chunk (machines/boot/padata-helper.ts): cut into steps of
 * whole max-order blocks per section run, capped by its CPU rate, reported
 * at each step's end.
 */
import { describe, expect, it } from 'vitest';
import { createEmptyActor } from 'xstate';
import { capOf, endStep, stepsOf, type ChunkGeometry } from '../../../machines/boot/padata-helper.js';

const MO = 1024;
const s0 = createEmptyActor();
const s1 = createEmptyActor();
const buddy = createEmptyActor();
const writer = createEmptyActor();
const geometry: ChunkGeometry = {
  free: [
    { startPfn: 100, endPfn: 2 * MO + 500 },
    { startPfn: 2 * MO + 600, endPfn: 8 * MO },
  ],
  sections: [
    { ref: s0, startPfn: 0, endPfn: 4 * MO },
    { ref: s1, startPfn: 4 * MO, endPfn: 8 * MO },
  ],
  freeOrder: 'maxorder',
  structPageBytes: 64,
  maxOrderNrPages: MO,
  l2Bytes: 2 ** 20,
};

describe('stepsOf', () => {
  it('a leading partial block is a step of its own; pieces of one max-order block share a step; a section run ends a step', () => {
    const steps = stepsOf(geometry, { startPfn: 0, endPfn: 8 * MO });
    expect(steps.map((s) => [s.startPfn, s.endPfn, s.section === s0 ? 's0' : 's1', s.ranges.length])).toEqual([
      [100, MO, 's0', 1],
      [MO, 3 * MO, 's0', 2],
      [3 * MO, 4 * MO, 's0', 1],
      [4 * MO, 8 * MO, 's1', 1],
    ]);
    expect(steps.reduce((a, s) => a + s.pages, 0)).toBe(2 * MO + 500 - 100 + 6 * MO - 600);
  });

  it('with maxorder, a chunk ending inside a block runs to the end of that block', () => {
    const steps = stepsOf(geometry, { startPfn: 4 * MO, endPfn: 4 * MO + 10 });
    expect(steps.map((s) => [s.startPfn, s.endPfn])).toEqual([[4 * MO, 5 * MO]]);
  });

  it('initializing a whole chunk that does not fit in L2 before freeing it re-reads the memmap: twice the bytes', () => {
    const chunk = { ...geometry, freeOrder: 'chunk' as const, l2Bytes: 1024 };
    expect(stepsOf(chunk, { startPfn: 4 * MO, endPfn: 8 * MO })[0].bytesPerPage).toBe(128);
    expect(stepsOf(geometry, { startPfn: 4 * MO, endPfn: 8 * MO })[0].bytesPerPage).toBe(64);
  });
});

describe('capOf and endStep', () => {
  const [step] = stepsOf(geometry, { startPfn: MO, endPfn: 3 * MO });

  it('caps a flow at the CPU rate times its SMT speed', () => {
    expect(capOf(step, 0.5, 2)).toBe(16);
  });

  it('traces each piece as initialized, frees the step to the buddy, then sets each piece\u2019s pageblocks in its section', () => {
    const { trace, send } = endStep(step, { worker: 'node0/j0/w1', node: 0, writer, buddy, freeOrder: 'maxorder', startedAtNs: 10, nowNs: 90 });
    expect(trace.map((e) => e.type)).toEqual(['pages.init', 'pages.init']);
    expect(trace[0]).toMatchObject({ node: 0, worker: 'node0/j0/w1', startPfn: MO, endPfn: 2 * MO + 500, startedAt: 10, t: 90 });
    expect(send.map((m) => [m.to === buddy ? 'buddy' : 'section', m.event.type])).toEqual([
      ['buddy', 'PAGES_FREED'],
      ['section', 'PAGEBLOCKS'],
      ['section', 'PAGEBLOCKS'],
    ]);
    expect(send[1].event).toMatchObject({ startPfn: MO, endPfn: 2 * MO + 500, startNs: 10, endNs: 90, writer });
  });
});
