import { didYouMean } from './nearest-name.js';
import { InputError } from './input-error.js';
import type { ProbeStepParsed } from './strategy-schema.js';

/**
 * A namespace probe is a sequence of steps; a strategy is the sequence.
 * The namespace machine runs the steps in order, one message each. The step
 * kinds and their fields are defined once, as zod schemas, in
 * strategy-schema.ts (built-in and user-written strategies alike).
 */
export type ProbeStep = Readonly<ProbeStepParsed>;

/** The locks a probe step can name: mem_hotplug_lock (the default) or the node's pgdat_resize_lock. */
export type ProbeLock = NonNullable<Extract<ProbeStep, { kind: 'lock' }>['lock']>;

export type StrategyStatus = 'mainline' | 'historical' | 'proposal' | 'known-bad';

export interface Strategy {
  readonly name: string;
  readonly status: StrategyStatus;
  readonly summary: string;
  readonly defaultThreads: number;
  readonly steps: readonly ProbeStep[];
  /** Written by the user (scenario `strategy` object or --strategy-file), not built in. */
  readonly userDefined?: true;
  /**
   * A second code path: the 2nd, 4th, ... namespace of the scenario probes
   * with these steps instead of `steps`. Absent: every namespace runs `steps`.
   */
  readonly peerSteps?: readonly ProbeStep[];
}

const head: ProbeStep[] = [{ kind: 'lock', mode: 'write' }, { kind: 'activate' }, { kind: 'resize' }, { kind: 'init-hosting' }];
type InitStep = Extract<ProbeStep, { kind: 'init' }>;
const full = (threads: 'threads' | 'one', split: InitStep['split'], refPerPage: boolean, bug: Partial<InitStep> = {}): ProbeStep => ({
  kind: 'init',
  pass: 1,
  work: 'full',
  threads,
  split,
  refPerPage,
  ...bug,
});
/** The mainline tail: init outside the lock, one bulk reference, publish. */
const mainlineTail = (init: ProbeStep): ProbeStep[] => [{ kind: 'unlock' }, init, { kind: 'ref-get-many' }, { kind: 'publish' }];

