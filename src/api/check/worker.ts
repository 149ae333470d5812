/** A pool worker of `memmap-sim check --workers N`: runs one batch and returns its summaries. */
import { runBatch, type BatchTask, type RunSummary } from './batch.js';

export default function (task: BatchTask): RunSummary[] {
  return runBatch(task);
}
