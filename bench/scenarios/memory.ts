/**
 * Benchmark scenarios for memory that follows the work (bench/engine.ts),
 * generated here rather than stored: one is 10,000 DRAM ranges long.
 * - ns-4p: one fsdax namespace from 256 GiB to the 52-bit physical limit
 *   (4 PiB less 256 GiB: 33.5 million sections), behind 252 GiB of DRAM;
 * - ns-256x4t: 256 fsdax namespaces of 4 TiB (1 PiB of pmem) on four nodes;
 * - dram-10k: boot of one node whose memory is 10,000 DRAM ranges of 62 MiB,
 *   2 MiB apart (620 GiB), padata at the node's 52 CPUs.
 * Run one: node dist/bench/engine-run.js memory:ns-4p outside-lock
 */
import type { ScenarioInput } from '../../src/model/scenario-schema.js';

const MiB = 2 ** 20;

function ns4p(): ScenarioInput {
  return {
    name: 'ns-4p',
    description: 'Benchmark only: one fsdax namespace of 4 PiB less 256 GiB, ending at the 52-bit physical limit.',
    profile: 'pmem-2018',
    strategy: 'outside-lock',
    nodes: [{ id: 0, cores: 28, threadsPerCore: 2, dram: [{ start: '4G', size: '252G' }] }],
    namespaces: [{ name: 'pmem0', node: 0, start: '256G', size: String(2 ** 52 - 2 ** 38), mode: 'fsdax', altmap: true }],
  };
}

function ns256(): ScenarioInput {
  return {
    name: 'ns-256x4t',
    description: 'Benchmark only: 256 fsdax namespaces of 4 TiB on four nodes.',
    profile: 'pmem-2018',
    strategy: 'outside-lock',
    nodes: [0, 1, 2, 3].map((id) => ({ id, cores: 28, threadsPerCore: 2, dram: [{ start: `${4 + id * 256}G`, size: '256G' }] })),
    namespaces: Array.from({ length: 256 }, (_, i) => ({ name: `pmem${i}`, node: i % 4, size: '4T', mode: 'fsdax' as const, altmap: true })),
  };
}

function dram10k(): ScenarioInput {
  return {
    name: 'dram-10k',
    description: 'Benchmark only: boot of one node with 10,000 DRAM ranges of 62 MiB, 2 MiB apart.',
    profile: 'skylake-2020',
    strategy: 'padata',
    boot: {},
    nodes: [
      {
        id: 0,
        cores: 26,
        threadsPerCore: 2,
        dram: Array.from({ length: 10_000 }, (_, i) => ({ start: String((4096 + 64 * i) * MiB), size: String(62 * MiB) })),
      },
    ],
  };
}

export const MEMORY_SCENARIOS: Readonly<Record<string, () => ScenarioInput>> = { 'ns-4p': ns4p, 'ns-256x4t': ns256, 'dram-10k': dram10k };
