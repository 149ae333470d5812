import { describe, expect, it } from 'vitest';
import { cpuThreadMachine, type CpuThreadContext } from '../../../machines/shared/cpu-thread.machine.js';
import { runModel } from '../model-helpers.js';

const MO = 1024;

/** What tells two thread states apart (not the clock: the model walks at t = 0). */
const key = (s: { value: unknown; context: CpuThreadContext }) => {
  const { index, chunks, speed, stallNs, pages } = s.context;
  return JSON.stringify([s.value, index, chunks, speed, stallNs, pages]);
};

const to = (sent: readonly { to: string; event: { type: string } }[], id: string) => sent.filter((s) => s.to === id).map((s) => s.event.type);

/** A namespace's probe thread, given two steps (two section actors) when spawned. */
const probe = runModel({
  machine: cpuThreadMachine,
  input: ({ env, stub }) => ({
    env,
    id: 'pmem0/w0',
    cpus: stub('node0'),
    channel: stub('chan/nvdimm0'),
    startDelayNs: 50,
    work: { kind: 'probe' as const, namespace: 'pmem0', pass: 1, work: 'full' as const, perPageNs: 20, bytesPerPage: 64, refPerPage: false, lockMode: null },
    steps: [
      { startPfn: 0, endPfn: 100, section: stub('pmem0/s0') },
      { startPfn: 100, endPfn: 300, section: stub('pmem0/s1') },
    ],
  }),
  events: () => [
    { type: 'CPU_GRANTED', cpu: 1, core: 1, node: 0, speed: 1 },
    { type: 'SPEED', speed: 0.6 },
    { type: 'FLOW_DONE', id: 'pmem0/w0#1.0' },
    { type: 'FLOW_DONE', id: 'pmem0/w0#1.1' },
  ],
  serializeState: key,
});

/** A padata job's helper: one chunk of two steps (two section runs); it may be slowed by its SMT sibling or charged a bounce. */
const boot = runModel({
  machine: cpuThreadMachine,
  input: ({ env, stub }) => ({
    env,
    id: 'h',
    cpus: stub('cpus'),
    channel: stub('channel'),
    startDelayNs: 100,
    work: {
      kind: 'boot' as const,
      node: 0,
      job: stub('job'),
      free: [{ startPfn: 0, endPfn: 2 * MO }],
      sections: [
        { ref: stub('s0'), startPfn: 0, endPfn: MO },
        { ref: stub('s1'), startPfn: MO, endPfn: 2 * MO },
      ],
      buddy: stub('buddy'),
      freeOrder: 'maxorder' as const,
    },
  }),
  events: () => [
    { type: 'CPU_GRANTED', cpu: 0, core: 0, node: 0, speed: 1 },
    { type: 'CHUNK', startPfn: 0, endPfn: 2 * MO },
    // A chunk with no free page in it (a hole between the free ranges).
    { type: 'CHUNK', startPfn: 4 * MO, endPfn: 5 * MO },
    { type: 'NO_MORE' },
    { type: 'FLOW_DONE', id: 'h#1.0' },
    { type: 'FLOW_DONE', id: 'h#1.1' },
    { type: 'SPEED', speed: 0.6 },
    { type: 'BOUNCE', stallNs: 50 },
  ],
  serializeState: key,
  // One chunk, one bounce: the walk stays finite.
  filterEvents: ({ context }: { context: CpuThreadContext }, e) =>
    e.type === 'CHUNK' ? context.chunks === 0 : e.type === 'BOUNCE' ? context.stallNs === 0 && context.index === 1 : true,
});

