import { InputError } from '../../model/input-error.js';
import { allMatches, type LogLine } from './lines.js';

/** mm/mm_init.c (mm/page_alloc.c before 6.4) deferred_init_memmap: "node %d deferred pages initialised in %ums". */
const DEFERRED = /node (\d+) deferred pages initiali[sz]ed in (\d+)ms/;

export interface DeferredTime {
  readonly node: number;
  readonly ms: number;
  readonly line: number;
}

/** Each node's deferred struct page init time; a node twice means two boots in one file. */
export function deferredTimes(lines: readonly LogLine[], file: string): DeferredTime[] {
  const out: DeferredTime[] = [];
  for (const { line, m } of allMatches(lines, DEFERRED)) {
    const node = Number(m[1]);
    const dup = out.find((d) => d.node === node);
    if (dup) throw new InputError(`${file}:${line.no}`, `node ${node} deferred init printed twice (also line ${dup.line}): give one boot per file`);
    out.push({ node, ms: Number(m[2]), line: line.no });
  }
  return out;
}

/** The refusal for a log without the line calibration needs. */
export function noDeferredLine(file: string): InputError {
  return new InputError(
    file,
    'no "node N deferred pages initialised in Xms" line (printed by a kernel with CONFIG_DEFERRED_STRUCT_PAGE_INIT once deferred init ends; boot with loglevel=6 or higher and capture the log past that point)',
  );
}
