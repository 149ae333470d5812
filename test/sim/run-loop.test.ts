import { describe, expect, it } from 'vitest';
import { runToQuiescence } from '../../src/sim/run-loop.js';
import { SeededRandom } from '../../src/sim/random.js';
import { VirtualClock } from '../../src/sim/virtual-clock.js';

/** A timer that reschedules itself forever, every `period` ns. */
function ticker(clock: VirtualClock, period: number, fired: number[]): void {
  const tick = () => {
    fired.push(clock.now());
    clock.setTimeout(tick, period);
  };
  clock.setTimeout(tick, period);
}

describe('runToQuiescence', () => {
  it('runs every timer and reports quiescence with the event count and final time', () => {
    const clock = new VirtualClock();
    for (const t of [30, 10, 20]) clock.setTimeout(() => {}, t);
    expect(runToQuiescence(clock)).toEqual({ kind: 'quiescent', events: 3, timeNs: 30 });
    expect(clock.pending).toBe(0);
  });

  it('an idle clock is quiescent at once', () => {
    expect(runToQuiescence(new VirtualClock())).toEqual({ kind: 'quiescent', events: 0, timeNs: 0 });
  });

  it('stops before the first timer due after maxTimeNs, leaving it pending', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    ticker(clock, 100, fired);
    const out = runToQuiescence(clock, { maxTimeNs: 1000 });
    expect(out).toEqual({ kind: 'time-limit', events: 10, timeNs: 1000 });
    expect(fired.at(-1)).toBe(1000);
    expect(clock.nextTime()).toBe(1100);
  });

  it('a timer exactly at maxTimeNs still fires', () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), 500);
    expect(runToQuiescence(clock, { maxTimeNs: 500 }).kind).toBe('quiescent');
    expect(fired).toBe(true);
  });

  it('stops after maxEvents timers', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    ticker(clock, 7, fired);
    const out = runToQuiescence(clock, { maxEvents: 25 });
    expect(out).toEqual({ kind: 'event-limit', events: 25, timeNs: 175 });
    expect(fired).toHaveLength(25);
  });

  it('can be resumed after a limit and continues where it stopped', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    for (let i = 1; i <= 5; i++) clock.setTimeout(() => fired.push(i), i);
    expect(runToQuiescence(clock, { maxEvents: 2 }).kind).toBe('event-limit');
    expect(runToQuiescence(clock)).toEqual({ kind: 'quiescent', events: 3, timeNs: 5 });
    expect(fired).toEqual([1, 2, 3, 4, 5]);
  });

  it('cancelled timers are not counted as events', () => {
    const clock = new VirtualClock();
    const a = clock.setTimeout(() => {}, 1);
    clock.setTimeout(() => clock.clearTimeout(c), 2);
    const c = clock.setTimeout(() => {}, 3);
    clock.clearTimeout(a);
    expect(runToQuiescence(clock)).toEqual({ kind: 'quiescent', events: 1, timeNs: 2 });
  });
});

describe('SeededRandom', () => {
  it('is reproducible per seed and in [0, 1)', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
    const c = new SeededRandom(6);
    expect(Array.from({ length: 10 }, () => c.next())).not.toEqual(xs.slice(0, 10));
  });

  it('jitter stays within the spread and is the identity at spread 0', () => {
    const r = new SeededRandom(3);
    expect(r.jitter(100, 0)).toBe(100);
    for (let i = 0; i < 1000; i++) {
      const v = r.jitter(100, 0.1);
      expect(v).toBeGreaterThanOrEqual(90);
      expect(v).toBeLessThanOrEqual(110);
    }
  });
});

describe('runToQuiescence with a default budget', () => {
  it('over the event budget the run is stuck, naming the label that repeats', () => {
    const clock = new VirtualClock();
    const spin = () => {
      clock.labelNext({ actor: 'spinner', event: 'POLL' });
      clock.setTimeout(spin, 10);
    };
    clock.labelNext({ actor: 'once', event: 'GO' });
    clock.setTimeout(() => {}, 1);
    spin();
    const out = runToQuiescence(clock, {}, { maxEvents: 100, maxTimeNs: Infinity });
    expect(out).toMatchObject({ kind: 'stuck', events: 100, stuck: { actor: 'spinner', event: 'POLL', repeats: 99 } });
  });

  it('over the time budget the run is stuck too', () => {
    const clock = new VirtualClock();
    ticker(clock, 100, []);
    expect(runToQuiescence(clock, {}, { maxEvents: Infinity, maxTimeNs: 1000 })).toMatchObject({ kind: 'stuck', events: 10, timeNs: 1000 });
  });

  it("a caller's limit wins over the budget on its own dimension", () => {
    const clock = new VirtualClock();
    ticker(clock, 100, []);
    const budget = { maxEvents: 5, maxTimeNs: 300 };
    expect(runToQuiescence(clock, { maxEvents: 2 }, budget).kind).toBe('event-limit');
    expect(runToQuiescence(clock, { maxTimeNs: 400 }, budget).kind).toBe('time-limit');
  });

  it('stops right after the timer that failed', () => {
    const clock = new VirtualClock();
    let failed = false;
    clock.setTimeout(() => (failed = true), 5);
    clock.setTimeout(() => {}, 6);
    expect(runToQuiescence(clock, {}, undefined, () => failed)).toEqual({ kind: 'failed', events: 1, timeNs: 5 });
    expect(clock.pending).toBe(1);
  });
});