describe('CPU thread machine (model-based: shortest path to every state)', () => {
  it('reaches every state node between its two kinds of work, and the real actor ends where the model does', () => {
    expect(probe.unreached.filter((id) => boot.unreached.includes(id))).toEqual([]);
    // A probe thread has its work when it starts: it never asks for a chunk or pays a bounce.
    expect([...probe.unreached].sort()).toEqual(['cpuThread.bouncing', 'cpuThread.grabbing']);
    for (const run of [...probe.paths, ...boot.paths]) expect(key(run.snapshot), run.description).toBe(key(run.expected));
  });

  it('probe: asks for a CPU after its start latency and walks its steps in order, each one flow', () => {
    for (const run of probe.paths) {
      if (run.snapshot.matches('starting')) expect(run.sent, run.description).toEqual([]);
      else expect(to(run.sent, 'node0')[0], run.description).toBe('CPU_REQUEST');
      if (run.snapshot.matches('waitingCpu')) expect(run.sent.at(-1)?.atNs, run.description).toBe(50);
      const flows = run.sent.filter((s) => s.event.type === 'FLOW_START').map((s) => (s.event as unknown as { id: string }).id);
      expect(flows, run.description).toEqual(['pmem0/w0#1.0', 'pmem0/w0#1.1'].slice(0, flows.length));
      // A FLOW_DONE of a step not yet started (or already done) changes nothing.
      if (run.snapshot.matches('running')) expect(run.snapshot.context.index, run.description).toBe(flows.length - 1);
    }
  });

  it('probe: ends in done with pages traced and reported to each section, the CPU given back, its output to the namespace', () => {
    const done = probe.paths.filter((run) => run.snapshot.matches('done'));
    expect(done.length).toBeGreaterThan(0);
    for (const run of done) {
      expect(run.snapshot.output).toEqual({ id: 'pmem0/w0', pages: 300, chunks: 1 });
      expect(to(run.sent, 'pmem0/s0')).toEqual(['PAGES_DONE']);
      expect(to(run.sent, 'pmem0/s1')).toEqual(['PAGES_DONE']);
      expect(to(run.sent, 'node0')).toEqual(['CPU_REQUEST', 'CPU_RELEASE']);
      expect(run.sent.filter((s) => s.to === 'parent').map((s) => s.event)).toEqual([
        { type: `xstate.done.actor.${run.actor.id}`, output: { id: 'pmem0/w0', pages: 300, chunks: 1 }, actorId: run.actor.id },
      ]);
      expect(run.trace.map((e) => e.type)).toEqual(['worker.start', 'pages.init', 'pages.init', 'worker.end']);
    }
  });

  it('probe: re-caps its running flow when its SMT speed changes', () => {
    const slowed = probe.paths.filter((run) => run.events.some((e) => e.type === 'SPEED') && run.snapshot.matches('running'));
    expect(slowed.length).toBeGreaterThan(0);
    for (const run of slowed) expect(run.sent.find((s) => s.event.type === 'FLOW_CAP')?.event, run.description).toMatchObject({ cap: (64 / 20) * 0.6 });
  });

  it('boot: asks for a CPU, then a chunk; each finished step traces its pages, frees them and sets their pageblocks', () => {
    for (const run of boot.paths) {
      const sent = run.sent.map((s) => `${s.to}:${s.event.type}`);
      if (run.snapshot.matches('waitingCpu')) expect(sent).toEqual(['cpus:CPU_REQUEST']);
      if (run.snapshot.matches('grabbing')) expect(sent.at(-1), run.description).toBe('job:GRAB');
      expect(run.trace.filter((e) => e.type === 'pages.init').length, run.description).toBe(run.snapshot.context.index);
      expect(sent.filter((t) => t.endsWith(':PAGEBLOCKS')).length, run.description).toBe(run.snapshot.context.index);
      expect(sent.filter((t) => t === 'buddy:PAGES_FREED').length, run.description).toBe(run.snapshot.context.index);
      expect(
        run.trace.some((e) => e.type === 'worker.start' || e.type === 'worker.end'),
        run.description,
      ).toBe(false);
    }
  });

  it('boot: ends in done with its pages and chunks as output, having released its CPU', () => {
    const done = boot.paths.filter((p) => p.snapshot.status === 'done');
    expect(done.length).toBeGreaterThan(0);
    for (const run of done) {
      const { pages, chunks } = run.snapshot.context;
      expect(run.sent.at(-2)).toMatchObject({ to: 'cpus', event: { type: 'CPU_RELEASE', id: 'h' } });
      expect(run.sent.at(-1)).toMatchObject({ to: 'parent', event: { type: `xstate.done.actor.${run.actor.id}`, output: { id: 'h', pages, chunks } } });
    }
    expect(done.some((run) => run.snapshot.context.pages === 2 * MO)).toBe(true);
  });

  it('boot: a chunk with no free page in it sends the thread back to its job for the next', () => {
    const empty = boot.paths.filter((p) => p.events.some((e) => e.type === 'CHUNK' && e.startPfn === 4 * MO));
    expect(empty.length).toBeGreaterThan(0);
    for (const run of empty) {
      expect(run.sent.filter((s) => s.event.type === 'GRAB').length, run.description).toBe(2);
      expect(
        run.sent.some((s) => s.event.type === 'FLOW_START'),
        run.description,
      ).toBe(false);
    }
  });

  it('boot: a bounce charged to the thread is paid before its next step', () => {
    const bounced = boot.paths.filter((p) => p.snapshot.matches('bouncing'));
    expect(bounced.length).toBeGreaterThan(0);
    // Bouncing between steps: every flow started is done, and the next waits for the stall.
    for (const run of bounced) expect(to(run.sent, 'channel').filter((t) => t === 'FLOW_START').length, run.description).toBe(run.snapshot.context.index);
  });
});
