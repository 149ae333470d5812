/** Milliseconds as people read them: 0.125 ms, 143.3 ms, 1.25 s, 2 min 20 s (tables and reports). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
