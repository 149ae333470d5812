import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import { simulate } from '../../src/api/simulate.js';
import type { LockMode, TraceEvent } from '../../src/model/trace-events.js';
import { lockDeadlock } from '../../src/observe/invariants/lock-deadlock.js';
import { feed } from './helpers.js';

const req = (t: number, lock: string, holder: string, mode: LockMode): TraceEvent => ({ type: 'lock.request', t, lock, holder, mode });
const got = (t: number, lock: string, holder: string, mode: LockMode): TraceEvent => ({ type: 'lock.acquired', t, lock, holder, mode, waitNs: 0 });
const rel = (t: number, lock: string, holder: string, mode: LockMode): TraceEvent => ({ type: 'lock.released', t, lock, holder, mode, heldNs: 1 });

describe('I4: no deadlock (wait-for graph)', () => {
  it('finds an ABBA cycle between two locks and names both actors', () => {
    const issues = feed(lockDeadlock(), [
      req(0, 'A', 'x', 'write'),
      got(0, 'A', 'x', 'write'),
      req(1, 'B', 'y', 'write'),
      got(1, 'B', 'y', 'write'),
      req(2, 'B', 'x', 'write'),
      req(3, 'A', 'y', 'write'),
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ invariant: 'I4', kind: 'deadlock' });
    expect([...issues[0].actors!].sort()).toEqual(['x', 'y']);
    expect(issues[0].history!.length).toBeGreaterThanOrEqual(4);
  });

  it('readers do not wait for readers; a waiter whose holder later releases is no deadlock', () => {
    expect(feed(lockDeadlock(), [req(0, 'L', 'a', 'read'), got(0, 'L', 'a', 'read'), req(1, 'L', 'b', 'read'), got(1, 'L', 'b', 'read')])).toEqual([]);
    expect(
      feed(lockDeadlock(), [
        req(0, 'L', 'a', 'write'),
        got(0, 'L', 'a', 'write'),
        req(1, 'L', 'b', 'write'),
        rel(2, 'L', 'a', 'write'),
        got(3, 'L', 'b', 'write'),
      ]),
    ).toEqual([]);
  });

  it('catches bug-recursive-lock: the probe takes mem_hotplug_lock for read while holding it for write', () => {
    const { input, name } = loadScenario('seed000-pmem-4x128g');
    const r = simulate(input, { name, strategy: 'bug-recursive-lock' });
    const v = r.violations.find((x) => x.kind === 'deadlock');
    expect(v).toBeDefined();
    expect(v!.invariant).toBe('I4');
    expect(v!.actors).toEqual(['pmem0', 'pmem1', 'pmem2', 'pmem3']);
    expect(v!.message).toContain('pmem0 waits for mem_hotplug_lock (read) while it holds it itself');
    expect(r.namespaces.every((n) => n.availableAtMs === null)).toBe(true);
  });

  it('reports nothing for the rwsem proposal done right (write released before read)', () => {
    const { input, name } = loadScenario('seed000-pmem-4x128g');
    expect(simulate(input, { name, strategy: 'rwsem' }).violations).toEqual([]);
  });
});
