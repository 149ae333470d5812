/**
 * The typed events every actor emits into the run's one trace stream.
 * `t` is simulated nanoseconds; a field that holds nanoseconds ends in `Ns`. pfn ranges are [startPfn, endPfn). Metrics and
 * invariant checkers are operators over a stream of these.
 */
export type LockMode = 'write' | 'read';
export type InitWork = 'full' | 'pgmap' | 'hosting';

interface At {
  readonly t: number;
}

/** Namespace probe (issues 2 and 4). */
export type ProbeTraceEvent =
  | (At & {
      readonly type: 'probe.start';
      readonly namespace: string;
      readonly node: number;
      readonly startPfn: number;
      readonly endPfn: number;
      readonly dataStartPfn: number;
    })
  | (At & { readonly type: 'probe.locked-done'; readonly namespace: string })
  | (At & { readonly type: 'lock.request'; readonly lock: string; readonly holder: string; readonly mode: LockMode })
  | (At & { readonly type: 'lock.acquired'; readonly lock: string; readonly holder: string; readonly mode: LockMode; readonly waitNs: number })
  | (At & { readonly type: 'lock.released'; readonly lock: string; readonly holder: string; readonly mode: LockMode; readonly heldNs: number })
  | (At & {
      readonly type: 'section.activate';
      readonly namespace: string;
      readonly actor: string;
      readonly firstSection: number;
      readonly lastSection: number;
      readonly vmemmapPages: number;
    })
  | (At & { readonly type: 'zone.resize'; readonly zone: string; readonly by: string; readonly startPfn: number; readonly endPfn: number })
  | (At & {
      readonly type: 'init.start';
      readonly namespace: string;
      readonly pass: number;
      readonly work: InitWork;
      readonly threads: number;
      readonly lockMode: LockMode | null;
    })
  | (At & { readonly type: 'init.end'; readonly namespace: string; readonly pass: number; readonly work: InitWork; readonly pages: number })
  | (At & {
      readonly type: 'pages.init';
      /** The namespace a probe initializes; absent for boot-time deferred init, which names its node. */
      readonly namespace?: string;
      readonly node?: number;
      readonly worker: string;
      readonly pass: number;
      readonly work: InitWork;
      readonly startPfn: number;
      readonly endPfn: number;
      readonly startedAt: number;
      /** Struct pages actually written (compound pages: compound_nr_pages per compound page); absent = endPfn - startPfn. */
      readonly structPages?: number;
    })
  /** References taken (count > 0) or, with how 'put', dropped (count < 0). */
  | (At & { readonly type: 'pgmap.ref'; readonly namespace: string; readonly count: number; readonly how: 'per-page' | 'bulk' | 'put' })
  | (At & {
      readonly type: 'worker.start';
      readonly worker: string;
      readonly namespace: string;
      readonly cpu: number;
      readonly core: number;
      readonly node: number;
    })
  | (At & { readonly type: 'worker.end'; readonly worker: string; readonly namespace: string; readonly pages: number })
  | (At & { readonly type: 'channel.rate'; readonly channel: string; readonly bytesPerNs: number; readonly flows: number; readonly capacity: number })
  /** `refs`: the pgmap references its pages need, pfn_len() (one per compound page). */
  | (At & { readonly type: 'namespace.published'; readonly namespace: string; readonly pages: number; readonly refs: number })
  | (At & { readonly type: 'dax.access'; readonly namespace: string; readonly pfn: number; readonly user: string })
  | (At & { readonly type: 'namespace.available'; readonly namespace: string })
  | (At & { readonly type: 'section.ready'; readonly namespace: string; readonly actor: string; readonly firstSection: number; readonly lastSection: number })
  | CompoundTraceEvent;

/**
 * Compound devmaps: vmemmap population per section run, compound
 * init per worker step, pageblock migratetypes per step, a failed probe's
 * unwinding. Ranges, never one event per page (docs/compound-devmaps.md).
 */
