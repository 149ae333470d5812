/**
 * x86_64 memory-model constants (4-level paging, default config).
 * Sources: kernel-facts.md §1 (arch/x86/include/asm/sparsemem.h,
 * include/linux/mmzone.h, include/linux/pageblock-flags.h, include/linux/mm.h).
 * A scenario may override any of the shifts; everything else derives from them.
 */
export interface KernelConstants {
  /** PAGE_SHIFT: 4 KiB base pages. */
  readonly pageShift: number;
  /** sizeof(struct page) in bytes; 64 on x86_64 (56..96 possible, 96 with KMSAN). */
  readonly structPageBytes: number;
  /** SECTION_SIZE_BITS: 27, a 128 MiB sparsemem section. */
  readonly sectionSizeBits: number;
  /** SUBSECTION_SHIFT: 21, 2 MiB hotplug granularity. */
  readonly subsectionShift: number;
  /** pageblock_order: 9, 2 MiB pageblocks. */
  readonly pageblockOrder: number;
  /** MAX_PAGE_ORDER (inclusive, v6.4+ meaning): 10, so 1024-page max-order blocks. */
  readonly maxPageOrder: number;
  /** NR_PAGEBLOCK_BITS: 4 bits of usemap per pageblock. */
  readonly pageblockBits: number;
}

export const X86_64: KernelConstants = Object.freeze({
  pageShift: 12,
  structPageBytes: 64,
  sectionSizeBits: 27,
  subsectionShift: 21,
  pageblockOrder: 9,
  maxPageOrder: 10,
  pageblockBits: 4,
});

/** Values derived from the constants, computed once per scenario. */
export interface Derived {
  readonly pageSize: number;
  readonly pfnSectionShift: number;
  readonly pagesPerSection: number;
  readonly pagesPerSubsection: number;
  readonly pageblockNrPages: number;
  readonly maxOrderNrPages: number;
  /** Struct pages that fit in one 4 KiB vmemmap page (64). */
  readonly structPagesPerVmemmapPage: number;
  /** Bytes of memmap per section (2 MiB: one PMD mapping). */
  readonly memmapBytesPerSection: number;
  /** Pageblocks sharing one 64-bit usemap word (16). */
  readonly pageblocksPerUsemapWord: number;
}

export function derive(c: KernelConstants): Derived {
  const pageSize = 2 ** c.pageShift;
  const pfnSectionShift = c.sectionSizeBits - c.pageShift;
  const pagesPerSection = 2 ** pfnSectionShift;
  return {
    pageSize,
    pfnSectionShift,
    pagesPerSection,
    pagesPerSubsection: 2 ** (c.subsectionShift - c.pageShift),
    pageblockNrPages: 2 ** c.pageblockOrder,
    maxOrderNrPages: 2 ** c.maxPageOrder,
    structPagesPerVmemmapPage: Math.floor(pageSize / c.structPageBytes),
    memmapBytesPerSection: pagesPerSection * c.structPageBytes,
    pageblocksPerUsemapWord: Math.floor(64 / c.pageblockBits),
  };
}
