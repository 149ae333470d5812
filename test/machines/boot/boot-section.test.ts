/**
 * writePageblocks (machines/boot/boot-section.ts): usemap words shared by two
 * threads at their steps' edges, and the cache-line bounces that costs.
 */
import { describe, expect, it } from 'vitest';
import { createEmptyActor } from 'xstate';
import { NO_EDGE_WORDS, wordOf, writePageblocks, type UsemapParams } from '../../../machines/boot/boot-section.js';

// x86_64: 32768 pages a section, 512 a pageblock, 16 pageblocks a usemap word (8192 pfns), 4 words a section.
const params: UsemapParams = {
  node: 0,
  pagesPerSection: 32768,
  pageblockNrPages: 512,
  pageblocksPerUsemapWord: 16,
  bounceWindowNs: 1000,
  bounceNs: 150,
  nowNs: 9,
};
const writer = createEmptyActor();
const write = (worker: string, startPfn: number, endPfn: number, startNs: number, endNs: number) => ({ worker, startPfn, endPfn, startNs, endNs, writer });

describe('writePageblocks', () => {
  it('numbers usemap words per section', () => {
    expect([wordOf(0, params), wordOf(15, params), wordOf(16, params), wordOf(63, params), wordOf(64, params)]).toEqual([0, 0, 1, 3, 4]);
  });

  it('a step that starts no pageblock writes no word', () => {
    const step = writePageblocks(NO_EDGE_WORDS, write('w0', 1, 500, 0, 10), params);
    expect(step).toEqual({ state: NO_EDGE_WORDS, trace: [], send: [] });
  });

  it('two threads writing one word close together bounce its cache line: traced, and the second writer is charged', () => {
    // w0 ends its step inside word 0 at pfn 4096; w1 starts there.
    const a = writePageblocks(NO_EDGE_WORDS, write('w0', 0, 4096, 0, 1000), params);
    expect(a.trace).toEqual([]);
    const b = writePageblocks(a.state, write('w1', 4096, 8192, 1000, 2000), params);
    expect(b.trace).toEqual([{ type: 'usemap.shared', t: 9, node: 0, section: 0, word: 0, workers: ['w0', 'w1'], gapNs: expect.any(Number), bounce: true }]);
    expect(b.send).toEqual([{ to: writer, event: { type: 'BOUNCE', stallNs: 150 } }]);
    // The state given is left as it was.
    expect(a.state.edgeWords.get(0)?.worker).toBe('w0');
    expect(b.state.edgeWords.get(0)?.worker).toBe('w1');
  });

  it('writes far apart in time share the word without a bounce', () => {
    const a = writePageblocks(NO_EDGE_WORDS, write('w0', 0, 4096, 0, 1000), params);
    const b = writePageblocks(a.state, write('w1', 4096, 8192, 50_000, 60_000), params);
    expect(b.trace).toMatchObject([{ type: 'usemap.shared', bounce: false }]);
    expect(b.send).toEqual([]);
  });

  it('one thread writing a word twice shares nothing', () => {
    const a = writePageblocks(NO_EDGE_WORDS, write('w0', 0, 4096, 0, 1000), params);
    const b = writePageblocks(a.state, write('w0', 4096, 8192, 1000, 2000), params);
    expect(b.trace).toEqual([]);
  });
});
