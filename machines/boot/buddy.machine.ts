import { setup, assign } from 'xstate';
import { freeOne, perPageReadsInFullBlock, type FreeBlocks, type UninitRead } from '../../src/model/buddy.js';
import { subtract } from '../../src/model/boot-layout.js';
import type { PfnRange } from '../../src/model/scenario.js';
import type { BootStrategy } from '../../src/model/boot-strategies.js';
import { IntervalSet } from '../../src/sim/interval-set.js';
import type { SimEnv } from '../shared/sim-env.js';

/**
 * The buddy allocator of a node's deferred zone. Workers report each step's
 * pages (initialized, then freed, in the strategy's order); it runs the
 * merge loop of __free_one_page on the max-order blocks that are not freed
 * whole, and reports every read of a buddy struct page that is not yet
 * initialized (H1) and every block left partly uninitialized with free pages
 * in it (H2). Whole aligned blocks freed at MAX_PAGE_ORDER read no buddy, so
 * they cost nothing here: work follows the odd blocks, not the machine size.
 */
export interface BuddyContext {
  readonly env: SimEnv;
  readonly node: number;
  readonly zone: string;
  /** Deferred free ranges: every pfn outside them was initialized early. */
  readonly deferred: readonly PfnRange[];
  readonly initialized: IntervalSet;
  /** Max-order blocks with some, not all, pages free: block pfn -> its free buddies. */
  readonly partial: Map<number, FreeBlocks>;
  readonly blocksFreed: number;
  readonly pagesFreed: number;
}

/**
 * A step's free pieces. With maxorder and chunk every piece is initialized
 * before any is freed (deferred_init_maxorder's two passes); per-page frees
 * each page right after initializing it.
 */
export type BuddyEvent = {
  type: 'PAGES_FREED';
  worker: string;
  ranges: readonly PfnRange[];
  freeOrder: BootStrategy['freeOrder'];
};

export interface BuddyInput {
  env: SimEnv;
  node: number;
  zone: string;
  deferred: readonly PfnRange[];
}

/** Per page of the max-order block at b: 1 if its struct page is initialized (early, or by a step so far). */
function blockInitFlags(deferred: readonly PfnRange[], initialized: IntervalSet, b: number, mo: number): Uint8Array {
  const flags = new Uint8Array(mo).fill(1);
  let lo = 0;
  let hi = deferred.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (deferred[mid].endPfn <= b) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < deferred.length && deferred[i].startPfn < b + mo; i++) {
    flags.fill(0, Math.max(0, deferred[i].startPfn - b), Math.min(mo, deferred[i].endPfn - b));
  }
  for (const [s, e] of initialized.overlap(b, b + mo)) flags.fill(1, s - b, e - b);
  return flags;
}

/**
 * The event's ranges less the pages already free. Every page this buddy has
 * freed is in `initialized` (init and free go together here), so a page in
 * it is freed a second time: reported (I2) and left out, so the free lists
 * stay those of the first free.
 */
function notFreedYet(context: BuddyContext, event: BuddyEvent): PfnRange[] {
  const { env, initialized } = context;
  const twice = event.ranges.flatMap((r) => initialized.overlap(r.startPfn, r.endPfn));
  if (twice.length === 0) return [...event.ranges];
  for (const [startPfn, endPfn] of twice) {
    env.emit({ type: 'buddy.double-free', t: env.clock.now(), zone: context.zone, node: context.node, worker: event.worker, startPfn, endPfn });
  }
  return subtract(
    event.ranges,
    twice.map(([startPfn, endPfn]) => ({ startPfn, endPfn })),
  );
}

