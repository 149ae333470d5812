/**
 * "Did you mean …?" for names a user types: scenarios, strategies, profiles,
 * geometries. The nearest candidate by edit distance (a swap of two adjacent
 * letters counts as one edit, as commander counts it), if it is close enough
 * to be a typo: at most a third of the name's length, and at least one edit.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | null {
  const max = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = max + 1;
  for (const c of candidates) {
    // Names are short; anything far longer cannot be within `max` edits.
    if (Math.abs(c.length - name.length) > max) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** ` (did you mean "x"?)`, or nothing when no candidate is near. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const n = nearestName(name, candidates);
  return n === null || n === name ? '' : ` (did you mean "${n}"?)`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}
