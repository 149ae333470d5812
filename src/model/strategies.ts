import { InputError } from './input-error.js';
import type { ProbeStepParsed } from './strategy-schema.js';

/**
 * A namespace probe is a sequence of steps; a strategy is the sequence.
 * The namespace machine runs the steps in order, one message each. The step
 * kinds and their fields are defined once, as zod schemas, in
 * strategy-schema.ts (built-in and user-written strategies alike).
 */
export type ProbeStep = Readonly<ProbeStepParsed>;

export type StrategyStatus = 'mainline' | 'historical' | 'proposal' | 'known-bad';

export interface Strategy {
  readonly name: string;
  readonly status: StrategyStatus;
  readonly summary: string;
  readonly defaultThreads: number;
  readonly steps: readonly ProbeStep[];
  /** Written by the user (scenario `strategy` object or --strategy-file), not built in. */
  readonly userDefined?: true;
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
    summary:
      'Mainline since 4.20 (966cf44f637e): memmap_init_zone_device single-threaded after mem_hotplug_done, then one percpu_ref_get_many.',
    defaultThreads: 1,
    steps: [...head, { kind: 'unlock' }, full('one', 'equal', false), { kind: 'ref-get-many' }, { kind: 'publish' }],
  },
  {
    name: 'rwsem',
    status: 'proposal',
    summary:
      "Seed 001 (Williams, 26 Sep 2018, not merged): zone changes under mem_hotplug_lock held for write, page init under it held for read, so namespaces initialize concurrently.",
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
    summary: 'Known bad (H16): the zone span is resized after mem_hotplug_done, outside the write lock.',
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
    summary: 'Known bad: the namespace is handed to DAX users before memmap_init_zone_device has run.',
    defaultThreads: 1,
    steps: [...head, { kind: 'unlock' }, { kind: 'ref-get-many' }, { kind: 'publish' }, full('one', 'equal', false)],
  },
  {
    name: 'bug-no-ref',
    status: 'known-bad',
    summary: 'Known bad (H6): the pgmap reference for the published pages is never taken.',
    defaultThreads: 1,
    steps: [...head, { kind: 'unlock' }, full('one', 'equal', false), { kind: 'publish' }],
  },
  {
    name: 'bug-recursive-lock',
    status: 'known-bad',
    summary:
      'Known bad (I4): the rwsem proposal done wrong: the init takes mem_hotplug_lock for read while the probe still holds it for write, so the probe never returns.',
    defaultThreads: 1,
    steps: [...head, { kind: 'lock', mode: 'read' }, full('threads', 'section', false), { kind: 'unlock' }, { kind: 'unlock' }, { kind: 'ref-get-many' }, { kind: 'publish' }],
  },
  // Compound devmap hazards (issue 4, docs/compound-devmaps.md). Each is a
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
    steps: [{ kind: 'lock', mode: 'write' }, { kind: 'activate', order: 'descending' }, { kind: 'resize' }, { kind: 'init-hosting' }, ...mainlineTail(full('one', 'equal', false))],
  },
  {
    name: 'bug-early-section',
    status: 'known-bad',
    summary:
      'Known bad (H11; I1): mainline outside-lock with compound_nr_pages before the Apr 2026 fix: in free subsections of a boot (early) section, whose memmap is the unoptimized boot memmap, only 128 struct pages per compound page are initialized. Needs a devdax namespace sharing a section with boot RAM.',
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
  if (!s) throw new InputError(field, `unknown strategy "${name}" (known: ${[...STRATEGIES.keys()].join(', ')})`);
  return s;
}
