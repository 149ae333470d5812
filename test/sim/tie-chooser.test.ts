import { describe, expect, it } from 'vitest';
import { HALT, replayChooser, type ChoicePoint } from '../../src/sim/tie-chooser.js';
import { VirtualClock } from '../../src/sim/virtual-clock.js';
import { runToQuiescence } from '../../src/sim/run-loop.js';

/** Schedules three timers at 5 ns and one at 9 ns; returns the firing order. */
function fire(clock: VirtualClock): string[] {
  const out: string[] = [];
  for (const name of ['a', 'b', 'c']) clock.schedule(() => out.push(name), 5);
  clock.schedule(() => out.push('late'), 9);
  runToQuiescence(clock);
  return out;
}

describe('VirtualClock tie chooser', () => {
  it('without a chooser ties stay FIFO, and a chooser that always takes 0 gives the same order', () => {
    expect(fire(new VirtualClock())).toEqual(['a', 'b', 'c', 'late']);
    expect(fire(new VirtualClock(undefined, false, { chooser: () => 0 }))).toEqual(['a', 'b', 'c', 'late']);
  });

  it('offers the k timers due together in insertion order, and runs the one picked', () => {
    const points: { k: number; index: number; pending: number }[] = [];
    const chooser = (p: ChoicePoint) => {
      points.push({ k: p.candidates.length, index: p.index, pending: p.pending().length });
      return p.candidates.length - 1;
    };
    expect(fire(new VirtualClock(undefined, false, { chooser }))).toEqual(['c', 'b', 'a', 'late']);
    // k = 3, then 2; a lone timer is no choice point.
    expect(points).toEqual([
      { k: 3, index: 0, pending: 1 },
      { k: 2, index: 1, pending: 1 },
    ]);
  });

  it('replays a recorded choice sequence and refuses one that does not fit the run', () => {
    expect(fire(new VirtualClock(undefined, false, { chooser: replayChooser([1]) }))).toEqual(['b', 'a', 'c', 'late']);
    expect(() => fire(new VirtualClock(undefined, false, { chooser: replayChooser([3]) }))).toThrow(/only 3 timers/);
  });

  it('HALT ends the run at once', () => {
    const clock = new VirtualClock(undefined, false, { chooser: () => HALT });
    expect(fire(clock)).toEqual([]);
    expect(clock.halted).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('a quantum rounds positive delays up to whole quanta, at least one ahead, so near timers tie', () => {
    const clock = new VirtualClock(undefined, false, { quantumNs: 10 });
    const at: number[] = [];
    clock.schedule(() => at.push(clock.now()), 3);
    clock.schedule(() => at.push(clock.now()), 10);
    clock.schedule(() => at.push(clock.now()), 0);
    clock.schedule(() => {
      at.push(clock.now());
      clock.schedule(() => at.push(clock.now()), 1e-9);
    }, 11);
    runToQuiescence(clock);
    expect(at).toEqual([0, 10, 10, 20, 30]);
  });
});
