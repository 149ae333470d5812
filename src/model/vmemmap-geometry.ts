/**
 * vmemmap geometry of a ZONE_DEVICE range: base pages or compound devmaps
 * (device-dax `vmemmap_shift`), as mm/sparse-vmemmap.c and mm/mm_init.c
 * lay it out (kernel-facts.md §2.4, §2.6, §5). Pure functions, no I/O.
 *
 * Layout assumptions (they make the closed form exact): the range starts on a
 * compound-page and section boundary, and its vmemmap VA starts on a 1 GiB
 * boundary (so PMD tables are "1 per GiB of vmemmap VA, rounded up").
 */
import { didYouMean } from './nearest-name.js';
import { derive, X86_64, type KernelConstants } from './constants.js';
import { InputError } from './input-error.js';

export type Geometry = '4K' | '2M' | '1G';
export const GEOMETRIES: readonly Geometry[] = ['4K', '2M', '1G'];

/** include/linux/mm.h: head vmemmap page + one tail vmemmap page are kept. */
export const VMEMMAP_RESERVE_NR = 2;

const SHIFTS: Record<Geometry, number> = { '4K': 0, '2M': 9, '1G': 18 };

/** pgmap->vmemmap_shift that device-dax sets for an alignment (x86_64, 4 KiB pages). */
export function vmemmapShiftOf(g: Geometry): number {
  return SHIFTS[g];
}

/** Accepts 4K, 2M, 1G (any case, optional "iB"). */
export function parseGeometry(text: unknown, field = '--geometry'): Geometry {
  const m = typeof text === 'string' ? /^\s*(4K|2M|1G)(?:iB)?\s*$/i.exec(text) : null;
  if (!m)
    throw new InputError(
      field,
      `must be one of 4K, 2M, 1G, got ${JSON.stringify(text)}${typeof text === 'string' ? didYouMean(text, ['4K', '2M', '1G']) : ''}`,
    );
  return m[1].toUpperCase() as Geometry;
}

export interface OptimizeArgs {
  /** A vmem_altmap: the memmap is allocated from the device itself. */
  readonly altmap: boolean;
  readonly vmemmapShift: number;
  readonly constants?: KernelConstants;
}

const isPow2 = (n: number): boolean => n > 0 && Number.isInteger(n) && (n & (n - 1)) === 0;

/** vmemmap_can_optimize(altmap, pgmap); a pgmap is always present here. */
export function vmemmapCanOptimize({ altmap, vmemmapShift, constants = X86_64 }: OptimizeArgs): boolean {
  if (!isPow2(constants.structPageBytes)) return false;
  const nrPages = 2 ** vmemmapShift;
  // `>> PAGE_SHIFT` in the kernel: floor.
  const nrVmemmapPages = Math.floor((nrPages * constants.structPageBytes) / derive(constants).pageSize);
  return !altmap && nrVmemmapPages > VMEMMAP_RESERVE_NR;
}

/**
 * compound_nr_pages(altmap, pgmap): struct pages memmap_init_zone_device
 * initializes per compound page. `earlySection`: the range sits in free
 * subsections of a boot section whose memmap is unoptimized, so all of it
 * must be initialized (Apr 2026 fix, hazard H11).
 */
export function compoundNrPages(args: OptimizeArgs & { readonly earlySection?: boolean }): number {
  const c = args.constants ?? X86_64;
  if (args.earlySection || !vmemmapCanOptimize(args)) return 2 ** args.vmemmapShift;
  return VMEMMAP_RESERVE_NR * derive(c).structPagesPerVmemmapPage;
}

export interface SectionArgs extends OptimizeArgs {
  /** First pfn of the piece; the piece must stay within one section. */
  readonly pfn: number;
  readonly nrPages: number;
}

/** section_nr_vmemmap_pages(pfn, nr_pages, altmap, pgmap): vmemmap data pages of one section piece. */
export function sectionNrVmemmapPages({ pfn, nrPages, altmap, vmemmapShift, constants = X86_64 }: SectionArgs): number {
  const d = derive(constants);
  if (nrPages <= 0 || nrPages > d.pagesPerSection || Math.floor(pfn / d.pagesPerSection) !== Math.floor((pfn + nrPages - 1) / d.pagesPerSection)) {
    throw new InputError('nrPages', `must be 1..${d.pagesPerSection} pfns within one section`);
  }
  if (!vmemmapCanOptimize({ altmap, vmemmapShift, constants })) {
    return Math.ceil((nrPages * constants.structPageBytes) / d.pageSize);
  }
  const pagesPerCompound = 2 ** vmemmapShift;
  if (vmemmapShift < d.pfnSectionShift) return (VMEMMAP_RESERVE_NR * nrPages) / pagesPerCompound;
  // A compound page spans several sections: only its first allocates, the rest reuse its tail page.
  return pfn % pagesPerCompound === 0 ? VMEMMAP_RESERVE_NR : 0;
}

/** vmemmap pages a compound page of this shift saves (6 for 2M, 4094 for 1G, 0 if not optimizable). */
export function savedVmemmapPagesPerCompound(args: OptimizeArgs): number {
  const c = args.constants ?? X86_64;
  if (!vmemmapCanOptimize(args)) return 0;
  return (2 ** args.vmemmapShift * c.structPageBytes) / derive(c).pageSize - VMEMMAP_RESERVE_NR;
}

