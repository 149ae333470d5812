import type { AnyActorRef } from 'xstate';

/**
 * The kernel step of a NUMA node's CPU pool. CPU i is thread
 * floor(i / cores) of core i % cores (Linux numbers the first SMT sibling of
 * every core before the second ones). A thread gets a CPU whose whole core
 * is idle when there is one, else a sibling of a busy core; both siblings of
 * a busy core then run at the profile's smtFactor, and the node tells the
 * sibling's holder its new speed. Requests beyond the node's CPUs wait in
 * FIFO order.
 */
export interface CpuRequest {
  readonly id: string;
  readonly ref: AnyActorRef;
}

/** A request placed on a CPU: which core, and which SMT thread of it. */
export interface CpuHolder extends CpuRequest {
  readonly core: number;
  readonly thread: number;
}

export interface CpuPool {
  readonly nodeId: number;
  readonly cores: number;
  /** Speed of each of a core's threads while more than one of them is busy. */
  readonly smtFactor: number;
  /** cpu -> its holder */
  readonly cpus: readonly (CpuHolder | null)[];
  readonly waiting: readonly CpuRequest[];
}

export type CpuMessage =
  | { readonly type: 'CPU_GRANTED'; readonly cpu: number; readonly core: number; readonly node: number; readonly speed: number }
  | { readonly type: 'SPEED'; readonly speed: number };

export interface PoolStep {
  readonly state: Pick<CpuPool, 'cpus' | 'waiting'>;
  readonly send: readonly { readonly to: AnyActorRef; readonly event: CpuMessage }[];
}

const busyOnCore = (cpus: CpuPool['cpus'], cores: number, core: number) => {
  let n = 0;
  for (let c = core; c < cpus.length; c += cores) if (cpus[c]) n++;
  return n;
};

const speedOn = (pool: CpuPool, cpus: CpuPool['cpus'], core: number) => (busyOnCore(cpus, pool.cores, core) > 1 ? pool.smtFactor : 1);

/** SPEED to the holders of `cpu`'s siblings, at the speed its core now runs. */
function siblingSpeeds(pool: CpuPool, cpus: CpuPool['cpus'], cpu: number): PoolStep['send'] {
  const core = cpu % pool.cores;
  const speed = speedOn(pool, cpus, core);
  const send: { to: AnyActorRef; event: CpuMessage }[] = [];
  for (let c = core; c < cpus.length; c += pool.cores) {
    const holder = cpus[c];
    if (c !== cpu && holder) send.push({ to: holder.ref, event: { type: 'SPEED', speed } });
  }
  return send;
}

/** The CPU a new thread goes to: the first whose whole core is idle, else the first idle one; -1 when all are busy. */
export function pickCpu(pool: Pick<CpuPool, 'cpus' | 'cores'>): number {
  const { cpus, cores } = pool;
  for (let c = 0; c < cpus.length; c++) if (!cpus[c] && busyOnCore(cpus, cores, c % cores) === 0) return c;
  return cpus.findIndex((h) => h === null);
}

/** Places `request` on the CPU pickCpu chooses: CPU_GRANTED to it, SPEED to its siblings' holders; null when every CPU is busy. */
export function placeOnCpu(pool: CpuPool, request: CpuRequest): PoolStep | null {
  const cpu = pickCpu(pool);
  if (cpu < 0) return null;
  const core = cpu % pool.cores;
  const cpus = [...pool.cpus];
  cpus[cpu] = { id: request.id, ref: request.ref, core, thread: Math.floor(cpu / pool.cores) };
  const granted: CpuMessage = { type: 'CPU_GRANTED', cpu, core, node: pool.nodeId, speed: speedOn(pool, cpus, core) };
  return { state: { cpus, waiting: pool.waiting }, send: [{ to: request.ref, event: granted }, ...siblingSpeeds(pool, cpus, cpu)] };
}

/** Grants waiting requests, oldest first, while a CPU is idle. */
export function grantFromQueue(pool: CpuPool): PoolStep {
  let state: CpuPool = pool;
  const send: PoolStep['send'][number][] = [];
  while (state.waiting.length > 0) {
    const placed = placeOnCpu({ ...state, waiting: state.waiting.slice(1) }, state.waiting[0]);
    if (!placed) break;
    state = { ...state, ...placed.state };
    send.push(...placed.send);
  }
  return { state: { cpus: state.cpus, waiting: state.waiting }, send };
}

/** A thread asks for a CPU: it queues behind earlier requests, and gets one if a CPU is idle. */
export function requestCpu(pool: CpuPool, request: CpuRequest): PoolStep {
  return grantFromQueue({ ...pool, waiting: [...pool.waiting, request] });
}

/** A thread gives its CPU back: its siblings' holders speed up, and the oldest waiter may take it. */
export function releaseCpu(pool: CpuPool, id: string): PoolStep {
  const cpu = pool.cpus.findIndex((h) => h?.id === id);
  if (cpu < 0) return grantFromQueue(pool);
  const cpus = [...pool.cpus];
  cpus[cpu] = null;
  const released = siblingSpeeds(pool, cpus, cpu);
  const granted = grantFromQueue({ ...pool, cpus });
  return { state: granted.state, send: [...released, ...granted.send] };
}

/** What the pool offers the next request: a whole idle core, only an SMT sibling of a busy core, or a place in the queue. */
export type PoolLoad = 'hasIdleCores' | 'siblingsOnly' | 'allCpusBusy';

export function poolLoad(pool: Pick<CpuPool, 'cpus' | 'cores'>): PoolLoad {
  const cpu = pickCpu(pool);
  if (cpu < 0) return 'allCpusBusy';
  return busyOnCore(pool.cpus, pool.cores, cpu % pool.cores) === 0 ? 'hasIdleCores' : 'siblingsOnly';
}
