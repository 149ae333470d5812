import { describe, expect, it } from 'vitest';
import type { EventObject } from 'xstate';
import { systemMachine } from '../../../machines/shared/system.machine.js';
import { buildTopology } from '../../../machines/shared/topology.js';
import { resolveScenario } from '../../../src/model/scenario.js';
import { runModel, stateKey } from '../model-helpers.js';

const node = (id: number) => ({ id, cores: 2, threadsPerCore: 2, dram: [{ start: `${id * 4}G`, size: '4G' }] });
/** Two nodes booting, then one namespace to probe. */
const booting = {
  name: 'boot-then-probe',
  boot: {},
  nodes: [node(0), node(1)],
  namespaces: [{ name: 'pmem0', node: 0, device: 'd0', size: '1G', start: '64G' }],
};
const probing = { ...booting, boot: undefined };

const CHILDREN = ['node', 'zone', 'channel', 'lock', 'daxUser', 'namespace', 'pgdatinit'];
const done = (id: string) => ({ type: `xstate.done.actor.${id}`, output: {} }) as never;

function model(input: object, strategy: string) {
  const scenario = resolveScenario(input, { strategy });
  return {
    scenario,
    result: runModel({
      machine: systemMachine,
      scenario,
      input: ({ env }) => ({ env }),
      stubActors: CHILDREN,
      // A namespace ending during deferred init is not a node's end; NODE_DONE is what older pgdatinits send.
      events: () => [done('node0/pgdatinit'), done('node1/pgdatinit'), done('pmem0'), { type: 'NODE_DONE', node: 1 }],
    }),
  };
}

const runs = [model(booting, 'padata'), model(booting, 'no-defer'), model(probing, 'serial')];
const starts = (sent: readonly { to: string; event: EventObject }[]) => sent.filter((s) => s.event.type === 'START').map((s) => s.to);

describe('system machine (model-based: every boot mode to probing)', () => {
  it('reaches every state across deferred, early and no boot; the real actor ends where the model does', () => {
    const reached = new Set(runs.flatMap(({ result }) => result.paths.map((p) => JSON.stringify(p.snapshot.value))));
    expect([...reached].sort()).toEqual(['"probing"', '{"deferredInit":"allNodes"}', '{"deferredInit":"nodeByNode"}']);
    for (const { result } of runs) for (const run of result.paths) expect(stateKey(run.snapshot), run.description).toBe(stateKey(run.expected));
  });

  it('spawns its topology as children, in order', () => {
    for (const { scenario, result } of runs) {
      const ids = buildTopology(scenario).map((a) => a.id);
      for (const run of result.paths) expect(Object.keys(run.snapshot.children), run.description).toEqual(ids);
    }
  });

  it('deferred: starts every pgdatinit at once and the probes once all have finished', () => {
    for (const run of runs[0].result.paths) {
      const nodesDone = run.events.filter((e) => e.type === 'NODE_DONE' || e.type.endsWith('/pgdatinit')).length;
      const probes = nodesDone >= 2 ? ['pmem0'] : [];
      expect(starts(run.sent), run.description).toEqual(['node0/pgdatinit', 'node1/pgdatinit', ...probes]);
      expect(run.snapshot.value, run.description).toEqual(nodesDone >= 2 ? 'probing' : { deferredInit: 'allNodes' });
    }
  });

  it('no-defer: initializes node after node on the boot CPU, then probes', () => {
    for (const run of runs[1].result.paths) {
      const nodesDone = run.events.filter((e) => e.type === 'NODE_DONE' || e.type.endsWith('/pgdatinit')).length;
      const expected = ['node0/pgdatinit', 'node1/pgdatinit', 'pmem0'].slice(0, nodesDone + 1);
      expect(starts(run.sent), run.description).toEqual(expected);
    }
  });

  it('without boot: probes every namespace at once and ignores children ending', () => {
    for (const run of runs[2].result.paths) {
      expect(run.snapshot.value).toBe('probing');
      expect(starts(run.sent)).toEqual(['pmem0']);
    }
  });

  it('emits no trace event', () => {
    for (const { result } of runs) for (const run of result.paths) expect(run.trace).toEqual([]);
  });
});
