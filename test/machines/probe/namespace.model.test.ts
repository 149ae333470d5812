import { describe, expect, it } from 'vitest';
import { namespaceMachine, type NamespaceContext } from '../../../machines/probe/namespace.machine.js';
import type { ProbeStep } from '../../../src/model/strategies.js';
import { runModel, stateKey, testScenario } from '../model-helpers.js';

const sc = testScenario();
const ns = sc.namespaces[0];
const sections = ns.lastSection - ns.firstSection + 1;
// Write lock, two section runs, the zone, the altmap-hosting pfns and one data worker, then the lock's release.
const STEPS: ProbeStep[] = [
  { kind: 'lock', mode: 'write' },
  { kind: 'activate' },
  { kind: 'resize' },
  { kind: 'init-hosting' },
  { kind: 'unlock' },
  { kind: 'init', pass: 1, work: 'full', threads: 'one', split: 'equal', refPerPage: false },
  { kind: 'ref-get-many' },
  { kind: 'publish' },
];
const HOSTING = `${ns.name}/hosting`;
const WORKER = `${ns.name}/w0`;
const done = (id: string) => ({ type: `xstate.done.actor.${id}` as const, output: { id, pages: 0, chunks: 1 } });

/** The worker the current init step spawned. */
const workerOf = (c: NamespaceContext) => (c.steps[c.stepIndex]?.kind === 'init-hosting' ? HOSTING : WORKER);

const model = runModel({
  machine: namespaceMachine,
  stubActors: ['section', 'worker'],
  input: ({ env, stub }) => ({
    env,
    namespace: ns,
    steps: STEPS,
    threads: 1,
    lock: stub('lock/mem_hotplug'),
    zone: stub('node0/device'),
    node: stub('node0'),
    channel: stub('chan/nvdimm0'),
    daxUser: stub('dax-user'),
    sectionsPerActor: sections / 2,
  }),
  events: () => [
    { type: 'START' as const },
    { type: 'LOCK_GRANTED' as const, lock: 'mem_hotplug_lock', mode: 'write' as const },
    { type: 'ACTIVATED' as const, actor: 'run', pages: 8 },
    { type: 'ACTIVATE_FAILED' as const, actor: 'run', section: ns.firstSection, pfn: ns.startPfn, partialPages: 1, pages: 2 },
    { type: 'DEACTIVATED' as const, actor: 'run' },
    { type: 'RESIZED' as const },
    done(HOSTING),
    done(WORKER),
  ],
  // A worker's end comes once, from the worker the step spawned.
  filterEvents: (s, e) => !e.type.startsWith('xstate.done.actor.') || (s.matches('initializing') && e.type === `xstate.done.actor.${workerOf(s.context)}`),
});

const to = (sent: readonly { to: string; event: { type: string } }[], id: string) => sent.filter((s) => s.to === id).map((s) => s.event.type);
const ending = (state: 'waitingForLock' | 'failed' | 'initializing' | 'available') => model.paths.filter((p) => p.snapshot.matches(state));

describe('namespace machine (model-based: shortest path to every state)', () => {
  it('reaches every probe state; the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    for (const p of model.paths) expect(stateKey(p.snapshot), p.description).toBe(stateKey(p.expected));
  });

  it('waits for the write lock in waitingForLock, having asked mem_hotplug_lock once', () => {
    for (const p of ending('waitingForLock')) expect(to(p.sent, 'lock/mem_hotplug'), p.description).toEqual(['ACQUIRE']);
  });

  it('activates the runs one at a time, and on ENOMEM unwinds newest first, releases the lock and fails', () => {
    const failed = ending('failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const p of failed) {
      const runs = p.snapshot.context.sections.map((r) => r.ref.id);
      const activated = p.sent.filter((s) => s.event.type === 'ACTIVATE').map((s) => s.to);
      const deactivated = p.sent.filter((s) => s.event.type === 'DEACTIVATE').map((s) => s.to);
      expect(deactivated, p.description).toEqual([...activated].reverse());
      expect(activated, p.description).toEqual(runs.slice(0, activated.length));
      expect(to(p.sent, 'lock/mem_hotplug'), p.description).toEqual(['ACQUIRE', 'RELEASE']);
      expect(
        p.trace.map((e) => e.type).filter((t) => t.startsWith('probe.')),
        p.description,
      ).toEqual(['probe.start', 'probe.failed', 'probe.locked-done']);
    }
  });

  it('initializes in one worker per step, counted from its end, and publishes to the DAX user when the steps run out', () => {
    for (const p of ending('initializing')) expect(Object.keys(p.snapshot.children), p.description).toContain(workerOf(p.snapshot.context));
    const [p] = ending('available');
    expect(p).toBeDefined();
    expect(p.trace.filter((e) => e.type === 'init.end').map((e) => (e as { work: string }).work)).toEqual(['hosting', 'full']);
    expect(p.sent.filter((s) => s.to === 'dax-user').map((s) => s.event)).toEqual([
      { type: 'PUBLISHED', namespace: ns.name, startPfn: ns.dataStartPfn, endPfn: ns.endPfn },
    ]);
    expect(p.trace.at(-1)).toMatchObject({ type: 'namespace.available', namespace: ns.name });
  });
});
