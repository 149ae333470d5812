/**
 * What sparse_add_section -> section_activate -> __populate_section_memmap
 * does to the vmemmap of one section piece (kernel-facts.md §2.4, §2.6):
 * pure arithmetic, one call per section, so a section actor can hold the
 * result as per-section data.
 *
 * - early section (boot RAM in the same section, piece smaller than a
 *   section): section_activate returns the boot memmap, nothing is populated,
 *   and that memmap is NOT deduplicated;
 * - vmemmap_can_optimize: vmemmap_populate_compound_pages maps every 4 KiB of
 *   the piece's vmemmap VA with a PTE; per compound page the head and one
 *   tail vmemmap page are allocated (section_nr_vmemmap_pages), the rest of
 *   the PTEs point at that tail page; a 1 GiB compound page's later sections
 *   (reuse_compound_section) allocate nothing and map the tail page of the
 *   section before, "assuming sections are populated sequentially";
 * - otherwise vmemmap_populate: a full section is one 2 MiB PMD block (x86
 *   vmemmap_populate_hugepages, no PTE table); a partial piece goes through
 *   vmemmap_populate_basepages (4 KiB pages, one PTE table);
 * - a PMD block that cannot be allocated: with an altmap the population fails
 *   ("no fallback"); without one vmemmap_populate_hugepages falls back to
 *   vmemmap_populate_basepages for that 2 MiB of vmemmap: the same data
 *   pages, 4 KiB each, plus the PTE table that maps them
 *   (mm/sparse-vmemmap.c, generic since 2045a3b8911b, v6.0; x86's own copy
 *   in arch/x86/mm/init_64.c before).
 */
import { derive, type KernelConstants } from './constants.js';
import { sectionNrVmemmapPages, vmemmapCanOptimize } from './vmemmap-geometry.js';

export interface SectionPiece {
  /** First pfn of the namespace in this section. */
  readonly pfn: number;
  readonly nrPages: number;
  readonly altmap: boolean;
  readonly vmemmapShift: number;
  /** early_section(): the section holds boot memory. */
  readonly early: boolean;
  /** An injected fault: no PMD-sized (order-9) block can be allocated, as on fragmented memory. */
  readonly pmdFails?: boolean;
  readonly constants: KernelConstants;
}

export interface SectionPopulation {
  /** Unique 4 KiB vmemmap pages allocated for struct pages. */
  readonly dataPages: number;
  /** PTE-table pages allocated (PMD-mapped full sections need none). */
  readonly pageTablePages: number;
  /** PTE entries written (each deduplicated mapping also takes a page reference). */
  readonly ptes: number;
  /** The whole memmap is one 2 MiB PMD block: allocated (and fails) as one unit. */
  readonly pmdMapped: boolean;
  /** reuse_compound_section: maps the previous section's tail vmemmap page. */
  readonly reuse: boolean;
  /** Struct pages beyond the two unique vmemmap pages alias the shared tail page. */
  readonly deduplicated: boolean;
  /** The boot memmap is reused: nothing populated here. */
  readonly early: boolean;
  /** The PMD block could not be allocated and no altmap: mapped with base pages instead. */
  readonly basePagesFallback?: true;
}

const memo = new WeakMap<KernelConstants, Map<string, SectionPopulation>>();

/**
 * The plan depends on the pfn only through its offset in a compound page (or
 * section), so a 12 TiB namespace has a handful of distinct plans: memoized
 * per constants object, a section costs a map lookup.
 */
export function planSectionPopulation(p: SectionPiece): SectionPopulation {
  let m = memo.get(p.constants);
  if (!m) memo.set(p.constants, (m = new Map()));
  const period = Math.max(2 ** p.vmemmapShift, 2 ** (p.constants.sectionSizeBits - p.constants.pageShift));
  const key = `${p.altmap ? 1 : 0}|${p.vmemmapShift}|${p.early ? 1 : 0}|${p.pmdFails ? 1 : 0}|${p.nrPages}|${p.pfn % period}`;
  let plan = m.get(key);
  if (!plan) m.set(key, (plan = computePlan(p)));
  return plan;
}

