import { readBoundedFile } from '../read-bounded.js';

/** The largest boot log read: a full `dmesg` of a big machine is a few MiB. */
export const MAX_LOG_BYTES = 16 * 2 ** 20;

/** Reads a boot log: a regular file of at most MAX_LOG_BYTES, checked before any read. */
export function readLog(file: string, field = file): string {
  return readBoundedFile(file, field, MAX_LOG_BYTES, 'a boot log');
}
