/**
 * deferred_init_maxorder's reach (mm/mm_init.c): each step runs to the next
 * max-order boundary across every free piece, never clamped to the chunk
 * end; and where bug-unaligned-chunks is latent, the kernel is safe too.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.js';
import { maxorderReach } from '../../src/model/maxorder.js';
import { padataChunk, padataNworks } from '../../src/model/padata.js';
import { layoutsOf, MO, PPS } from './helpers.js';

describe('maxorderReach', () => {
  const free = [{ startPfn: 0, endPfn: 10 * MO }];

  it('a chunk ending on a max-order boundary (every section-aligned chunk) is unchanged', () => {
    expect(maxorderReach(free, { startPfn: 0, endPfn: 3 * MO }, MO)).toEqual({ startPfn: 0, endPfn: 3 * MO });
    expect(maxorderReach([{ startPfn: 0, endPfn: 4 * PPS }], { startPfn: 5, endPfn: 2 * PPS }, MO)).toEqual({ startPfn: 5, endPfn: 2 * PPS });
  });

  it('a chunk ending inside a block runs on to the block end, into the next chunk', () => {
    expect(maxorderReach(free, { startPfn: 0, endPfn: 3 * MO + 7 }, MO)).toEqual({ startPfn: 0, endPfn: 4 * MO });
    // A chunk smaller than a block still finishes the block.
    expect(maxorderReach(free, { startPfn: MO + 100, endPfn: MO + 200 }, MO)).toEqual({ startPfn: MO + 100, endPfn: 2 * MO });
  });

  it('the block is that of the last free pfn: a hole at the chunk end stops the reach there', () => {
    const holed = [
      { startPfn: 0, endPfn: 2 * MO + 5 },
      { startPfn: 3 * MO + 9, endPfn: 10 * MO },
    ];
    // Last free pfn inside the chunk is 2 MO + 4: the step ends at 3 MO, before the next free range.
    expect(maxorderReach(holed, { startPfn: 0, endPfn: 3 * MO + 2 }, MO)).toEqual({ startPfn: 0, endPfn: 3 * MO + 2 });
    // Free pieces of the next range that start inside the same block are covered too.
    expect(maxorderReach(holed, { startPfn: 0, endPfn: 3 * MO + 20 }, MO)).toEqual({ startPfn: 0, endPfn: 4 * MO });
  });
});

describe('bug-unaligned-chunks is found wherever the kernel shares a max-order block between threads', () => {
  // Power-of-two nodes: with 8 CPUs every chunk is a multiple of MAX_ORDER_NR_PAGES, with 13 none is.
  const cases = [
    { size: '1G', cpus: 8 },
    { size: '1G', cpus: 13 },
    { size: '2G', cpus: 3 },
    { size: '4G', cpus: 6 },
    { size: '16G', cpus: 16 },
    { size: '16G', cpus: 13 },
  ];
  it.each(cases)('$size node, $cpus CPUs: double init exactly when a chunk is not a multiple of 1024 pages', ({ size, cpus }) => {
    const scenario = { name: 'pow2', boot: {}, nodes: [{ id: 0, cores: cpus, threadsPerCore: 1, dram: [{ start: '0', size }] }] };
    const [layout] = layoutsOf(scenario);
    const job = layout.jobs[0];
    const padata = { start: job.startPfn, size: job.endPfn - job.startPfn, align: 1, minChunk: 1, maxThreads: cpus };
    const kernelShares = padataChunk(padata, padataNworks(padata)) % MO !== 0;
    const kinds = simulate(scenario, { strategy: 'bug-unaligned-chunks' }).violations.map((v) => v.kind);
    expect(kinds.includes('double-init'), `kinds ${kinds}`).toBe(kernelShares);
    expect(kinds.includes('double-free')).toBe(kernelShares);
  });
});
