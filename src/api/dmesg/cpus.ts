import { InputError } from '../../model/input-error.js';
import { allMatches, firstMatch, type LogLine } from './lines.js';

/** arch/x86/mm/srat.c acpi_numa_(x2apic_)processor_affinity_init: "SRAT: PXM %u -> APIC 0x%02x -> Node %u". */
const SRAT_CPU = /SRAT: PXM \d+ -> APIC (0x[0-9a-fA-F]+) -> Node (\d+)/;
/** kernel/smp.c smp_init: "smp: Brought up %d node%s, %d CPU%s" - CPUs online when deferred init runs. */
const BROUGHT_UP = /^smp: Brought up (\d+) nodes?, (\d+) CPUs?/;
/** arch/x86/kernel/smpboot.c prefill_possible_map: "smpboot: Allowing %d CPUs, %d hotplug CPUs". */
const ALLOWING = /^(?:smpboot: |SMP: )?Allowing (\d+) CPUs?, (\d+) hotplug/;
/** kernel/params.c / init/main.c: the command line as the kernel got it. */
const CMDLINE = /^(?:Kernel )?[Cc]ommand line: (.*)$/;
/** arch/x86/kernel/cpu/topology_common.c (6.9+): "CPU topo: Max. threads per core: %3u". */
const THREADS_PER_CORE = /Max\. threads per core:\s*(\d+)/;

export interface CpuFacts {
  /** CPUs online on each node when deferred init ran (a node may have none). */
  readonly perNode: ReadonlyMap<number, number>;
  readonly total: number;
  /** SMT threads per core, when the log says. */
  readonly threadsPerCore: number | null;
  /** Which lines gave the counts. */
  readonly source: string;
}

/** nr_cpus= / maxcpus= of the kernel command line, when given. */
function cmdlineLimit(lines: readonly LogLine[]): { n: number; what: string } | null {
  const cmd = firstMatch(lines, CMDLINE);
  if (!cmd) return null;
  const m = /(?:^|\s)(nr_cpus|maxcpus)=(\d+)/.exec(cmd.m[1]);
  return m ? { n: Number(m[2]), what: `${m[1]}=${m[2]} (line ${cmd.line.no})` } : null;
}

function onlineTotal(lines: readonly LogLine[], sratCpus: number): { n: number; what: string } | null {
  const up = firstMatch(lines, BROUGHT_UP);
  if (up) return { n: Number(up.m[2]), what: `"${up.m[0]}" (line ${up.line.no})` };
  const limit = cmdlineLimit(lines);
  const allow = firstMatch(lines, ALLOWING);
  if (allow) {
    const n = Math.min(Number(allow.m[1]), limit?.n ?? Infinity);
    return { n, what: `"${allow.m[0].replace(/ hotplug$/, '')}" (line ${allow.line.no})${limit && limit.n < Number(allow.m[1]) ? ` and ${limit.what}` : ''}` };
  }
  if (limit) return limit;
  return sratCpus ? { n: sratCpus, what: 'the SRAT CPU lines' } : null;
}

/**
 * CPUs per node. With SRAT CPU lines, the first `total` of them in log order
 * (the order the kernel numbers CPUs; nr_cpus keeps the first ones) are
 * counted on their nodes; without, a single node gets them all.
 */
export function cpuFacts(lines: readonly LogLine[], nodes: readonly number[], file: string): CpuFacts {
  const srat = allMatches(lines, SRAT_CPU);
  const total = onlineTotal(lines, srat.length);
  if (!total || total.n < 1) {
    throw new InputError(
      file,
      'no CPU count: needs "smp: Brought up N nodes, M CPUs", "smpboot: Allowing N CPUs", nr_cpus= on the command line, or "SRAT: PXM p -> APIC 0x.. -> Node n" lines',
    );
  }
  const tpc = firstMatch(lines, THREADS_PER_CORE);
  const threadsPerCore = tpc ? Number(tpc.m[1]) : null;
  const perNode = new Map<number, number>(nodes.map((n) => [n, 0]));
  if (srat.length) {
    for (const { m } of srat.slice(0, total.n)) perNode.set(Number(m[2]), (perNode.get(Number(m[2])) ?? 0) + 1);
    return {
      perNode,
      total: total.n,
      threadsPerCore,
      source: `${total.what}, placed by the first ${Math.min(total.n, srat.length)} of ${srat.length} "SRAT: PXM -> APIC -> Node" lines`,
    };
  }
  if (nodes.length > 1) {
    throw new InputError(file, `${nodes.length} nodes but no "SRAT: PXM p -> APIC 0x.. -> Node n" lines to place the CPUs on them`);
  }
  perNode.set(nodes[0] ?? 0, total.n);
  return { perNode, total: total.n, threadsPerCore, source: `${total.what}, all on the one node` };
}
