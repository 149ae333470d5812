import { describe, expect, it } from 'vitest';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { loadScenario } from '../../src/api/load-scenario.js';
import { simulate } from '../../src/api/simulate.js';

/** Every actor kind reaches an XState inspection observer (what @statelyai/inspect consumes). */
function actorsSeen(name: string, options: Parameters<typeof simulate>[1] = {}): Set<string> {
  const ids = new Set<string>();
  simulate(loadScenario(name).input, {
    name,
    ...options,
    inspect: (e: InspectionEvent) => {
      if (e.type === '@xstate.actor') ids.add((e.actorRef as AnyActorRef).id);
    },
  });
  return ids;
}

describe('inspection', () => {
  it('shows every actor of a pmem probe: system, node, zone, channels, lock, DAX user, namespaces, sections, workers', () => {
    const ids = [...actorsSeen('seed000-pmem-4x128g', { strategy: 'async8' })];
    for (const id of ['node0', 'node0/device', 'chan/node0-dram', 'chan/nvdimm0', 'lock/mem_hotplug', 'dax-user', 'pmem0', 'pmem3', 'pmem0/w7'])
      expect(ids).toContain(id);
    expect(ids.some((id) => /^pmem0\/s\d+/.test(id))).toBe(true);
  });

  it('shows every actor of boot: pgdatinit, padata jobs and helpers, buddy, boot sections', () => {
    const ids = [...actorsSeen('seed003-skylake-768g', { threads: 4 })];
    for (const id of ['node1/pgdatinit', 'node1/j0', 'node1/j0/w0', 'node1/j0/w3', 'node1/Normal/buddy']) expect(ids).toContain(id);
    expect(ids.some((id) => /^node1\/Normal\/s\d+/.test(id))).toBe(true);
  });
});
