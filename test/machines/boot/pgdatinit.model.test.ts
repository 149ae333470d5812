import { describe, expect, it } from 'vitest';
import { pgdatinitMachine, type PgdatinitContext } from '../../../machines/boot/pgdatinit.machine.js';
import { resolveScenario } from '../../../src/model/scenario.js';
import { sectionRuns } from '../../../machines/boot/pgdatinit.js';
import { layoutsOf, smallBoot } from '../../boot/helpers.js';
import { runModel } from '../model-helpers.js';

const input = resolveScenario(smallBoot());
const [layout] = layoutsOf(smallBoot());
const runs = sectionRuns(layout, input.derived.pagesPerSection);

/** pgdatinit with its jobs, section runs and buddy as stubs: the test says when a job is done. */
function model(growPages: number | null) {
  return runModel({
    machine: pgdatinitMachine,
    scenario: input,
    stubActors: ['job'],
    input: ({ env, stub }) => ({
      env,
      layout,
      strategy: env.scenario.bootStrategy,
      maxThreads: 4,
      growPages,
      cpus: stub('cpus'),
      channel: stub('channel'),
      early: false,
      runs,
      sectionRefs: runs.map((r) => stub(r.actorId)),
      buddy: stub('buddy'),
    }),
    events: () => [{ type: 'START' }, { type: 'xstate.done.actor.node0/j0', output: { chunks: 1 } }],
    serializeState: (s: { value: unknown; context: PgdatinitContext }) => JSON.stringify([s.value, s.context.jobIndex, s.context.jobs.length]),
  });
}

describe('pgdatinit machine (model-based: shortest path to every state)', () => {
  const plain = model(null);
  const growing = model(1000);

  it('reaches every state node between the two, and the real actor ends where the model does', () => {
    expect(plain.unreached.filter((id) => growing.unreached.includes(id))).toEqual([]);
    for (const run of [...plain.paths, ...growing.paths]) expect(run.snapshot.value, run.description).toEqual(run.expected.value);
  });

  it('claims first_deferred_pfn, runs one job per free range one after another, and ends with the node\u2019s pages and time', () => {
    const done = plain.paths.filter((p) => p.snapshot.status === 'done');
    expect(done.length).toBe(1);
    const [run] = done;
    expect(run.trace.map((e) => e.type)).toEqual(['deferred.start', 'deferred.end']);
    expect(run.events.filter((e) => e.type !== 'START').length).toBe(layout.jobs.length);
    expect(run.sent.at(-1)).toMatchObject({ to: 'parent', event: { type: 'xstate.done.actor.pgdatinit', output: { node: 0, pages: layout.deferredPages } } });
  });

  it('grows the zone first when an early allocation asks for it, then initializes what is left', () => {
    const grown = growing.paths.find((p) => p.snapshot.status === 'done')!;
    expect(grown.trace.map((e) => e.type).slice(0, 3)).toEqual(['grow.start', 'grow.end', 'deferred.start']);
    expect(growing.paths.some((p) => p.snapshot.matches('growingZone'))).toBe(true);
  });

  it('has no child but the job of the moment: each job it starts goes when it is done', () => {
    const running = plain.paths.find((p) => p.snapshot.matches({ deferredInit: 'runningJob' }))!;
    expect(Object.keys(running.snapshot.children)).toEqual(['node0/j0']);
    expect(Object.keys(plain.paths.find((p) => p.snapshot.status === 'done')!.snapshot.children)).toEqual([]);
  });

  it('hands each job the section runs and buddy it was given', () => {
    const running = plain.paths.find((p) => p.snapshot.matches({ deferredInit: 'runningJob' }))!;
    const ctx = running.snapshot.context as PgdatinitContext;
    expect(ctx.sections.map((s) => [s.ref.id, s.startPfn, s.endPfn])).toEqual(runs.map((r) => [r.actorId, r.startPfn, r.endPfn]));
    expect(ctx.buddy?.id).toBe('buddy');
  });
});
