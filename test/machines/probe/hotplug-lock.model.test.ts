import { describe, expect, it } from 'vitest';
import { hotplugLockMachine, type LockContext, type LockEvent } from '../../../machines/probe/hotplug-lock.machine.js';
import { lockStatePath } from '../../../machines/probe/hotplug-lock.js';
import { runModel, stateKey } from '../model-helpers.js';

// Two writers and two readers, each asking once and releasing only what it holds.
const HOLDERS = [
  { holder: 'w1', mode: 'write' },
  { holder: 'w2', mode: 'write' },
  { holder: 'r1', mode: 'read' },
  { holder: 'r2', mode: 'read' },
] as const;

const holds = (c: LockContext, h: string) => c.writer === h || c.readers.includes(h);
const queued = (c: LockContext, h: string) => c.queue.some((w) => w.holder === h);

function lockModel(spinlock: boolean) {
  return runModel({
    machine: hotplugLockMachine,
    input: ({ env }) => ({ env, name: spinlock ? 'node0/pgdat_resize_lock' : 'mem_hotplug_lock', spinlock }),
    events: ({ stub }): LockEvent[] =>
      HOLDERS.flatMap(({ holder, mode }) => [
        { type: 'ACQUIRE' as const, holder, mode, ref: stub(holder) },
        { type: 'RELEASE' as const, holder },
      ]),
    filterEvents: ({ context }, e) => {
      if (e.type === 'ACQUIRE') return !holds(context, e.holder) && !queued(context, e.holder);
      return e.type === 'RELEASE' && holds(context, e.holder);
    },
  });
}

describe('mem_hotplug_lock machine (model-based: shortest path to every lock state)', () => {
  const model = lockModel(false);

  it('reaches free, readHeld (with a writer waiting) and writeHeld (with waiters); the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    for (const run of model.paths) expect(stateKey(run.snapshot), run.description).toBe(stateKey(run.expected));
  });

  it('rests in the state its holders and queue name, and a reader never passes a waiting writer', () => {
    for (const run of model.paths) {
      const c = run.snapshot.context;
      expect(run.snapshot.matches(lockStatePath(c) as never), run.description).toBe(true);
      if (c.readers.length > 0 && c.queue.length > 0) expect(c.queue[0].mode, run.description).toBe('write');
      expect(c.writer !== null && c.readers.length > 0, run.description).toBe(false);
    }
  });

  it('every granted holder is told once, after its grant is delivered; queued ones are not', () => {
    for (const run of model.paths) {
      run.runTimers();
      const told = run.sent.filter((s) => s.event.type === 'LOCK_GRANTED').map((s) => s.to);
      const asked = run.events.filter((e) => e.type === 'ACQUIRE').length;
      expect(told.length, run.description).toBe(asked - run.snapshot.context.queue.length);
      expect(run.trace.filter((e) => e.type === 'lock.acquired').length, run.description).toBe(told.length);
      expect(run.trace.filter((e) => e.type === 'lock.request').length, run.description).toBe(asked);
    }
  });
});

describe('pgdat_resize_lock (the same machine as a spinlock)', () => {
  it('is a plain exclusive lock: never read-held, every grant immediate', () => {
    const model = lockModel(true);
    expect([...model.unreached].sort()).toEqual(['hotplugLock.readHeld.uncontended', 'hotplugLock.readHeld.writerWaiting']);
    for (const run of model.paths) {
      expect(stateKey(run.snapshot), run.description).toBe(stateKey(run.expected));
      run.runTimers();
      for (const e of run.trace) if (e.type === 'lock.acquired') expect(e.mode).toBe('write');
      expect(run.env.clock.now(), run.description).toBe(0);
    }
  });
});