function computePlan(p: SectionPiece): SectionPopulation {
  const d = derive(p.constants);
  if (p.early && p.nrPages < d.pagesPerSection) {
    return { dataPages: 0, pageTablePages: 0, ptes: 0, pmdMapped: false, reuse: false, deduplicated: false, early: true };
  }
  const vaBytes = p.nrPages * p.constants.structPageBytes;
  const pteSpan = d.pageSize * (d.pageSize / 8); // vmemmap VA one PTE table maps: 2 MiB
  const dataPages = sectionNrVmemmapPages({ pfn: p.pfn, nrPages: p.nrPages, altmap: p.altmap, vmemmapShift: p.vmemmapShift, constants: p.constants });
  if (vmemmapCanOptimize({ altmap: p.altmap, vmemmapShift: p.vmemmapShift, constants: p.constants })) {
    const compound = 2 ** p.vmemmapShift;
    return {
      dataPages,
      pageTablePages: Math.ceil(vaBytes / pteSpan),
      ptes: Math.ceil(vaBytes / d.pageSize),
      pmdMapped: false,
      // The range start is compound aligned, so the offset test is on the absolute pfn.
      reuse: p.pfn % compound !== 0 && compound > d.pagesPerSubsection,
      deduplicated: true,
      early: false,
    };
  }
  const full = p.nrPages === d.pagesPerSection;
  const plan: SectionPopulation = {
    dataPages,
    pageTablePages: full ? 0 : Math.ceil(vaBytes / pteSpan),
    ptes: full ? 0 : dataPages,
    pmdMapped: full,
    reuse: false,
    deduplicated: false,
    early: false,
  };
  return full && p.pmdFails && !p.altmap ? basePagesOf(plan, p.constants) : plan;
}

/**
 * vmemmap_populate_basepages over a PMD block's vmemmap: its data pages one
 * by one, each mapped by a PTE, plus the PTE table page(s) under the PMD.
 */
export function basePagesOf(plan: SectionPopulation, constants: KernelConstants): SectionPopulation {
  const d = derive(constants);
  const pteSpan = d.pageSize * (d.pageSize / 8);
  return {
    ...plan,
    pageTablePages: Math.ceil((plan.dataPages * d.pageSize) / pteSpan),
    ptes: plan.dataPages,
    pmdMapped: false,
    basePagesFallback: true,
  };
}

/** Vmemmap pages a section allocates: the unit an injected ENOMEM counts. */
export const allocationsOf = (s: SectionPopulation): number => s.dataPages + s.pageTablePages;

export interface PopulateCosts {
  readonly sectionActivateNs: number;
  readonly vmemmapPageAllocNs: number;
  readonly pageTablePageNs: number;
  readonly vmemmapPteNs: number;
}

/**
 * CPU time of populating a section. A PMD-mapped section keeps the one
 * figure it always had (sectionActivateNs includes its 2 MiB block), so base
 * pages cost what they did before compound pages were modelled.
 */
export function populateNs(s: SectionPopulation, c: PopulateCosts): number {
  if (s.pmdMapped || s.early) return c.sectionActivateNs;
  return c.sectionActivateNs + s.dataPages * c.vmemmapPageAllocNs + s.pageTablePages * c.pageTablePageNs + s.ptes * c.vmemmapPteNs;
}

/** CPU time of a partial population that stopped after `pages` allocations (the failing section). */
export function partialPopulateNs(s: SectionPopulation, pages: number, c: PopulateCosts): number {
  const pt = Math.min(pages, s.pageTablePages);
  const data = Math.max(0, pages - pt);
  return c.sectionActivateNs + pt * c.pageTablePageNs + data * c.vmemmapPageAllocNs;
}
