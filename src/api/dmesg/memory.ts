import { InputError } from '../../model/input-error.js';
import { allMatches, firstMatch, type LogLine } from './lines.js';
import { hexRange, merge, overlap, pagesInside, pagesTouched, type ByteRange } from './ranges.js';

const MEM = String.raw`\[mem (?:0x)?([0-9a-fA-F]+)-(?:0x)?([0-9a-fA-F]+)\]`;
/** mm/mm_init.c (mm/page_alloc.c before 6.4) free_area_init: "  node %3d: [mem %#018Lx-%#018Lx]". */
const EARLY_NODE = new RegExp(String.raw`^\s*node\s+(\d+): ${MEM}`);
/** drivers/acpi/numa/srat.c acpi_numa_memory_affinity_init: "ACPI: SRAT: Node %u PXM %u [mem ...]%s%s". */
const SRAT_MEM = new RegExp(String.raw`SRAT: Node (\d+) PXM \d+ ${MEM}( hotplug)?`);
/** arch/x86/mm/numa.c numa_cleanup_meminfo: "NUMA: Node %d [mem ...] + [mem ...] -> [mem ...]". */
const NUMA_MERGE = new RegExp(String.raw`NUMA: Node (\d+) ${MEM} \+ ${MEM} -> ${MEM}`);
/** arch/x86/mm/numa.c dummy_numa_init: "Faking a node at [mem ...]". */
const FAKE = new RegExp(String.raw`Faking a node at ${MEM}`);
/** arch/x86/kernel/e820.c e820__print_table: "BIOS-e820: [mem ...] usable". */
const E820 = new RegExp(String.raw`^BIOS-e820: ${MEM} (.+?)\s*$`);
/** arch/x86/mm/numa.c alloc_node_data: "NODE_DATA(%d) allocated [mem ...]". */
const NODE_DATA = new RegExp(String.raw`NODE_DATA\((\d+)\) allocated ${MEM}`);
/** mm/mm_init.c (mm/page_alloc.c before 6.4) mem_init_print_info. */
const MEMORY = /^Memory: (\d+)K\/(\d+)K available .*?(\d+)K reserved/;

export interface NodeMemoryFacts {
  /** System RAM of each node, page aligned, sorted. */
  readonly nodes: ReadonlyMap<number, readonly ByteRange[]>;
  /** Which lines gave them. */
  readonly source: string;
  readonly notes: readonly string[];
}

const at = (l: LogLine) => `line ${l.no}`;

/** Node memory: `Early memory node ranges` if present, else SRAT / NUMA / fake-node spans cut to e820 usable RAM. */
export function nodeMemory(lines: readonly LogLine[], file: string): NodeMemoryFacts {
  const early = allMatches(lines, EARLY_NODE);
  if (early.length) {
    const nodes = group(early.map(({ line, m }) => ({ node: Number(m[1]), range: hexRange(m[2], m[3], `${file}:${line.no}`) })));
    return { nodes, source: `"Early memory node ranges" (${at(early[0].line)}-${early.at(-1)!.line.no})`, notes: [] };
  }
  const usable = e820Table(lines, file)
    .filter((e) => e.type === 'usable')
    .map((e) => e.range);
  const spans = nodeSpans(lines, file);
  if (!spans) {
    throw new InputError(
      file,
      'no node memory: needs the "Early memory node ranges" lines ("  node   0: [mem 0x...-0x...]"), or "SRAT: Node N PXM P [mem ...]", "NUMA: Node N ... -> [mem ...]" or "Faking a node at [mem ...]"',
    );
  }
  if (!usable.length) {
    return { nodes: spans.nodes, source: spans.source, notes: ['no BIOS-e820 usable lines: node spans taken as RAM, holes included'] };
  }
  const nodes = new Map<number, ByteRange[]>();
  for (const [node, ranges] of spans.nodes) {
    const ram = ranges.flatMap((s) => usable.map((u) => overlap(s, u))).filter((r): r is ByteRange => r !== null);
    nodes.set(node, merge(ram.map(pagesInside).filter((r): r is ByteRange => r !== null)));
  }
  return { nodes, source: `${spans.source} cut to BIOS-e820 usable RAM`, notes: [] };
}

function nodeSpans(lines: readonly LogLine[], file: string): { nodes: Map<number, ByteRange[]>; source: string } | null {
  const srat = allMatches(lines, SRAT_MEM).filter(({ m }) => !m[4]);
  if (srat.length)
    return {
      nodes: group(srat.map(({ line, m }) => ({ node: Number(m[1]), range: hexRange(m[2], m[3], `${file}:${line.no}`) }))),
      source: `"SRAT: Node" lines (${at(srat[0].line)})`,
    };
  const numa = allMatches(lines, NUMA_MERGE);
  if (numa.length)
    return {
      nodes: group(numa.map(({ line, m }) => ({ node: Number(m[1]), range: hexRange(m[6], m[7], `${file}:${line.no}`) }))),
      source: `"NUMA: Node" lines (${at(numa[0].line)})`,
    };
  const fake = firstMatch(lines, FAKE);
  if (fake)
    return { nodes: group([{ node: 0, range: hexRange(fake.m[1], fake.m[2], `${file}:${fake.line.no}`) }]), source: `"Faking a node" (${at(fake.line)})` };
  return null;
}

function group(entries: readonly { node: number; range: ByteRange }[]): Map<number, ByteRange[]> {
  const out = new Map<number, ByteRange[]>();
  for (const e of entries) {
    const r = pagesInside(e.range);
    if (r) out.set(e.node, [...(out.get(e.node) ?? []), r]);
  }
  for (const [n, rs] of out) out.set(n, merge(rs));
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

export interface E820Entry {
  readonly range: ByteRange;
  readonly type: string;
  readonly line: LogLine;
}

export function e820Table(lines: readonly LogLine[], file: string): E820Entry[] {
  return allMatches(lines, E820).map(({ line, m }) => ({ range: hexRange(m[1], m[2], `${file}:${line.no}`), type: m[3], line }));
}

/** NODE_DATA(n) allocations: memblock-reserved pages inside node memory the log names. */
export function nodeDataRanges(lines: readonly LogLine[], file: string): { node: number; range: ByteRange }[] {
  return allMatches(lines, NODE_DATA).map(({ line, m }) => ({ node: Number(m[1]), range: pagesTouched(hexRange(m[2], m[3], `${file}:${line.no}`)) }));
}

/** The `Memory: ...K/...K available (... NK reserved ...)` line. */
export function memoryLine(lines: readonly LogLine[]): { reservedBytes: number; totalBytes: number; line: LogLine } | null {
  const hit = firstMatch(lines, MEMORY);
  return hit ? { totalBytes: Number(hit.m[2]) * 1024, reservedBytes: Number(hit.m[3]) * 1024, line: hit.line } : null;
}
