import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr for long sweeps, only when stderr is a terminal
 * and the output is not JSON: a pipe, a file or `--json` gets nothing.
 */
export function progressBar(label: string, json: boolean | undefined): { update(done: number, total: number): void; stop(): void } {
  if (json || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} runs, {eta_formatted} left`, stream: process.stderr, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      // A fit does not know its runs in advance: the total grows with them.
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}