export interface FootprintArgs {
  readonly sizeBytes: number;
  readonly geometry: Geometry;
  readonly altmap?: boolean;
  readonly constants?: KernelConstants;
  /** Field named in InputError for a bad size (a flag or a scenario path). */
  readonly field?: string;
}

export interface VmemmapFootprint {
  sizeBytes: number;
  geometry: Geometry;
  vmemmapShift: number;
  /** vmemmap_can_optimize: tail vmemmap pages are deduplicated. */
  optimized: boolean;
  /** The memmap is allocated from the device (altmap). */
  onDevice: boolean;
  structPages: number;
  compoundPages: number;
  /** Struct pages memmap_init_zone_device initializes (compoundPages × compound_nr_pages). */
  structPagesInitialized: number;
  /** Unique 4 KiB vmemmap pages backing struct pages. */
  dataPages: number;
  /** PTE-table pages only; counted in totalBytes. */
  pageTablePages: number;
  /** PMD-table pages (1 per GiB of vmemmap VA); NOT in totalBytes, so the published per-TiB figures stay exact. */
  pmdPages: number;
  /** (dataPages + pageTablePages) × page size. */
  totalBytes: number;
  /** Of totalBytes, the bytes that live on the device (altmap data pages); the rest is DRAM. */
  deviceBytes: number;
  /** totalBytes of the same range at 4K geometry. */
  baseBytes: number;
  savedBytes: number;
}

/**
 * The vmemmap a range needs. Base pages: full sections are PMD-mapped (x86
 * vmemmap_populate_hugepages: a 2 MiB block per section, no PTE tables); a
 * trailing partial section goes through vmemmap_populate_basepages (PTE
 * mapped, and from DRAM even with an altmap, which that path ignores).
 * Optimized: vmemmap_populate_compound_pages maps every 4 KiB of vmemmap VA
 * with a PTE, so one PTE page per 2 MiB of VA.
 */
export function vmemmapFootprint(args: FootprintArgs): VmemmapFootprint {
  if (typeof args !== 'object' || args === null) throw new InputError('vmemmapFootprint', 'takes one object { sizeBytes, geometry, altmap?, constants? }');
  const { sizeBytes, altmap = false, constants = X86_64, field = '--size' } = args;
  const geometry = parseGeometry(args.geometry, 'geometry');
  const d = derive(constants);
  const vmemmapShift = vmemmapShiftOf(geometry);
  const compoundBytes = d.pageSize * 2 ** vmemmapShift;
  const subsectionBytes = 2 ** constants.subsectionShift;
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) throw new InputError(field, `must be a positive whole number of bytes, got ${sizeBytes}`);
  const align = Math.max(compoundBytes, subsectionBytes);
  if (sizeBytes % align !== 0) {
    const why = compoundBytes > subsectionBytes ? `the ${geometry} compound page size` : 'the 2 MiB subsection size';
    throw new InputError(field, `must be a multiple of ${why} (${align} bytes), got ${sizeBytes}`);
  }

  const opt = { altmap, vmemmapShift, constants };
  const optimized = vmemmapCanOptimize(opt);
  const structPages = sizeBytes / d.pageSize;
  const compoundPages = structPages / 2 ** vmemmapShift;
  const vaBytes = structPages * constants.structPageBytes;
  const ptrsPerTable = d.pageSize / 8;
  const pteSpan = d.pageSize * ptrsPerTable; // VA one PTE page maps: 2 MiB
  const pmdSpan = pteSpan * ptrsPerTable; // VA one PMD page maps: 1 GiB

  let dataPages: number;
  let pageTablePages: number;
  let deviceDataPages = 0;
  if (optimized) {
    dataPages = compoundPages * VMEMMAP_RESERVE_NR;
    pageTablePages = Math.ceil(vaBytes / pteSpan);
  } else {
    const full = Math.floor(structPages / d.pagesPerSection);
    const rem = structPages % d.pagesPerSection;
    const fullData = full * Math.ceil((d.pagesPerSection * constants.structPageBytes) / d.pageSize);
    const remData = Math.ceil((rem * constants.structPageBytes) / d.pageSize);
    dataPages = fullData + remData;
    pageTablePages = rem > 0 ? Math.ceil((rem * constants.structPageBytes) / pteSpan) : 0;
    if (altmap) deviceDataPages = fullData;
  }
  const totalBytes = (dataPages + pageTablePages) * d.pageSize;
  const baseBytes = geometry === '4K' ? totalBytes : vmemmapFootprint({ ...args, geometry: '4K' }).totalBytes;
  return {
    sizeBytes,
    geometry,
    vmemmapShift,
    optimized,
    onDevice: altmap,
    structPages,
    compoundPages,
    structPagesInitialized: compoundPages * compoundNrPages(opt),
    dataPages,
    pageTablePages,
    pmdPages: Math.ceil(vaBytes / pmdSpan),
    totalBytes,
    deviceBytes: deviceDataPages * d.pageSize,
    baseBytes,
    savedBytes: baseBytes - totalBytes,
  };
}
