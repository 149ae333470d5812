import { describe, expect, it } from 'vitest';
import { padataHelperMachine, type HelperContext } from '../../../machines/boot/padata-helper.machine.js';
import { runModel } from '../model-helpers.js';

const MO = 1024;

// One chunk of two steps (two section runs); the thread may be slowed by its SMT sibling or charged a bounce.
/** What tells two helper states apart (not the clock: the model walks at t = 0). */
const key = (s: { value: unknown; context: HelperContext }) => {
  const { index, chunks, speed, stallNs, pages } = s.context;
  return JSON.stringify([s.value, index, chunks, speed, stallNs, pages]);
};

const model = runModel({
  machine: padataHelperMachine,
  input: ({ env, stub }) => ({
    env,
    id: 'h',
    node: 0,
    job: stub('job'),
    free: [{ startPfn: 0, endPfn: 2 * MO }],
    sections: [
      { ref: stub('s0'), startPfn: 0, endPfn: MO },
      { ref: stub('s1'), startPfn: MO, endPfn: 2 * MO },
    ],
    buddy: stub('buddy'),
    cpus: stub('cpus'),
    channel: stub('channel'),
    freeOrder: 'maxorder' as const,
    startDelayNs: 100,
  }),
  events: () => [
    { type: 'CPU_GRANTED', cpu: 0, core: 0, node: 0, speed: 1 },
    { type: 'CHUNK', startPfn: 0, endPfn: 2 * MO },
    { type: 'NO_MORE' },
    { type: 'FLOW_DONE', id: 'h#1.0' },
    { type: 'FLOW_DONE', id: 'h#1.1' },
    { type: 'SPEED', speed: 0.6 },
    { type: 'BOUNCE', stallNs: 50 },
  ],
  serializeState: key,
  // One chunk, one bounce: the walk stays finite.
  filterEvents: ({ context }: { context: HelperContext }, e) =>
    e.type === 'CHUNK' ? context.chunks === 0 : e.type === 'BOUNCE' ? context.stallNs === 0 && context.index === 1 : true,
});

describe('padata-helper machine (model-based: shortest path to every state)', () => {
  it('reaches every state node, and the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    for (const run of model.paths) expect(key(run.snapshot), run.description).toBe(key(run.expected));
  });

  it('asks for a CPU, then a chunk; each finished step traces its pages, frees them and sets their pageblocks', () => {
    for (const run of model.paths) {
      const to = run.sent.map((s) => `${s.to}:${s.event.type}`);
      if (run.snapshot.matches('waitingCpu')) expect(to).toEqual(['cpus:CPU_REQUEST']);
      expect(run.trace.filter((e) => e.type === 'pages.init').length, run.description).toBe(run.snapshot.context.index);
      expect(to.filter((t) => t.endsWith(':PAGEBLOCKS')).length, run.description).toBe(run.snapshot.context.index);
      expect(to.filter((t) => t === 'buddy:PAGES_FREED').length, run.description).toBe(run.snapshot.context.index);
    }
  });

  it('ends in done with its pages and chunks as output, having released its CPU', () => {
    const done = model.paths.filter((p) => p.snapshot.status === 'done');
    expect(done.length).toBeGreaterThan(0);
    for (const run of done) {
      expect(run.sent.at(-2)).toMatchObject({ to: 'cpus', event: { type: 'CPU_RELEASE', id: 'h' } });
      expect(run.sent.at(-1)).toMatchObject({
        to: 'parent',
        event: { type: 'xstate.done.actor.padataHelper', output: { pages: run.snapshot.context.pages, chunks: run.snapshot.context.chunks } },
      });
    }
  });

  it('a bounce charged to the thread is paid before its next step', () => {
    expect(model.paths.some((p) => p.snapshot.matches({ working: 'bouncing' }))).toBe(true);
  });
});
