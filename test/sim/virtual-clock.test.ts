import { afterEach, describe, expect, it, vi } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import { SeededRandom } from '../../src/sim/random.js';
import { runToQuiescence } from '../../src/sim/run-loop.js';
import { Priority, VirtualClock } from '../../src/sim/virtual-clock.js';

afterEach(() => vi.restoreAllMocks());

describe('VirtualClock', () => {
  it('starts at 0 and moves only when a timer fires, to that timer’s time', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 300);
    clock.setTimeout(() => seen.push(clock.now()), 100);
    expect(clock.now()).toBe(0);
    expect(clock.pending).toBe(2);
    expect(clock.nextTime()).toBe(100);
    expect(clock.step()).toBe(true);
    expect(clock.now()).toBe(100);
    expect(clock.step()).toBe(true);
    expect(clock.now()).toBe(300);
    expect(clock.step()).toBe(false);
    expect(seen).toEqual([100, 300]);
    expect(clock.eventsFired).toBe(2);
  });

  it('delays are relative to the time of scheduling', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      clock.setTimeout(() => seen.push(clock.now()), 50);
    }, 1000);
    runToQuiescence(clock);
    expect(seen).toEqual([1050]);
  });

  it('clearTimeout cancels a timer; clearing undefined is harmless', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('b'), 20);
    clock.clearTimeout(a);
    clock.clearTimeout(undefined);
    expect(clock.pending).toBe(1);
    runToQuiescence(clock);
    expect(fired).toEqual(['b']);
    expect(clock.now()).toBe(20);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a delay of %s', (delay) => {
    const clock = new VirtualClock();
    expect(() => clock.schedule(() => {}, delay)).toThrow(RangeError);
    expect(clock.pending).toBe(0);
  });

  it('same-time timers run FIFO without exploration', () => {
    const clock = new VirtualClock(new SeededRandom(7), false);
    const order: number[] = [];
    for (let i = 0; i < 10; i++) clock.setTimeout(() => order.push(i), 5);
    runToQuiescence(clock);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('at the same instant, actor timers run before engine work whatever the order scheduled', () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.schedule(() => order.push('engine'), 10, Priority.engine);
    clock.setTimeout(() => order.push('actor'), 10);
    runToQuiescence(clock);
    expect(order).toEqual(['actor', 'engine']);
  });
});

function tieOrder(seed: number, explore: boolean, n = 8): number[] {
  const clock = new VirtualClock(new SeededRandom(seed), explore);
  const order: number[] = [];
  for (let i = 0; i < n; i++) clock.setTimeout(() => order.push(i), 42);
  // A later timer: exploration must never move it before the ties.
  clock.setTimeout(() => order.push(-1), 43);
  runToQuiescence(clock);
  return order;
}

describe('VirtualClock exploration', () => {
  it('the same seed gives the same order of ties', () => {
    for (const seed of [1, 2, 3, 99]) expect(tieOrder(seed, true)).toEqual(tieOrder(seed, true));
  });

  it('reorders ties (some seed gives a non-FIFO order) but never across times', () => {
    const fifo = [0, 1, 2, 3, 4, 5, 6, 7, -1];
    const orders = [1, 2, 3, 4, 5, 6, 7, 8].map((s) => tieOrder(s, true));
    // 8 ties: a FIFO order by chance has probability 1/40320 per seed.
    expect(orders.some((o) => o.join() !== fifo.join())).toBe(true);
    // Different seeds give at least two distinct orders.
    expect(new Set(orders.map((o) => o.join())).size).toBeGreaterThan(1);
    for (const o of orders) {
      expect(o.at(-1)).toBe(-1);
      expect([...o.slice(0, 8)].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
  });

  it('without explore, the seed does not matter', () => {
    expect(tieOrder(1, false)).toEqual(tieOrder(12345, false));
  });
});

/** A tiny machine with `after` delays in simulated ns. */
const blinker = setup({
  types: { context: {} as { log: string[]; clock: VirtualClock }, input: {} as { clock: VirtualClock } },
  actions: {
    note: assign({ log: ({ context }, p: { what: string }) => [...context.log, `${p.what}@${context.clock.now()}`] }),
  },
  delays: { long: 3_600e9 },
}).createMachine({
  context: ({ input }) => ({ log: [], clock: input.clock }),
  initial: 'a',
  states: {
    a: { entry: { type: 'note', params: { what: 'a' } }, after: { 1000: 'b', 5000: 'never' } },
    b: { entry: { type: 'note', params: { what: 'b' } }, after: { long: 'c' } },
    c: { entry: { type: 'note', params: { what: 'c' } }, after: { 1: 'done' } },
    never: { entry: { type: 'note', params: { what: 'never' } } },
    done: { entry: { type: 'note', params: { what: 'done' } }, type: 'final' },
  },
});

describe('VirtualClock as XState clock', () => {
  it('runs `after` transitions in simulated ns, cancelling the ones left behind', () => {
    const clock = new VirtualClock();
    const actor = createActor(blinker, { clock, input: { clock } });
    actor.start();
    expect(actor.getSnapshot().value).toBe('a');
    // The 1000 and 5000 ns timers are pending on the virtual clock.
    expect(clock.pending).toBe(2);
    const outcome = runToQuiescence(clock);
    const snap = actor.getSnapshot();
    expect(snap.status).toBe('done');
    expect(snap.context.log).toEqual(['a@0', 'b@1000', `c@${1000 + 3_600e9}`, `done@${1000 + 3_600e9 + 1}`]);
    expect(outcome).toEqual({ kind: 'quiescent', events: 3, timeNs: 1000 + 3_600e9 + 1 });
  });

  it('never touches the wall clock timers (an hour of simulated time is instant)', () => {
    const setT = vi.spyOn(globalThis, 'setTimeout');
    const clearT = vi.spyOn(globalThis, 'clearTimeout');
    const clock = new VirtualClock();
    const actor = createActor(blinker, { clock, input: { clock } });
    const wall = performance.now();
    actor.start();
    runToQuiescence(clock);
    expect(performance.now() - wall).toBeLessThan(1000);
    expect(actor.getSnapshot().status).toBe('done');
    expect(setT).not.toHaveBeenCalled();
    expect(clearT).not.toHaveBeenCalled();
  });

  it('nothing happens until the run loop drives the clock', async () => {
    const clock = new VirtualClock();
    const actor = createActor(blinker, { clock, input: { clock } });
    actor.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(actor.getSnapshot().value).toBe('a');
    expect(clock.now()).toBe(0);
  });
});