export type CompoundTraceEvent =
  | (At & {
      readonly type: 'vmemmap.populate';
      readonly namespace: string;
      readonly actor: string;
      /** Sections populated, in `order` (a run of one section actor; on failure, up to the failing one). */
      readonly firstSection: number;
      readonly lastSection: number;
      readonly order: 'ascending' | 'descending';
      readonly pagesPerSection: number;
      /** pfns per compound page (1 = base pages) and whether tail vmemmap is deduplicated. */
      readonly compoundPfns: number;
      readonly optimized: boolean;
      readonly altmap: boolean;
      readonly dataPages: number;
      readonly pageTablePages: number;
      /** Sections that mapped the previous section's tail page (reuse_compound_section). */
      readonly reuseSections: number;
      /** Sections whose boot memmap was reused (early sections): not deduplicated. */
      readonly earlySections: readonly number[];
      /** PMD-sized blocks could not be allocated (injected): without an altmap, their vmemmap is base pages. */
      readonly pmdFails?: true;
      /** When the population of these sections ends. */
      readonly endsAt: number;
    })
  | (At & {
      readonly type: 'vmemmap.depopulate';
      readonly namespace: string;
      readonly actor: string;
      readonly firstSection: number;
      readonly lastSection: number;
      /** Sections deactivated (section_deactivate) by this event. */
      readonly sections: number;
      readonly dataPages: number;
      readonly pageTablePages: number;
    })
  | (At & {
      readonly type: 'probe.failed';
      readonly namespace: string;
      readonly reason: string;
      /** The section whose population failed, and its first pfn of the namespace. */
      readonly section: number;
      readonly pfn: number;
      /** Vmemmap pages that section had allocated before the failure; section_activate's error path freed them at once. */
      readonly partialPages: number;
    })
  | (At & {
      readonly type: 'compound.init';
      readonly namespace: string;
      readonly worker: string;
      readonly pass: number;
      readonly startPfn: number;
      readonly endPfn: number;
      readonly startedAt: number;
      readonly compoundPfns: number;
      /** compound_nr_pages the worker used: struct pages initialized per compound page. */
      readonly nrPerCompound: number;
      readonly structPages: number;
      /** H14 bug: head pfn of a compound page this step set up (prep_compound_head) at its start, though the head lies before the step. */
      readonly foreignHeadSetup?: number;
    })
  | (At & {
      readonly type: 'pageblock.migratetype';
      readonly namespace: string;
      readonly worker: string;
      readonly startPfn: number;
      readonly endPfn: number;
      /** range: every pageblock whose first pfn is in [startPfn, endPfn); visited: only those within the first nrPerCompound pfns of each compound page. */
      readonly how: 'range' | 'visited';
      readonly pageblockPfns: number;
      readonly compoundPfns: number;
      readonly nrPerCompound: number;
    });

/** Boot-time deferred struct page init: pgdatinit, padata, buddy, usemap. */
export type BootTraceEvent =
  | (At & {
      readonly type: 'deferred.start';
      readonly node: number;
      readonly firstDeferredPfn: number;
      readonly pages: number;
      readonly jobs: number;
      readonly maxThreads: number;
      readonly early: boolean;
    })
  | (At & { readonly type: 'deferred.end'; readonly node: number; readonly pages: number; readonly durationNs: number })
  | (At & {
      readonly type: 'padata.start';
      readonly node: number;
      readonly job: string;
      readonly startPfn: number;
      readonly endPfn: number;
      readonly nworks: number;
      readonly chunk: number;
    })
  | (At & {
      readonly type: 'padata.chunk';
      readonly node: number;
      readonly job: string;
      readonly worker: string;
      readonly startPfn: number;
      readonly endPfn: number;
    })
  | (At & { readonly type: 'padata.end'; readonly node: number; readonly job: string; readonly chunks: number })
  | (At & {
      readonly type: 'buddy.uninit-read';
      readonly zone: string;
      readonly node: number;
      readonly worker: string;
      readonly pfn: number;
      readonly buddyPfn: number;
      readonly order: number;
      /** Reads of this kind folded into this event (same step). */
      readonly count: number;
    })
  /** Pages freed to the buddy allocator that were already free in it: [startPfn, endPfn). */
  | (At & {
      readonly type: 'buddy.double-free';
      readonly zone: string;
      readonly node: number;
      readonly worker: string;
      readonly startPfn: number;
      readonly endPfn: number;
    })
  | (At & {
      readonly type: 'buddy.partial-free';
      readonly zone: string;
      readonly node: number;
      readonly worker: string;
      readonly blockPfn: number;
      readonly blockPages: number;
      readonly uninitPages: number;
    })
  /** One usemap word written by two workers; a bounce when the writes were closer than the profile's window. */
  | (At & {
      readonly type: 'usemap.shared';
      readonly node: number;
      readonly section: number;
      readonly word: number;
      readonly workers: readonly [string, string];
      readonly gapNs: number;
      readonly bounce: boolean;
    })
  | (At & { readonly type: 'grow.start'; readonly node: number; readonly pages: number; readonly firstDeferredPfn: number })
  | (At & { readonly type: 'grow.end'; readonly node: number; readonly stopPfn: number; readonly pages: number; readonly irqsOffNs: number });

export type TraceEvent = ProbeTraceEvent | BootTraceEvent;

export type TraceType = TraceEvent['type'];
export type TraceOf<K extends TraceType> = Extract<TraceEvent, { type: K }>;

/** Where a `pages.init` step ran: its namespace, or `node<N>` for boot-time deferred init. */
export const initPlace = (e: TraceOf<'pages.init'>): string => e.namespace ?? `node${e.node}`;
