import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../model/input-error.js';

const MiB = 2 ** 20;

/**
 * Reads a text file after checking, before any read, that it is a regular
 * file of at most `maxBytes`: a FIFO or /dev/zero would block or never end,
 * and a huge file would be parsed before any of it is checked.
 */
export function readBoundedFile(file: string, field: string, maxBytes: number, what: string): string {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new InputError(field, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!st.isFile()) throw new InputError(field, `${file} is not a regular file (${what} must be a file, not a pipe, device or folder)`);
  const limit = `${maxBytes / MiB} MiB`;
  if (st.size > maxBytes) throw new InputError(field, `${file} is ${st.size} bytes: ${what} over ${maxBytes} bytes (${limit}) is refused`);
  const fd = openSync(file, 'r');
  try {
    // The file may have grown since stat: read at most one byte past the limit to tell.
    const size = Math.min(fstatSync(fd).size, maxBytes + 1);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got > maxBytes) throw new InputError(field, `${file} grew past ${maxBytes} bytes (${limit}) while being read`);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
