import { describe, expect, it } from 'vitest';
import { bootSectionMachine } from '../../../machines/boot/boot-section.machine.js';
import { runModel } from '../model-helpers.js';

const model = runModel({
  machine: bootSectionMachine,
  input: ({ env }) => ({ env, node: 0, actorId: 'node0/DMA32/s2', firstSection: 2, lastSection: 2 }),
  events: ({ stub }) => [
    { type: 'PAGEBLOCKS', worker: 'w0', startPfn: 65536, endPfn: 65536 + 4096, startNs: 0, endNs: 100, writer: stub('w0') },
    { type: 'PAGEBLOCKS', worker: 'w1', startPfn: 65536 + 4096, endPfn: 65536 + 8192, startNs: 100, endNs: 200, writer: stub('w1') },
  ],
  serializeState: (s) => JSON.stringify([s.value, s.context.edgeWords.range(0, Infinity)]),
});

describe('boot-section machine (model-based: shortest path to every state)', () => {
  it('reaches every state node, and the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    for (const run of model.paths) {
      expect(run.snapshot.value, run.description).toEqual(run.expected.value);
      expect(run.snapshot.context.edgeWords.range(0, Infinity), run.description).toEqual(run.expected.context.edgeWords.range(0, Infinity));
    }
  });

  it('traces a shared usemap word, and charges the bounce to the later writer, only when the other thread wrote it last', () => {
    for (const run of model.paths) {
      const workers = run.events.map((e) => (e as { worker: string }).worker);
      const shared = workers.filter((w, i) => i > 0 && workers[i - 1] !== w);
      expect(
        run.trace.map((e) => e.type),
        run.description,
      ).toEqual(shared.map(() => 'usemap.shared'));
      expect(
        run.sent.map((s) => s.to),
        run.description,
      ).toEqual(shared);
    }
  });
});
