import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../../model/input-error.js';

/** The largest boot log read: a full `dmesg` of a big machine is a few MiB. */
export const MAX_LOG_BYTES = 16 * 2 ** 20;

/**
 * Reads a boot log after checking, before any read, that it is a regular
 * file of at most MAX_LOG_BYTES: a FIFO or /dev/zero would block or never end.
 */
export function readLog(file: string, field = file): string {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new InputError(field, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!st.isFile()) throw new InputError(field, `${file} is not a regular file (a boot log must be a file, not a pipe or device)`);
  if (st.size > MAX_LOG_BYTES) throw new InputError(field, `${file} is ${st.size} bytes: boot logs over ${MAX_LOG_BYTES} bytes (16 MiB) are refused`);
  const fd = openSync(file, 'r');
  try {
    // The file may have grown since stat: read at most one byte past the limit to tell.
    const size = Math.min(fstatSync(fd).size, MAX_LOG_BYTES + 1);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got > MAX_LOG_BYTES) throw new InputError(field, `${file} grew past ${MAX_LOG_BYTES} bytes (16 MiB) while being read`);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
