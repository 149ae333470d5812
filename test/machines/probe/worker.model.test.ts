import { describe, expect, it } from 'vitest';
import { workerMachine, type WorkerEvent } from '../../../machines/probe/worker.machine.js';
import { runModel, stateKey } from '../model-helpers.js';

const ID = 'pmem0/w0';

const model = runModel({
  machine: workerMachine,
  input: ({ env, stub }) => ({
    env,
    id: ID,
    namespace: 'pmem0',
    pass: 1,
    work: 'full' as const,
    steps: [
      { startPfn: 0, endPfn: 100, section: stub('pmem0/s0') },
      { startPfn: 100, endPfn: 300, section: stub('pmem0/s1') },
    ],
    perPageNs: 20,
    bytesPerPage: 64,
    refPerPage: false,
    startDelayNs: 50,
    node: stub('node0'),
    channel: stub('chan/nvdimm0'),
    lockMode: null,
  }),
  events: (): WorkerEvent[] => [
    { type: 'CPU_GRANTED', cpu: 1, core: 1, node: 0, speed: 1 },
    { type: 'SPEED', speed: 0.6 },
    { type: 'FLOW_DONE', id: `${ID}#0` },
    { type: 'FLOW_DONE', id: `${ID}#1` },
  ],
});

/** The walk's clock never moves; the replay's does (the start latency): compare all but the step's start time. */
const key = (s: Parameters<typeof stateKey>[0] & { context: object }) => stateKey({ ...s, context: { ...s.context, stepStartedAt: 0 } });

const to = (sent: readonly { to: string; event: { type: string } }[], id: string) => sent.filter((s) => s.to === id).map((s) => s.event.type);

describe('worker machine (model-based: shortest path to every state)', () => {
  it('reaches starting, waitingCpu, running and done; the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    for (const run of model.paths) expect(key(run.snapshot), run.description).toBe(key(run.expected));
  });

  it('asks for a CPU after its start latency, and walks its steps in order, each one flow', () => {
    for (const run of model.paths) {
      if (run.snapshot.matches('starting')) expect(run.sent, run.description).toEqual([]);
      else expect(to(run.sent, 'node0')[0], run.description).toBe('CPU_REQUEST');
      if (run.snapshot.matches('waitingCpu')) expect(run.sent.at(-1)?.atNs, run.description).toBe(50);
      const flows = run.sent.filter((s) => s.event.type === 'FLOW_START').map((s) => (s.event as unknown as { id: string }).id);
      expect(flows, run.description).toEqual([`${ID}#0`, `${ID}#1`].slice(0, flows.length));
      // A FLOW_DONE of a step not yet started (or already done) changes nothing.
      if (run.snapshot.matches('running')) expect(run.snapshot.context.index, run.description).toBe(flows.length - 1);
    }
  });

  it('ends in done: pages traced and reported to each section, the CPU given back, its output to the namespace', () => {
    const done = model.paths.filter((run) => run.snapshot.matches('done'));
    expect(done.length).toBeGreaterThan(0);
    for (const run of done) {
      expect(run.snapshot.status).toBe('done');
      expect(run.snapshot.output).toEqual({ id: ID, pages: 300 });
      expect(to(run.sent, 'pmem0/s0')).toEqual(['PAGES_DONE']);
      expect(to(run.sent, 'pmem0/s1')).toEqual(['PAGES_DONE']);
      expect(to(run.sent, 'node0')).toEqual(['CPU_REQUEST', 'CPU_RELEASE']);
      expect(run.sent.filter((s) => s.to === 'parent').map((s) => s.event)).toEqual([
        { type: `xstate.done.actor.${run.actor.id}`, output: { id: ID, pages: 300 }, actorId: run.actor.id },
      ]);
      expect(run.trace.map((e) => e.type)).toEqual(['worker.start', 'pages.init', 'pages.init', 'worker.end']);
    }
  });

  it('re-caps its running flow when its SMT speed changes', () => {
    const slowed = model.paths.filter((run) => run.events.some((e) => e.type === 'SPEED') && run.snapshot.matches('running'));
    expect(slowed.length).toBeGreaterThan(0);
    for (const run of slowed) expect(run.sent.find((s) => s.event.type === 'FLOW_CAP')?.event, run.description).toMatchObject({ cap: (64 / 20) * 0.6 });
  });
});