export const buddyMachine = setup({
  types: { context: {} as BuddyContext, events: {} as BuddyEvent, input: {} as BuddyInput },
  actions: {
    free: assign(({ context, event }) => {
      const { env } = context;
      const d = env.scenario.derived;
      const mo = d.maxOrderNrPages;
      const maxOrder = env.scenario.constants.maxPageOrder;
      const { initialized, partial } = context;
      let reads = 0;
      let first: UninitRead | null = null;
      const onRead = (r: UninitRead) => {
        reads++;
        first ??= r;
      };
      let blocksFreed = context.blocksFreed;
      const { freeOrder } = event;
      const ranges = notFreedYet(context, event);
      if (freeOrder !== 'per-page') for (const r of ranges) initialized.add(r.startPfn, r.endPfn);
      let pagesFreed = context.pagesFreed;
      for (const { startPfn: s, endPfn: e } of ranges) {
        pagesFreed += e - s;

        const partialBlock = (b: number, lo: number, hi: number) => {
          let blk = partial.get(b);
          if (!blk) partial.set(b, (blk = { free: new Map() }));
          // Every buddy read stays inside the block: look its pages up once, not per read.
          const flags = blockInitFlags(context.deferred, initialized, b, mo);
          const inBlock = (pfn: number) => flags[pfn - b] === 1;
          for (let p = lo; p < hi; p++) {
            if (freeOrder === 'per-page') {
              initialized.add(p, p + 1);
              flags[p - b] = 1;
            }
            freeOne(blk, p, 0, maxOrder, inBlock, onRead);
          }
          if (blk.free.get(b) === maxOrder) {
            partial.delete(b);
            blocksFreed++;
            return;
          }
          // H2: free pages in a block part of which is still uninitialized.
          let uninit = 0;
          for (let i = 0; i < mo; i++) if (flags[i] === 0) uninit++;
          if (uninit > 0) {
            env.emit({
              type: 'buddy.partial-free',
              t: env.clock.now(),
              zone: context.zone,
              node: context.node,
              worker: event.worker,
              blockPfn: b,
              blockPages: mo,
              uninitPages: uninit,
            });
          }
        };

        const firstBlock = Math.floor(s / mo) * mo;
        const lastBlock = Math.floor((e - 1) / mo) * mo;
        for (const b of firstBlock === lastBlock ? [firstBlock] : [firstBlock, lastBlock]) {
          const lo = Math.max(s, b);
          const hi = Math.min(e, b + mo);
          const whole = lo === b && hi === b + mo && !partial.has(b);
          if (!whole) partialBlock(b, lo, hi);
          else if (freeOrder === 'per-page') {
            initialized.add(lo, hi);
            const n = perPageReadsInFullBlock(mo);
            reads += n;
            first ??= { pfn: b, buddyPfn: b + 1, order: 0 };
            blocksFreed++;
          } else blocksFreed++;
        }
        // Whole blocks strictly inside the step: freed at MAX_PAGE_ORDER (or, per page, read the page above each time).
        const inner = Math.max(0, (lastBlock - firstBlock) / mo - 1);
        if (inner > 0) {
          if (freeOrder === 'per-page') initialized.add(firstBlock + mo, lastBlock);
          if (freeOrder === 'per-page') {
            reads += inner * perPageReadsInFullBlock(mo);
            first ??= { pfn: firstBlock + mo, buddyPfn: firstBlock + mo + 1, order: 0 };
          }
          blocksFreed += inner;
        }
      }
      if (reads > 0 && first) {
        env.emit({
          type: 'buddy.uninit-read',
          t: env.clock.now(),
          zone: context.zone,
          node: context.node,
          worker: event.worker,
          pfn: first.pfn,
          buddyPfn: first.buddyPfn,
          order: first.order,
          count: reads,
        });
      }
      return { blocksFreed, pagesFreed };
    }),
  },
}).createMachine({
  id: 'buddy',
  context: ({ input }) => ({ ...input, initialized: new IntervalSet(), partial: new Map(), blocksFreed: 0, pagesFreed: 0 }),
  initial: 'serving',
  states: { serving: { on: { PAGES_FREED: { actions: 'free' } } } },
});
