import { describe, expect, it } from 'vitest';
import { daxUserMachine } from '../../../machines/probe/dax-user.machine.js';
import { runModel, stateKey } from '../model-helpers.js';

describe('dax-user machine (model-based)', () => {
  const model = runModel({
    machine: daxUserMachine,
    input: ({ env }) => ({ env, name: 'dax-user' }),
    events: () => [{ type: 'PUBLISHED' as const, namespace: 'pmem0', startPfn: 100, endPfn: 200 }],
  });

  it('has one state, watching, which a publish does not change', () => {
    expect(model.unreached).toEqual([]);
    expect(model.paths.map((run) => run.snapshot.value)).toEqual(['watching']);
    for (const run of model.paths) expect(stateKey(run.snapshot)).toBe(stateKey(run.expected));
  });

  it('touches the first, middle and last data pfn of a published namespace, and each pfn once', () => {
    const [run] = model.paths;
    run.actor.send({ type: 'PUBLISHED', namespace: 'pmem0', startPfn: 100, endPfn: 200 });
    run.actor.send({ type: 'PUBLISHED', namespace: 'pmem1', startPfn: 7, endPfn: 8 });
    expect(run.trace).toEqual([
      { type: 'dax.access', t: 0, namespace: 'pmem0', pfn: 100, user: 'dax-user' },
      { type: 'dax.access', t: 0, namespace: 'pmem0', pfn: 150, user: 'dax-user' },
      { type: 'dax.access', t: 0, namespace: 'pmem0', pfn: 199, user: 'dax-user' },
      { type: 'dax.access', t: 0, namespace: 'pmem1', pfn: 7, user: 'dax-user' },
    ]);
  });
});
