import { describe, expect, it } from 'vitest';
import { padataJobMachine, type JobContext } from '../../../machines/boot/padata-job.machine.js';
import { runModel } from '../model-helpers.js';

const MO = 1024;

// Two threads, four chunks of one max-order block; the threads are stubs: the test says when each is done.
const model = runModel({
  machine: padataJobMachine,
  stubActors: ['helper'],
  input: ({ env, stub }) => ({
    env,
    node: 0,
    jobId: 'j',
    range: { startPfn: 0, endPfn: 4 * MO },
    free: [{ startPfn: 0, endPfn: 4 * MO }],
    align: MO,
    minChunk: MO,
    maxThreads: 2,
    freeOrder: 'maxorder' as const,
    sections: [],
    buddy: stub('buddy'),
    cpus: stub('cpus'),
    channel: stub('channel'),
  }),
  events: ({ stub }) => [
    { type: 'GRAB', id: 'j/w0', ref: stub('w0') },
    { type: 'xstate.done.actor.j/w0', output: { pages: 0, chunks: 0 } },
    { type: 'xstate.done.actor.j/w1', output: { pages: 0, chunks: 0 } },
  ],
  // A thread is done once; GRABs stop mattering once the queue is empty.
  filterEvents: ({ context }: { context: JobContext }, e) => (e.type === 'GRAB' ? context.chunksHanded < 4 || context.finished === 0 : context.finished < 2),
  serializeState: (s: { value: unknown; context: JobContext }) => JSON.stringify([s.value, s.context.chunksHanded, s.context.cursor, s.context.finished]),
});

describe('padata-job machine (model-based: shortest path to every state)', () => {
  it('reaches every state node, and the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    for (const run of model.paths) {
      const { chunksHanded, finished } = run.snapshot.context;
      expect([run.snapshot.value, chunksHanded, finished], run.description).toEqual([
        run.expected.value,
        run.expected.context.chunksHanded,
        run.expected.context.finished,
      ]);
    }
  });

  it('spawns its two threads at once, traces each chunk it hands out, and answers NO_MORE once all are out', () => {
    for (const run of model.paths) {
      expect(run.trace[0]).toMatchObject({ type: 'padata.start', nworks: 2, chunk: MO });
      const grabs = run.events.filter((e) => e.type === 'GRAB').length;
      const replies = run.sent.filter((s) => s.to === 'w0').map((s) => s.event.type);
      expect(replies, run.description).toEqual([...Array(grabs).keys()].map((i) => (i < 4 ? 'CHUNK' : 'NO_MORE')));
      expect(run.trace.filter((e) => e.type === 'padata.chunk').length).toBe(Math.min(grabs, 4));
    }
  });

  it('is done, with its chunk count as output, when its last thread is', () => {
    const done = model.paths.filter((p) => p.snapshot.status === 'done');
    expect(done.length).toBeGreaterThan(0);
    for (const run of done) {
      expect(run.trace.at(-1)).toMatchObject({ type: 'padata.end', chunks: run.snapshot.context.chunksHanded });
      expect(run.sent.at(-1)).toMatchObject({
        to: 'parent',
        event: { type: 'xstate.done.actor.padataJob', output: { chunks: run.snapshot.context.chunksHanded } },
      });
    }
  });
});