const list: Strategy[] = [
  {
    name: 'serial',
    status: 'historical',
    summary:
      'Before 4.20: memmap_init_zone single-threaded under mem_hotplug_lock, then a second loop outside the lock that sets page->pgmap and takes a pgmap reference per page (seed 001).',
    defaultThreads: 1,
    steps: [
      ...head,
      full('one', 'equal', false),
      { kind: 'unlock' },
      { kind: 'init', pass: 2, work: 'pgmap', threads: 'one', split: 'equal', refPerPage: true },
      { kind: 'publish' },
    ],
  },
  {
    name: 'async8',
    status: 'proposal',
    summary:
      'Seed 000 (Williams, Jul 2018, not merged): memmap_init_zone split over 8 async workers (equal split, remainder on the last) still under mem_hotplug_lock; a pgmap reference per page.',
    defaultThreads: 8,
    steps: [...head, full('threads', 'equal', true), { kind: 'unlock' }, { kind: 'publish' }],
  },
  {
    name: 'outside-lock',
    status: 'mainline',
    summary: 'Mainline since 4.20 (966cf44f637e): memmap_init_zone_device single-threaded after mem_hotplug_done, then one percpu_ref_get_many.',
    defaultThreads: 1,
    steps: [...head, { kind: 'unlock' }, full('one', 'equal', false), { kind: 'ref-get-many' }, { kind: 'publish' }],
  },
  {
    name: 'rwsem',
    status: 'proposal',
    summary:
      'Seed 001 (Williams, 26 Sep 2018, not merged): zone changes under mem_hotplug_lock held for write, page init under it held for read, so namespaces initialize concurrently.',
    defaultThreads: 1,
    steps: [
      ...head,
      { kind: 'unlock' },
      { kind: 'lock', mode: 'read' },
      full('threads', 'section', false),
      { kind: 'unlock' },
      { kind: 'ref-get-many' },
      { kind: 'publish' },
    ],
  },
  {
    name: 'outside-lock-mt',
    status: 'proposal',
    summary:
      'Not mainline: memmap_init_zone_device outside the lock, split over N threads in section-aligned chunks (padata_do_multithreaded is __init, so mainline cannot do this at runtime).',
    defaultThreads: 8,
    steps: [...head, { kind: 'unlock' }, full('threads', 'section', false), { kind: 'ref-get-many' }, { kind: 'publish' }],
  },
  {
    name: 'bug-resize-unlocked',
    status: 'known-bad',
    summary:
      'Known bad (H16; I4): the zone span is resized after mem_hotplug_done, outside the write lock; since 5.14 ("mm,memory_hotplug: drop unneeded locking") only the write lock serializes it. Never latent where a namespace probes; boot-only scenarios have no probe.',
    defaultThreads: 1,
    steps: [
      { kind: 'lock', mode: 'write' },
      { kind: 'activate' },
      { kind: 'init-hosting' },
      { kind: 'unlock' },
      { kind: 'resize' },
      full('one', 'equal', false),
      { kind: 'ref-get-many' },
      { kind: 'publish' },
    ],
  },
  {
    name: 'bug-publish-early',
    status: 'known-bad',
    summary:
      'Known bad (I1): the namespace is handed to DAX users before memmap_init_zone_device has run; seed 000 (Williams, Jul 2018): there is no way to limit applications to the initialized set. Never latent where a namespace probes; boot-only scenarios have no probe.',
    defaultThreads: 1,
    steps: [...head, { kind: 'unlock' }, { kind: 'ref-get-many' }, { kind: 'publish' }, full('one', 'equal', false)],
  },
  {
    name: 'bug-no-ref',
    status: 'known-bad',
    summary:
      'Known bad (H6; I5): the pgmap reference for the published pages is never taken; the bulk get was folded into 966cf44f637e (Duyck, v4.20). Never latent where a namespace probes; boot-only scenarios have no probe.',
    defaultThreads: 1,
    steps: [...head, { kind: 'unlock' }, full('one', 'equal', false), { kind: 'publish' }],
  },
  {
    name: 'bug-recursive-lock',
    status: 'known-bad',
    summary:
      'Known bad (I4): the rwsem proposal (Williams, 26 Sep 2018) done wrong: the init takes mem_hotplug_lock for read while the probe still holds it for write; a percpu rwsem (3f906ba23689) cannot be read-locked by its writer, so the probe never returns. Never latent where a namespace probes; boot-only scenarios have no probe.',
    defaultThreads: 1,
    steps: [
      ...head,
      { kind: 'lock', mode: 'read' },
      full('threads', 'section', false),
      { kind: 'unlock' },
      { kind: 'unlock' },
      { kind: 'ref-get-many' },
      { kind: 'publish' },
    ],
  },
  {
    name: 'bug-lock-order',
    status: 'known-bad',
    summary:
      'Known bad (I4 deadlock): two hot-add paths take mem_hotplug_lock and pgdat_resize_lock in opposite orders. The 1st, 3rd, ... namespace probes as before 5.14 (mem_hotplug_begin, then pgdat_resize_lock inside move_pfn_range_to_zone, f1dd2cd13c4b); the 2nd, 4th, ... takes pgdat_resize_lock first, then mem_hotplug_lock, so each holds the lock the other waits for. The same inversion, with dev->mutex, was fixed in 30467e0b3be ("mm, hotplug: fix concurrent memory hot-add deadlock"). Latent with one namespace, or when the two paths probe on different nodes (a pgdat_resize_lock per node, as in seed001-pmem-3t-4node), though lockdep would still report the order.',
    defaultThreads: 1,
    steps: [
      { kind: 'lock', mode: 'write' },
      { kind: 'activate' },
      { kind: 'lock', lock: 'pgdat_resize', mode: 'write' },
      { kind: 'resize' },
      { kind: 'unlock', lock: 'pgdat_resize' },
      { kind: 'init-hosting' },
      ...mainlineTail(full('one', 'equal', false)),
    ],
    peerSteps: [
      { kind: 'lock', lock: 'pgdat_resize', mode: 'write' },
      { kind: 'lock', mode: 'write' },
      { kind: 'activate' },
      { kind: 'resize' },
      { kind: 'unlock', lock: 'pgdat_resize' },
      { kind: 'init-hosting' },
      ...mainlineTail(full('one', 'equal', false)),
    ],
  },
  {
    name: 'bug-resize-under-read',
    status: 'known-bad',
    summary:
      'Known bad (H16; I4): the rwsem proposal (Williams, 26 Sep 2018) with move_pfn_range_to_zone moved into the read section, so the zone and node spans change while mem_hotplug_lock is held only for read and concurrent probes resize them together. Since 5.14 ("mm,memory_hotplug: drop unneeded locking") nothing but the write lock serializes the spans. Never latent where a namespace probes; boot-only scenarios have no probe.',
    defaultThreads: 1,
    steps: [
      { kind: 'lock', mode: 'write' },
      { kind: 'activate' },
      { kind: 'unlock' },
      { kind: 'lock', mode: 'read' },
      { kind: 'resize' },
      { kind: 'init-hosting' },
      full('threads', 'section', false),
      { kind: 'unlock' },
      { kind: 'ref-get-many' },
      { kind: 'publish' },
    ],
  },
  {
    name: 'bug-ref-drop-early',
    status: 'known-bad',
    summary:
      'Known bad (H6; I5): mainline outside-lock, then the pgmap references are dropped (percpu_ref_put_many, as memunmap_pages does) while the pages are still published to DAX users, the race of 50f44ee7248a ("mm/devm_memremap_pages: fix final page put race", Williams, reported by Gunthorpe, 2019). Never latent where a namespace probes; boot-only scenarios have no probe.',
    defaultThreads: 1,
    steps: [...head, ...mainlineTail(full('one', 'equal', false)), { kind: 'ref-put' }],
  },
  // Compound devmap hazards (docs/compound-devmaps.md). Each is a
  // correct probe with one bug, latent where the geometry cannot expose it.
  {
    name: 'bug-split-compound',
    status: 'known-bad',
    summary:
      'Known bad (H14; I7, I1): outside-lock-mt with chunks aligned to sections but not to compound pages, 6 threads by default so chunk ends fall inside 1 GiB compound pages; a worker whose chunk starts inside a compound page sets up its head (prep_compound_head) before the head owner has initialized the first tail. Latent at 4K and 2M.',
    defaultThreads: 6,
    steps: [...head, ...mainlineTail(full('threads', 'section-unaligned', false))],
  },
  {
    name: 'bug-unordered-populate',
    status: 'known-bad',
    summary:
      'Known bad (H15; I7): mainline outside-lock, but arch_add_memory populates the sections last to first, so the later sections of a 1 GiB compound page (reuse_compound_section) map the tail page of a section not yet populated. Latent at 4K and 2M.',
    defaultThreads: 1,
    steps: [
      { kind: 'lock', mode: 'write' },
      { kind: 'activate', order: 'descending' },
      { kind: 'resize' },
      { kind: 'init-hosting' },
      ...mainlineTail(full('one', 'equal', false)),
    ],
  },
  {
    name: 'bug-early-section',
    status: 'known-bad',
    summary:
      'Known bad (H11; I1): mainline outside-lock with compound_nr_pages before the Apr 2026 fix: in free subsections of a boot (early) section, whose memmap is the unoptimized boot memmap, only 128 struct pages per compound page are initialized. Latent unless a devdax namespace shares a section with boot RAM (no built-in scenario has one).',
    defaultThreads: 1,
    steps: [...head, ...mainlineTail(full('one', 'equal', false, { earlySections: 'as-optimized' }))],
  },
  {
    name: 'bug-1g-pageblock',
    status: 'known-bad',
    summary:
      'Known bad (H12; I6): mainline outside-lock with the pre-2026 migratetype setting: only pageblock-aligned pfns the init loop visits get one, so 511 of the 512 pageblocks of every 1 GiB compound page keep none. Latent at 4K and 2M.',
    defaultThreads: 1,
    steps: [...head, ...mainlineTail(full('one', 'equal', false, { pageblocks: 'visited' }))],
  },
];

export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map(list.map((s) => [s.name, s]));

export function strategyByName(name: string, field = '--strategy'): Strategy {
  const s = STRATEGIES.get(name);
  if (!s) throw new InputError(field, `unknown strategy "${name}"${didYouMean(name, STRATEGIES.keys())} (known: ${[...STRATEGIES.keys()].join(', ')})`);
  return s;
}
