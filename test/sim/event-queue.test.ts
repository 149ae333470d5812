import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, type QueueEntry } from '../../src/sim/event-queue.js';

const FC_SEED = Number(process.env.FC_SEED ?? 42);

let seqCounter = 0;
function entry(time: number, priority = 0, tie = 0, seq = seqCounter++): QueueEntry {
  return { time, priority, tie, seq, fn: () => {}, cancelled: false };
}

function drain(q: EventQueue): QueueEntry[] {
  const out: QueueEntry[] = [];
  for (let e = q.pop(); e; e = q.pop()) out.push(e);
  return out;
}

const key = (e: QueueEntry) => [e.time, e.priority, e.tie, e.seq] as const;
function compareKeys(a: QueueEntry, b: QueueEntry): number {
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

describe('EventQueue ordering', () => {
  it('pops by time first, whatever the insertion order', () => {
    const q = new EventQueue();
    for (const t of [50, 10, 40, 20, 30]) q.push(entry(t));
    expect(drain(q).map((e) => e.time)).toEqual([10, 20, 30, 40, 50]);
  });

  it('at equal time, lower priority first, even when pushed later', () => {
    const q = new EventQueue();
    const engine = entry(100, 10, 0, 0);
    const actor = entry(100, 0, 0, 1);
    q.push(engine);
    q.push(actor);
    expect(drain(q)).toEqual([actor, engine]);
  });

  it('at equal time and priority, lower tie first, even with a higher seq', () => {
    const q = new EventQueue();
    const a = entry(5, 0, 0.9, 0);
    const b = entry(5, 0, 0.1, 1);
    q.push(a);
    q.push(b);
    expect(drain(q)).toEqual([b, a]);
  });

  it('full ties are FIFO by seq', () => {
    const q = new EventQueue();
    const entries = Array.from({ length: 20 }, (_, i) => entry(7, 0, 0, i));
    // Insert in a scrambled order: seq alone must restore FIFO.
    for (const i of [13, 2, 19, 0, 7, 5, 11, 1, 18, 3, 9, 15, 4, 6, 8, 10, 12, 14, 16, 17]) q.push(entries[i]);
    expect(drain(q).map((e) => e.seq)).toEqual(entries.map((e) => e.seq));
  });

  it('pops in (time, priority, tie, seq) order for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ time: fc.integer({ min: 0, max: 5 }), priority: fc.constantFrom(0, 10), tie: fc.constantFrom(0, 0.25, 0.5) }), {
          maxLength: 200,
        }),
        (specs) => {
          const q = new EventQueue();
          const entries = specs.map((s, i) => entry(s.time, s.priority, s.tie, i));
          for (const e of entries) q.push(e);
          expect(q.size).toBe(entries.length);
          const popped = drain(q);
          expect(popped).toEqual([...entries].sort(compareKeys));
          expect(q.size).toBe(0);
        },
      ),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});

describe('EventQueue cancellation', () => {
  it('a cancelled entry is never popped and no longer counts in size', () => {
    const q = new EventQueue();
    const a = entry(1);
    const b = entry(2);
    const c = entry(3);
    q.push(a);
    q.push(b);
    q.push(c);
    q.cancel(b);
    expect(q.size).toBe(2);
    expect(drain(q)).toEqual([a, c]);
  });

  it('peek skips a cancelled head', () => {
    const q = new EventQueue();
    const a = entry(1);
    const b = entry(2);
    q.push(a);
    q.push(b);
    q.cancel(a);
    expect(q.peek()).toBe(b);
    expect(q.size).toBe(1);
  });

  it('cancelling twice is idempotent and size never goes negative', () => {
    const q = new EventQueue();
    const a = entry(1);
    const b = entry(2);
    q.push(a);
    q.push(b);
    q.cancel(a);
    q.cancel(a);
    expect(q.size).toBe(1);
    expect(q.pop()).toBe(b);
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });

  it('cancelling everything empties the queue', () => {
    const q = new EventQueue();
    const all = [entry(3), entry(1), entry(2)];
    for (const e of all) q.push(e);
    for (const e of all) q.cancel(e);
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });

  it('random pushes and cancels pop exactly the live entries, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 150 }), (specs) => {
        const q = new EventQueue();
        const entries = specs.map(([t], i) => entry(t, 0, 0, i));
        for (const e of entries) q.push(e);
        specs.forEach(([, cancel], i) => cancel && q.cancel(entries[i]));
        const live = entries.filter((_, i) => !specs[i][1]);
        expect(q.size).toBe(live.length);
        expect(drain(q)).toEqual(live.sort(compareKeys));
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});
