import { describe, expect, it } from 'vitest';
import type { EventObject } from 'xstate';
import { nodeMachine, type NodeContext } from '../../../machines/shared/node.machine.js';
import { poolLoad } from '../../../machines/shared/node.js';
import { runModel, stateKey, type Sent } from '../model-helpers.js';

// Two cores with two SMT siblings each (cpus 0..3; cpu i on core i % 2) and five workers, so one waits.
const CORES = 2;
const THREADS_PER_CORE = 2;
const WORKERS = ['w0', 'w1', 'w2', 'w3', 'w4'];

const holds = (ctx: NodeContext, id: string) => ctx.cpus.some((r) => r?.id === id);
const waits = (ctx: NodeContext, id: string) => ctx.waiting.some((r) => r.id === id);

const model = runModel({
  machine: nodeMachine,
  input: ({ env }) => ({ env, nodeId: 0, cores: CORES, threadsPerCore: THREADS_PER_CORE }),
  events: ({ stub }) =>
    WORKERS.flatMap((id) => [
      { type: 'CPU_REQUEST' as const, id, ref: stub(id) },
      { type: 'CPU_RELEASE' as const, id },
    ]),
  // A worker asks once and releases only the CPU it holds: the walk stays finite.
  filterEvents: ({ context }, e) => (e.type === 'CPU_REQUEST' ? !holds(context, e.id) && !waits(context, e.id) : holds(context, e.id)),
});

/** What each worker was last told: its CPU and its speed (CPU_GRANTED, then SPEED updates). */
function believed(sent: readonly Sent[]): Map<string, { cpu: number; speed: number }> {
  const out = new Map<string, { cpu: number; speed: number }>();
  for (const { to, event } of sent) {
    const e = event as EventObject & { cpu?: number; speed?: number };
    if (e.type === 'CPU_GRANTED') out.set(to, { cpu: e.cpu!, speed: e.speed! });
    else if (e.type === 'SPEED') out.set(to, { cpu: out.get(to)!.cpu, speed: e.speed! });
  }
  return out;
}

describe('node machine (model-based: shortest path to every CPU placement)', () => {
  it('reaches every state node, and the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    // Placements of up to five workers on four CPUs, with a waiter: many distinct states.
    expect(model.paths.length).toBeGreaterThan(50);
    for (const run of model.paths) expect(stateKey(run.snapshot), run.description).toBe(stateKey(run.expected));
  });

  it('is in the state its load names: a whole idle core, SMT siblings only, or every CPU held', () => {
    const seen = new Set(model.paths.map((run) => String(run.snapshot.value)));
    expect([...seen].sort()).toEqual(['allCpusBusy', 'hasIdleCores', 'siblingsOnly']);
    for (const run of model.paths) expect(run.snapshot.value, run.description).toBe(poolLoad(run.snapshot.context));
  });

  it('names the core and SMT thread each holder got (cpu = core + thread * cores)', () => {
    for (const run of model.paths) {
      run.snapshot.context.cpus.forEach((holder, cpu) => {
        if (holder) expect([holder.core, holder.thread], run.description).toEqual([cpu % CORES, Math.floor(cpu / CORES)]);
      });
    }
  });

  it('a worker waits only when every CPU is busy, and holds at most one CPU', () => {
    for (const run of model.paths) {
      const ctx = run.snapshot.context;
      if (ctx.waiting.length) expect(ctx.cpus.every(Boolean), run.description).toBe(true);
      const holders = ctx.cpus.filter(Boolean).map((r) => r!.id);
      expect(new Set(holders).size, run.description).toBe(holders.length);
    }
  });

  it('every holder was told its CPU, and its speed is smtFactor exactly when its sibling is busy', () => {
    const smt = model.paths[0].env.scenario.costs.smtFactor;
    expect(smt).toBeLessThan(1);
    for (const run of model.paths) {
      const told = believed(run.sent);
      const { cpus } = run.snapshot.context;
      cpus.forEach((holder, cpu) => {
        if (!holder) return;
        const siblingBusy = cpus.some((other, c) => c !== cpu && c % CORES === cpu % CORES && other !== null);
        expect(told.get(holder.id), `${run.description}: ${holder.id}`).toEqual({ cpu, speed: siblingBusy ? smt : 1 });
      });
    }
  });

  it('prefers an idle core: the first two workers get different cores', () => {
    const run = model.paths.find((p) => p.events.length === 2 && p.events.every((e) => e.type === 'CPU_REQUEST'))!;
    const [a, b] = run.sent.filter((s) => s.event.type === 'CPU_GRANTED').map((s) => (s.event as EventObject & { core: number }).core);
    expect(a).not.toBe(b);
  });

  it('emits no trace event and sends only to the workers', () => {
    for (const run of model.paths) {
      expect(run.trace).toEqual([]);
      for (const s of run.sent) expect(WORKERS).toContain(s.to);
    }
  });
});
