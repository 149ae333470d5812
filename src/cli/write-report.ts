import { writeFileSync } from 'node:fs';
import { InputError } from '../model/input-error.js';

/** Writes an HTML report; a path that cannot be written is the flag's error, not a stack trace. */
export function writeReport(file: string, html: string, flag = '--report'): void {
  try {
    writeFileSync(file, html);
  } catch (e) {
    throw new InputError(flag, `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}
