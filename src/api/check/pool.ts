import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { runBatch, type BatchTask, type RunSummary } from './batch.js';

/** Runs batches: inline in this thread, or on worker threads. */
export interface Executor {
  run(tasks: readonly BatchTask[]): Promise<RunSummary[]>;
  close(): Promise<void>;
}

export const inlineExecutor: Executor = {
  run: async (tasks) => tasks.flatMap(runBatch),
  close: async () => {},
};

/**
 * The worker module: the compiled one beside this file or, when this runs
 * from the TypeScript sources (the tests), a shim that loads them through tsx.
 */
function workerModule(): { filename: string } {
  const built = fileURLToPath(new URL('./worker.js', import.meta.url));
  return { filename: existsSync(built) ? built : fileURLToPath(new URL('./worker-source.mjs', import.meta.url)) };
}

/** A tinypool of `workers` threads; results come back in task order. */
export function poolExecutor(workers: number): Executor {
  const pool = new Tinypool({ ...workerModule(), minThreads: workers, maxThreads: workers, isolateWorkers: false });
  return {
    async run(tasks) {
      const results = await Promise.all(tasks.map((t) => pool.run(t) as Promise<RunSummary[]>));
      return results.flat();
    },
    close: () => pool.destroy(),
  };
}
