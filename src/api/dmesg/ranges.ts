import { InputError } from '../../model/input-error.js';

/** A physical byte range [start, end). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export const PAGE = 4096;

/** `0x1000-0x9efff` as the kernel prints it (end inclusive) to [start, end). */
export function hexRange(startHex: string, endHex: string, field: string): ByteRange {
  const start = Number.parseInt(startHex, 16);
  const last = Number.parseInt(endHex, 16);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(last + 1)) throw new InputError(field, `address 0x${endHex} is beyond 2^53 bytes`);
  if (last < start) throw new InputError(field, `range 0x${startHex}-0x${endHex} runs backwards`);
  return { start, end: last + 1 };
}

/** Whole pages inside the range, as memblock keeps usable memory. */
export function pagesInside(r: ByteRange): ByteRange | null {
  const start = Math.ceil(r.start / PAGE) * PAGE;
  const end = Math.floor(r.end / PAGE) * PAGE;
  return start < end ? { start, end } : null;
}

/** Every page the range touches, as a reservation covers them. */
export function pagesTouched(r: ByteRange): ByteRange {
  return { start: Math.floor(r.start / PAGE) * PAGE, end: Math.ceil(r.end / PAGE) * PAGE };
}

export function overlap(a: ByteRange, b: ByteRange): ByteRange | null {
  const start = Math.max(a.start, b.start);
  const end = Math.min(a.end, b.end);
  return start < end ? { start, end } : null;
}

/** Sorted, with touching or overlapping ranges merged. */
export function merge(ranges: readonly ByteRange[]): ByteRange[] {
  const out: ByteRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && r.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else out.push(r);
  }
  return out;
}

export const bytesIn = (ranges: readonly ByteRange[]) => ranges.reduce((a, r) => a + r.end - r.start, 0);

export const sameRanges = (a: readonly ByteRange[], b: readonly ByteRange[]) =>
  a.length === b.length && a.every((r, i) => r.start === b[i].start && r.end === b[i].end);

export const hex = (n: number) => `0x${n.toString(16)}`;
