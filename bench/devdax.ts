/**
 * Bench: a 1.5 TiB device-dax namespace (memmap in DRAM) probed at 1G, 2M
 * and 4K geometry. Prints one JSON document: per geometry the wall time of
 * the simulation, engine timer events, trace events, the simulated init and
 * probe times and the vmemmap bytes. Goal: 1G well under 1 s.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/devdax.js
 */
import { performance } from 'node:perf_hooks';
import { createSimulation } from '../src/api/simulate.js';
import { GEOMETRIES } from '../src/model/vmemmap-geometry.js';

const scenario = {
  name: 'bench-devdax-1.5t',
  profile: 'devdax-2022',
  strategy: 'outside-lock',
  nodes: [{ id: 0, cores: 24, threadsPerCore: 2, dram: [{ start: '4G', size: '256G' }] }],
  namespaces: [{ name: 'dax0.0', node: 0, size: '1536G', mode: 'devdax', altmap: false }],
};

function once(geometry: (typeof GEOMETRIES)[number]) {
  const sim = createSimulation(scenario, { geometry });
  let traceEvents = 0;
  sim.trace$.subscribe(() => traceEvents++);
  const t0 = performance.now();
  const r = sim.run();
  const wallMs = performance.now() - t0;
  const ns = r.namespaces[0];
  return {
    geometry,
    wallMs: Math.round(wallMs * 10) / 10,
    engineEvents: r.engine.events,
    traceEvents,
    initMs: ns.initMs,
    probeMs: ns.probeMs,
    structPagesInitialized: ns.structPagesInitialized,
    vmemmapBytes: ns.vmemmapBytes,
    violations: r.violations.length,
  };
}

// One untimed warm-up so the first row does not pay module JIT.
once('1G');
const runs = (['1G', '2M', '4K'] as const).map(once);
process.stdout.write(`${JSON.stringify({ bench: 'devdax', sizeBytes: 1536 * 2 ** 30, node: process.version, runs }, null, 2)}\n`);
