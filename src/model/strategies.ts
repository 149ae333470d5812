import { InputError } from './input-error.js';

/**
 * A namespace probe is a sequence of steps; a strategy is the sequence.
 * The namespace machine runs the steps in order, one message each.
 */
export type ProbeStep =
  | { readonly kind: 'lock'; readonly mode: 'write' | 'read' }
  | { readonly kind: 'unlock' }
  /** arch_add_memory -> sparse_add_section for every section, in order. */
  | { readonly kind: 'activate' }
  /** move_pfn_range_to_zone: zone and pgdat span. */
  | { readonly kind: 'resize' }
  /** memmap_init_range(MEMINIT_HOTPLUG): the altmap pfns that host the memmap. */
  | { readonly kind: 'init-hosting' }
  | {
      readonly kind: 'init';
      readonly pass: 1 | 2;
      /** full = __init_zone_device_page; pgmap = the pre-4.20 loop that only sets page->pgmap. */
      readonly work: 'full' | 'pgmap';
      /** threads: the strategy's thread count; one: the probing thread alone. */
      readonly threads: 'threads' | 'one';
      /** equal: size/N each, remainder on the last (seed 000); section: section-aligned chunks. */
      readonly split: 'equal' | 'section';
      /** percpu_ref_get for every page inside the loop (2018 code). */
      readonly refPerPage: boolean;
    }
  /** percpu_ref_get_many(&pgmap->ref, pfn_len): one bulk reference. */
  | { readonly kind: 'ref-get-many' }
  /** The namespace is handed to DAX users. */
  | { readonly kind: 'publish' };

export type StrategyStatus = 'mainline' | 'historical' | 'proposal' | 'known-bad';

export interface Strategy {
  readonly name: string;
  readonly status: StrategyStatus;
  readonly summary: string;
  readonly defaultThreads: number;
  readonly steps: readonly ProbeStep[];
}

const head: ProbeStep[] = [{ kind: 'lock', mode: 'write' }, { kind: 'activate' }, { kind: 'resize' }, { kind: 'init-hosting' }];
const full = (threads: 'threads' | 'one', split: 'equal' | 'section', refPerPage: boolean): ProbeStep => ({
  kind: 'init',
  pass: 1,
  work: 'full',
  threads,
  split,
  refPerPage,
});

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
];

export const STRATEGIES: ReadonlyMap<string, Strategy> = new Map(list.map((s) => [s.name, s]));

export function strategyByName(name: string, field = '--strategy'): Strategy {
  const s = STRATEGIES.get(name);
  if (!s) throw new InputError(field, `unknown strategy "${name}" (known: ${[...STRATEGIES.keys()].join(', ')})`);
  return s;
}
