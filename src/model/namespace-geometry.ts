/**
 * The compound-page facts of one namespace, resolved from the scenario:
 * its geometry (device-dax `vmemmap_shift`), whether its memmap is
 * deduplicated (`vmemmap_can_optimize`), which of its sections are early
 * (boot) sections whose memmap already exists, and the out-of-memory fault a
 * scenario may inject into its vmemmap population. Kept apart from
 * scenario.ts so that file only calls in (kernel-facts.md §2.4, §2.6).
 */
import type { KernelConstants } from './constants.js';
import { derive } from './constants.js';
import { InputError } from './input-error.js';
import { parseGeometry, vmemmapCanOptimize, vmemmapShiftOf, type Geometry } from './vmemmap-geometry.js';

interface PfnSpan {
  readonly startPfn: number;
  readonly endPfn: number;
}

/**
 * An injected ENOMEM in vmemmap population (the scenario's `vmemmapOom`).
 * `pmd: true` may come alone or with either of the others.
 */
export type VmemmapOom =
  /** The allocation after `afterPages` vmemmap pages (data + page tables, in population order) fails. */
  | { readonly afterPages: number; readonly pmd?: true }
  /** populate_section_memmap fails on the namespace's section of this index (0 = its first section). */
  | { readonly sectionIndex: number; readonly pmd?: true }
  /**
   * Every PMD-sized (2 MiB, order-9) vmemmap block allocation fails, as on
   * fragmented memory: without an altmap the sections fall back to base
   * pages; with one the probe fails.
   */
  | { readonly pmd: true };

export interface NamespaceCompound {
  readonly geometry: Geometry;
  /** pgmap->vmemmap_shift: 0 (base pages), 9 (2 MiB) or 18 (1 GiB). */
  readonly vmemmapShift: number;
  /** pfns per compound page (1 << vmemmap_shift). */
  readonly compoundPfns: number;
  /** vmemmap_can_optimize: tail vmemmap pages are shared (no altmap, shift large enough). */
  readonly optimized: boolean;
  /**
   * Sections of the namespace that are early (boot) sections: they also hold
   * System RAM present at boot, so section_activate reuses their unoptimized
   * boot memmap instead of populating one. Derived from the DRAM layout.
   */
  readonly earlySections: readonly number[];
  readonly vmemmapOom: VmemmapOom | null;
}

/**
 * The geometry a namespace probes with. Only device-dax sets a vmemmap_shift
 * (fsdax has none), so a non-4K geometry in the file on an fsdax namespace is
 * refused, and the `--geometry` override applies to the devdax namespaces.
 */
export function namespaceGeometry(
  n: { readonly mode: 'fsdax' | 'devdax'; readonly geometry?: string },
  override: Geometry | undefined,
  field: string,
): Geometry {
  if (n.mode !== 'devdax') {
    if (n.geometry !== undefined && parseGeometry(n.geometry, `${field}.geometry`) !== '4K') {
      throw new InputError(`${field}.geometry`, 'compound pages (2M, 1G) need mode devdax; fsdax has no vmemmap_shift');
    }
    return '4K';
  }
  if (override !== undefined) return override;
  return n.geometry === undefined ? '4K' : parseGeometry(n.geometry, `${field}.geometry`);
}

/**
 * pfn_len(): the pgmap references pagemap_range takes after
 * memmap_init_zone_device (percpu_ref_get_many) and memunmap_pages drops,
 * one per compound page: (pfn_end - pfn_first) >> vmemmap_shift (mm/memremap.c
 * since "mm/memremap: add ZONE_DEVICE support for compound pages", c4386bd8ee3a,
 * v5.17). At 4K it is one per pfn. Division, not >>: pfn counts pass 2^31.
 */
export const pfnLen = (ns: { readonly dataPages: number; readonly compoundPfns: number }): number => Math.floor(ns.dataPages / ns.compoundPfns);

/** Bytes per compound page of a geometry. */
export function compoundBytesOf(geometry: Geometry, constants: KernelConstants): number {
  return derive(constants).pageSize * 2 ** vmemmapShiftOf(geometry);
}

/** Sections in [firstSection, lastSection] that also hold boot memory (early_section()). */
export function earlySectionsOf(firstSection: number, lastSection: number, bootMemory: readonly PfnSpan[], pagesPerSection: number): number[] {
  const out: number[] = [];
  // Only the end sections can share with RAM: the namespace owns everything between them.
  for (const s of firstSection === lastSection ? [firstSection] : [firstSection, lastSection]) {
    const lo = s * pagesPerSection;
    const hi = lo + pagesPerSection;
    if (bootMemory.some((r) => r.startPfn < hi && lo < r.endPfn)) out.push(s);
  }
  return out;
}

export interface CompoundArgs {
  readonly geometry: Geometry;
  readonly altmap: boolean;
  readonly firstSection: number;
  readonly lastSection: number;
  readonly bootMemory: readonly PfnSpan[];
  readonly oom: { readonly afterPages?: number; readonly sectionIndex?: number; readonly pmd?: boolean } | undefined;
  readonly constants: KernelConstants;
  readonly field: string;
}

export function resolveCompound(a: CompoundArgs): NamespaceCompound {
  const vmemmapShift = vmemmapShiftOf(a.geometry);
  const pps = derive(a.constants).pagesPerSection;
  let vmemmapOom: VmemmapOom | null = null;
  if (a.oom) {
    const { afterPages, sectionIndex, pmd } = a.oom;
    if (afterPages !== undefined && sectionIndex !== undefined) {
      throw new InputError(`${a.field}.vmemmapOom`, 'give exactly one of afterPages or sectionIndex (pmd may come with either)');
    }
    if (afterPages === undefined && sectionIndex === undefined && pmd !== true) {
      throw new InputError(`${a.field}.vmemmapOom`, 'give one of afterPages or sectionIndex, or pmd: true');
    }
    if (sectionIndex !== undefined && sectionIndex > a.lastSection - a.firstSection) {
      throw new InputError(`${a.field}.vmemmapOom.sectionIndex`, `must be below the namespace's ${a.lastSection - a.firstSection + 1} sections`);
    }
    const both = pmd === true ? { pmd: true as const } : {};
    vmemmapOom = afterPages !== undefined ? { afterPages, ...both } : sectionIndex !== undefined ? { sectionIndex, ...both } : { pmd: true };
  }
  return {
    geometry: a.geometry,
    vmemmapShift,
    compoundPfns: 2 ** vmemmapShift,
    optimized: vmemmapCanOptimize({ altmap: a.altmap, vmemmapShift, constants: a.constants }),
    earlySections: earlySectionsOf(a.firstSection, a.lastSection, a.bootMemory, pps),
    vmemmapOom,
  };
}
