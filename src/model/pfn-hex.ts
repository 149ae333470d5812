/** A pfn as dmesg and ftrace print it: hexadecimal. Counts of pages stay decimal. */
export const pfnHex = (pfn: number): string => `0x${pfn.toString(16)}`;
