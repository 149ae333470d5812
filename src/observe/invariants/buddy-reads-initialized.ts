import { pfnHex } from '../../model/pfn-hex.js';
import type { TraceEvent, TraceOf } from '../../model/trace-events.js';
import { checker, type Checker } from '../issues.js';

/**
 * I1 for the buddy allocator: a free never reads a buddy struct page that is
 * not yet initialized (H1). I2: a free never leaves part of its max-order
 * block uninitialized while pages of it are free (H2). The report names the
 * freeing worker and the worker whose chunk holds the uninitialized buddy.
 */
export function buddyReadsInitialized(): Checker {
  return checker(['padata.chunk', 'pages.init', 'buddy.uninit-read', 'buddy.partial-free'], () => {
    const grabs = new Map<number, TraceOf<'padata.chunk'>[]>();
    const lastInit = new Map<string, TraceOf<'pages.init'>>();
    const ownerOf = (node: number, pfn: number) => grabs.get(node)?.find((g) => g.startPfn <= pfn && pfn < g.endPfn);
    return {
      next(e, report) {
        if (e.type === 'padata.chunk') {
          let list = grabs.get(e.node);
          if (!list) grabs.set(e.node, (list = []));
          list.push(e);
        } else if (e.type === 'pages.init' && e.node !== undefined) lastInit.set(e.worker, e);
        else if (e.type === 'buddy.uninit-read') {
          const owner = ownerOf(e.node, e.buddyPfn);
          const mine = ownerOf(e.node, e.pfn);
          const history: TraceEvent[] = [];
          if (owner) history.push(owner);
          if (mine && mine !== owner) history.push(mine);
          const init = lastInit.get(e.worker);
          if (init) history.push(init);
          history.push(e);
          report({
            severity: 'violation',
            invariant: 'I1',
            kind: 'buddy-read-uninitialized',
            place: e.zone,
            atNs: e.t,
            message: `${e.worker} freed pfn ${pfnHex(e.pfn)} (order ${e.order}) and read buddy pfn ${pfnHex(e.buddyPfn)}, whose struct page is not initialized${
              owner ? ` (its chunk belongs to ${owner.worker})` : ' (no worker has reached it yet)'
            }`,
            pfns: [e.buddyPfn, e.buddyPfn + 1],
            actors: owner && owner.worker !== e.worker ? [e.worker, owner.worker] : [e.worker],
            history,
            weight: e.count,
          });
        } else if (e.type === 'buddy.partial-free') {
          report({
            severity: 'violation',
            invariant: 'I2',
            kind: 'partial-block-free',
            place: e.zone,
            atNs: e.t,
            message: `${e.worker} left max-order block at pfn ${pfnHex(e.blockPfn)} with ${e.uninitPages} uninitialized pages while pages of it are free`,
            pfns: [e.blockPfn, e.blockPfn + e.blockPages],
            actors: [e.worker],
            history: [e],
          });
        }
      },
    };
  });
}
