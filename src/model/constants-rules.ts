import type { KernelConstants } from './constants.js';
import { InputError } from './input-error.js';

/**
 * MAX_PHYSMEM_BITS on x86_64 with 5-level paging (arch/x86/include/asm/sparsemem.h:
 * `pgtable_l5_enabled ? 52 : 46`): no physical address of a machine reaches 2^52 (4 PiB).
 */
export const MAX_PHYSMEM_BITS = 52;

/** The largest physical address a range may end at (exclusive): 2^MAX_PHYSMEM_BITS. */
export const MAX_PHYS_ADDR = 2 ** MAX_PHYSMEM_BITS;

/**
 * The relations the kernel itself enforces between its memory-model constants
 * at build time, so a scenario cannot describe a kernel that cannot exist.
 */
export function checkConstants(c: KernelConstants): void {
  // include/linux/mmzone.h: "#error Allocator MAX_PAGE_ORDER exceeds SECTION_SIZE".
  if (c.maxPageOrder + c.pageShift > c.sectionSizeBits) {
    throw new InputError(
      'constants.maxPageOrder',
      `maxPageOrder + pageShift must not exceed sectionSizeBits (a max-order block fits in a section): ${c.maxPageOrder} + ${c.pageShift} > ${c.sectionSizeBits}`,
    );
  }
  // include/linux/mmzone.h: "#error MAX_PAGE_ORDER must be >= PAGE_BLOCK_ORDER".
  if (c.pageblockOrder > c.maxPageOrder) {
    throw new InputError(
      'constants.pageblockOrder',
      `must not exceed maxPageOrder (a pageblock fits in a max-order block): ${c.pageblockOrder} > ${c.maxPageOrder}`,
    );
  }
  // include/linux/mmzone.h: "#error Subsection size exceeds section size".
  if (c.subsectionShift > c.sectionSizeBits) {
    throw new InputError(
      'constants.subsectionShift',
      `must not exceed sectionSizeBits (a subsection fits in a section): ${c.subsectionShift} > ${c.sectionSizeBits}`,
    );
  }
  if (c.subsectionShift < c.pageShift) {
    throw new InputError('constants.subsectionShift', `must be at least pageShift (a subsection is whole pages): ${c.subsectionShift} < ${c.pageShift}`);
  }
}

/** Refuses a range of a scenario that ends past the physical address space. */
export function checkPhysEnd(endBytes: number, field: string): void {
  if (endBytes > MAX_PHYS_ADDR) {
    throw new InputError(field, `ends at ${endBytes} bytes, past the ${MAX_PHYSMEM_BITS}-bit physical address space (MAX_PHYSMEM_BITS: 4 PiB)`);
  }
}
