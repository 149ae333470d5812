import { InputError } from '../../model/input-error.js';
import { cpuFacts, type CpuFacts } from './cpus.js';
import { deferredTimes, type DeferredTime } from './deferred.js';
import { allMatches, firstMatch, logLines, type LogLine } from './lines.js';
import { e820Table, memoryLine, nodeDataRanges, nodeMemory, type E820Entry, type NodeMemoryFacts } from './memory.js';
import type { ByteRange } from './ranges.js';

/** init/version.c linux_banner: "Linux version %s (...)". */
const BANNER = /^Linux version (\S+)/;

/** What memmap-sim reads from one boot's kernel log. */
export interface BootLog {
  readonly file: string;
  readonly kernel: string | null;
  readonly memory: NodeMemoryFacts;
  readonly cpus: CpuFacts;
  readonly e820: readonly E820Entry[];
  readonly nodeData: readonly { node: number; range: ByteRange }[];
  readonly memoryLine: { reservedBytes: number; totalBytes: number; line: LogLine } | null;
  readonly deferred: readonly DeferredTime[];
}

/** Parses one boot's log; `file` names it in errors. */
export function parseBootLog(text: string, file: string): BootLog {
  const lines = logLines(text);
  const banners = allMatches(lines, BANNER);
  if (banners.length > 1) {
    throw new InputError(file, `holds ${banners.length} boots ("Linux version" at lines ${banners.map((b) => b.line.no).join(', ')}): give one boot per file`);
  }
  const memory = nodeMemory(lines, file);
  return {
    file,
    kernel: firstMatch(lines, BANNER)?.m[1] ?? null,
    memory,
    cpus: cpuFacts(lines, [...memory.nodes.keys()], file),
    e820: e820Table(lines, file),
    nodeData: nodeDataRanges(lines, file),
    memoryLine: memoryLine(lines),
    deferred: deferredTimes(lines, file),
  };
}
