import { InputError } from './input-error.js';
import type { ResolvedNode } from './scenario.js';

/**
 * Bounds on the inputs that set how much work a run does, checked before it
 * starts. Each worker or CPU is an actor and every flow start or stop replans
 * its channel over all flows, so the cost grows with the square of the
 * thread count: a thousand threads take seconds, a hundred thousand would
 * take hours.
 */
export const MAX_THREADS = 1024;
/** CPUs of one node: more than any NUMA node built (a few hundred). */
export const MAX_CPUS_PER_NODE = 1024;
/** CPUs of the whole machine: x86_64's largest NR_CPUS (CONFIG_MAXSMP). */
export const MAX_CPUS = 8192;
/** Nodes of the machine: x86_64's largest MAX_NUMNODES (NODES_SHIFT 10). */
export const MAX_NODES = 1024;

/** Refuses thread, CPU and node counts beyond what a run can simulate in bounded time. */
export function checkWorkBounds(threads: number, threadsField: string, nodes: readonly ResolvedNode[]): void {
  if (threads > MAX_THREADS) throw new InputError(threadsField, `must be at most ${MAX_THREADS} (the largest thread count memmap-sim simulates)`);
  if (nodes.length > MAX_NODES) throw new InputError('nodes', `at most ${MAX_NODES} nodes (x86_64 MAX_NUMNODES)`);
  let cpus = 0;
  nodes.forEach((n, i) => {
    if (n.cores > MAX_CPUS_PER_NODE) throw new InputError(`nodes[${i}].cores`, `must be at most ${MAX_CPUS_PER_NODE} per node`);
    if (n.cpus > MAX_CPUS_PER_NODE) {
      throw new InputError(`nodes[${i}].threadsPerCore`, `cores × threadsPerCore must be at most ${MAX_CPUS_PER_NODE} CPUs per node`);
    }
    cpus += n.cpus;
  });
  if (cpus > MAX_CPUS) throw new InputError('nodes', `at most ${MAX_CPUS} CPUs in all (x86_64 NR_CPUS), got ${cpus}`);
}
