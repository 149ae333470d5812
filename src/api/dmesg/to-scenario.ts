import { basename, extname } from 'node:path';
import { X86_64 } from '../../model/constants.js';
import { formatSize } from '../../model/sizes.js';
import type { BootLog } from './boot-log.js';
import { bytesIn, hex, merge, overlap, PAGE, type ByteRange } from './ranges.js';

/** CONFIG_PHYSICAL_START: where x86_64 loads the kernel image, the bulk of what boot reserves. */
const KERNEL_START = 16 * 2 ** 20;

export interface DmesgScenario {
  readonly name: string;
  readonly description: string;
  readonly strategy: string;
  readonly boot: Record<string, never>;
  readonly nodes: { id: number; cores: number; threadsPerCore: number; dram: { start: string; size: string }[]; reserved: { start: string; size: string }[] }[];
  readonly namespaces: [];
}

const json = (r: ByteRange) => ({ start: hex(r.start), size: formatSize(r.end - r.start) });

/** Strategy by kernel version: padata since 5.8, one pgdatinit thread per node before. */
function strategyOf(kernel: string | null, notes: string[]): string {
  const v = kernel ? /^(\d+)\.(\d+)/.exec(kernel) : null;
  if (!v) {
    notes.push('no "Linux version" line: strategy padata (mainline since 5.8)');
    return 'padata';
  }
  return Number(v[1]) * 1000 + Number(v[2]) >= 5008 ? 'padata' : 'deferred-serial';
}

/** The memmap memmap-sim reserves itself at each node's top (sparse_init_nid): not to be reserved twice. */
const memmapBytes = (log: BootLog) =>
  [...log.memory.nodes.values()].reduce((a, rs) => a + Math.ceil(((bytesIn(rs) / PAGE) * X86_64.structPageBytes) / PAGE) * PAGE, 0);

/**
 * Reserved ranges per node: firmware ranges and NODE_DATA inside node RAM as
 * the log shows them, and the rest of the `Memory: ...K reserved` total as one
 * range at the kernel image's load address.
 */
function reservedRanges(log: BootLog, notes: string[]): Map<number, ByteRange[]> {
  const out = new Map<number, ByteRange[]>([...log.memory.nodes.keys()].map((n) => [n, []]));
  const inNode = (node: number, r: ByteRange) => {
    for (const d of log.memory.nodes.get(node) ?? []) {
      const o = overlap(d, r);
      if (o) out.get(node)!.push(o);
    }
  };
  for (const e of log.e820.filter((x) => x.type !== 'usable')) for (const n of out.keys()) inNode(n, e.range);
  for (const nd of log.nodeData) if (out.has(nd.node)) inNode(nd.node, nd.range);
  const m = log.memoryLine;
  if (!m) {
    notes.push('no "Memory: ...K reserved" line: only the node memmap is reserved');
    return out;
  }
  const rest = m.reservedBytes - memmapBytes(log) - bytesIn(log.nodeData.map((n) => n.range));
  if (rest < PAGE) return out;
  const home = [...log.memory.nodes].flatMap(([node, rs]) => rs.map((r) => ({ node, r }))).find(({ r }) => r.start <= KERNEL_START && KERNEL_START < r.end);
  if (!home) {
    notes.push(`no RAM at the kernel's load address 16M: the ${formatSize(rest)} of "Memory: ...K reserved" beyond the memmap is left out`);
    return out;
  }
  const end = Math.min(home.r.end, KERNEL_START + Math.floor(rest / PAGE) * PAGE);
  out.get(home.node)!.push({ start: KERNEL_START, end });
  notes.push(
    `reserved: "Memory: ${m.reservedBytes / 1024}K reserved" (line ${m.line.no}) less the memmap (reserved by memmap-sim itself) and NODE_DATA, as one range at 16M on node ${home.node}` +
      (end - KERNEL_START < rest ? ` cut to ${formatSize(end - KERNEL_START)} to fit` : ''),
  );
  return out;
}

/** A boot scenario of the machine the log booted on, with every default stated in its description. */
export function scenarioFromLog(log: BootLog): DmesgScenario {
  const notes: string[] = [];
  const strategy = strategyOf(log.kernel, notes);
  const tpc = log.cpus.threadsPerCore ?? 1;
  if (log.cpus.threadsPerCore === null) notes.push('threadsPerCore 1: the log does not say how many SMT threads a core has');
  const reserved = reservedRanges(log, notes);
  const nodes = [...log.memory.nodes].map(([id, dram]) => {
    const cpus = log.cpus.perNode.get(id) ?? 0;
    if (cpus === 0) notes.push(`node ${id} has no CPUs online: given 1 (deferred init runs it with max_threads 1)`);
    const whole = cpus % tpc === 0 && cpus > 0;
    return {
      id,
      cores: Math.max(1, whole ? cpus / tpc : cpus),
      threadsPerCore: whole ? tpc : 1,
      dram: dram.map(json),
      reserved: merge(reserved.get(id) ?? []).map(json),
    };
  });
  const cpuOnly = [...log.cpus.perNode].filter(([n, c]) => c > 0 && !log.memory.nodes.has(n)).map(([n]) => n);
  if (cpuOnly.length) notes.push(`node(s) ${cpuOnly.join(', ')} have CPUs but no memory: left out (deferred init works per memory node)`);
  const name = basename(log.file, extname(log.file));
  const description =
    `From the boot log ${basename(log.file)}${log.kernel ? ` (Linux ${log.kernel})` : ''} by memmap-sim scenario from-dmesg. ` +
    `Memory: ${log.memory.source}. CPUs: ${log.cpus.source}. ` +
    [...log.memory.notes, ...notes].map((n) => `${n[0].toUpperCase()}${n.slice(1)}.`).join(' ');
  return { name, description: description.trim(), strategy, boot: {}, nodes, namespaces: [] };
}
