import { InputError } from './input-error.js';

const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  K: 2 ** 10,
  M: 2 ** 20,
  G: 2 ** 30,
  T: 2 ** 40,
  P: 2 ** 50,
};

/**
 * Parses a byte size as people write them for memory: `128G`, `3T`, `2M`,
 * `512MiB`, `0x200000`, or a plain number of bytes. Binary units (K = 1024),
 * as the kernel and ndctl use them.
 */
export function parseSize(value: unknown, field = 'size'): number {
  const bytes = parseSigned(value, field);
  if (bytes < 0) throw new InputError(field, `must not be negative, got ${JSON.stringify(value)}`);
  return bytes;
}

function parseSigned(value: unknown, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new InputError(field, `must be a whole number of bytes, got ${value}`);
    return value;
  }
  if (typeof value !== 'string') throw new InputError(field, 'must be a size such as 128G, 3T, 0x200000 or a number of bytes');
  const text = value.trim();
  if (/^-?0x[0-9a-f]+$/i.test(text)) {
    const n = Number.parseInt(text, 16);
    if (!Number.isSafeInteger(n)) throw new InputError(field, `size ${text} is too large`);
    return n;
  }
  const m = /^(-?\d+(?:\.\d+)?)\s*([KMGTP]?)(?:i?B)?$/i.exec(text);
  if (!m) throw new InputError(field, `"${value}" is not a size (use e.g. 128G, 3T, 2M, 0x200000)`);
  const bytes = Number(m[1]) * UNITS[m[2].toUpperCase()];
  if (!Number.isSafeInteger(bytes)) throw new InputError(field, `"${value}" is not a whole number of bytes`);
  return bytes;
}

/** Formats bytes with the largest binary unit that divides them exactly. */
export function formatSize(bytes: number): string {
  for (const unit of ['P', 'T', 'G', 'M', 'K'] as const) {
    const u = UNITS[unit];
    if (bytes >= u && bytes % u === 0) return `${bytes / u}${unit}`;
  }
  return `${bytes}B`;
}
