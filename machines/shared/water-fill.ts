/**
 * Max-min fair shares of `capacity` among flows with individual caps:
 * the smallest caps are met in full, the rest split what is left equally.
 */
export function waterFill(capacity: number, caps: readonly number[]): number[] {
  const order = caps.map((_, i) => i).sort((a, b) => caps[a] - caps[b] || a - b);
  const rates = new Array<number>(caps.length).fill(0);
  let left = capacity;
  let n = caps.length;
  for (const i of order) {
    const share = left / n;
    const rate = Math.min(caps[i], share);
    rates[i] = rate;
    left -= rate;
    n--;
  }
  return rates;
}
