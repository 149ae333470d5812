import { describe, expect, it } from 'vitest';
import { sectionMachine, type SectionContext, type SectionEvent } from '../../../machines/probe/section.machine.js';
import { runModel, stateKey, testScenario } from '../model-helpers.js';

const sc = testScenario();
const ns = sc.namespaces[0];
const pps = sc.derived.pagesPerSection;
const first = ns.firstSection;
const run = { startPfn: first * pps, endPfn: (first + 2) * pps };
const total = run.endPfn - run.startPfn;

const model = runModel({
  machine: sectionMachine,
  input: ({ env }) => ({
    env,
    namespace: ns.name,
    actorId: `${ns.name}/s${first}-${first + 1}`,
    firstSection: first,
    lastSection: first + 1,
    ...run,
    geometry: { altmap: ns.altmap, vmemmapShift: 0, compoundPfns: 1, optimized: false, earlySections: [] },
  }),
  events: ({ stub }): SectionEvent[] => [
    { type: 'ACTIVATE', replyTo: stub('pmem0') },
    { type: 'ACTIVATE', replyTo: stub('pmem0'), failSection: first + 1 },
    { type: 'DEACTIVATE', replyTo: stub('pmem0') },
    { type: 'PAGES_DONE', startPfn: run.startPfn, endPfn: run.startPfn + pps, pass: 1, work: 'full' },
    { type: 'PAGES_DONE', startPfn: run.startPfn + pps, endPfn: run.endPfn, pass: 1, work: 'full' },
    { type: 'PAGES_DONE', startPfn: run.startPfn, endPfn: run.endPfn, pass: 2, work: 'pgmap' },
  ],
  // A run is initialized once: pages are not counted past its size, so the walk stays finite.
  filterEvents: ({ context }: { context: SectionContext }, e) => e.type !== 'PAGES_DONE' || context.initialized < total,
});

const replies = (sent: readonly { to: string; event: { type: string } }[]) => sent.filter((s) => s.to === 'pmem0').map((s) => s.event.type);

describe('section machine (model-based: shortest path to every state)', () => {
  it('reaches offline, populated (initializing, ready) and populateFailed; the real actor ends where the model does', () => {
    expect(model.unreached).toEqual([]);
    for (const p of model.paths) expect(stateKey(p.snapshot), p.description).toBe(stateKey(p.expected));
  });

  it('a failed population rests in populateFailed and replies ACTIVATE_FAILED; a good one rests in populated and replies ACTIVATED', () => {
    for (const p of model.paths) {
      p.runTimers();
      const expected = p.events.flatMap((e) => {
        if (e.type === 'DEACTIVATE') return ['DEACTIVATED'];
        if (e.type === 'ACTIVATE') return ['failSection' in e ? 'ACTIVATE_FAILED' : 'ACTIVATED'];
        return [];
      });
      expect(replies(p.sent).sort(), p.description).toEqual(expected.sort());
      const lastActivate = p.events.filter((e) => e.type === 'ACTIVATE').at(-1);
      if (p.snapshot.matches('populateFailed')) {
        expect(lastActivate && 'failSection' in lastActivate, p.description).toBe(true);
        // The section before the failing one stays populated until the probe unwinds.
        expect(p.snapshot.context.live, p.description).toEqual({ first, last: first });
      }
      if (p.snapshot.matches('populated')) expect(lastActivate && 'failSection' in lastActivate, p.description).toBe(false);
    }
  });

  it('is ready, with section.ready traced, once the full pass has initialized every struct page (the pgmap pass counts nothing)', () => {
    for (const p of model.paths) {
      const { initialized } = p.snapshot.context;
      if (p.snapshot.matches({ populated: 'ready' })) {
        expect(initialized, p.description).toBe(total);
        expect(p.trace.at(-1)?.type, p.description).toBe('section.ready');
      }
      if (p.snapshot.matches({ populated: 'initializing' })) expect(initialized, p.description).toBeLessThan(total);
    }
  });
});
