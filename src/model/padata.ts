/**
 * padata_do_multithreaded's arithmetic (kernel/padata.c, kernel-facts.md
 * §2.3), pure. The job actor and the tests both use it.
 */
export interface PadataMtJob {
  readonly start: number;
  readonly size: number;
  readonly align: number;
  readonly minChunk: number;
  readonly maxThreads: number;
}

export const PADATA_LOAD_BALANCE_FACTOR = 4;

const roundup = (x: number, a: number) => Math.ceil(x / a) * a;

/**
 * nworks = min(max(size / max(min_chunk, align), 1), max_threads), the caller
 * counting as one; `poolFree` models padata_work_alloc_mt returning fewer
 * works when the preallocated pool (num_possible_cpus entries) runs low.
 */
export function padataNworks(job: PadataMtJob, poolFree = Infinity): number {
  if (job.size === 0) return 0;
  const wanted = Math.min(Math.max(Math.floor(job.size / Math.max(job.minChunk, job.align)), 1), job.maxThreads);
  // The caller's own work is not from the pool: nworks - 1 helpers are.
  return Math.max(1, Math.min(wanted, 1 + poolFree));
}

/** chunk = roundup(max(size / (nworks * 4), min_chunk, 1), align). */
export function padataChunk(job: PadataMtJob, nworks: number): number {
  const chunk = Math.max(Math.floor(job.size / (nworks * PADATA_LOAD_BALANCE_FACTOR)), job.minChunk, 1);
  return roundup(chunk, Math.max(job.align, 1));
}

/**
 * One grab by padata_mt_helper under ps.lock: chunk ends land on absolute
 * multiples of the chunk size, so the first grab may be short.
 */
export function padataGrab(cursor: { start: number; size: number }, chunk: number): { from: number; to: number; next: { start: number; size: number } } | null {
  if (cursor.size <= 0) return null;
  const s = cursor.start;
  const sz = Math.min(roundup(s + 1, chunk) - s, cursor.size);
  return { from: s, to: s + sz, next: { start: s + sz, size: cursor.size - sz } };
}
