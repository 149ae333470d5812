/**
 * Max-min fair shares of `capacity` among flows with individual caps:
 * the smallest caps are met in full, the rest split what is left equally.
 */
export function waterFill(capacity: number, caps: readonly number[]): number[] {
  const order = capOrder(caps);
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

/**
 * Flow indices by cap, ties by index. Most re-plans see caps already in
 * that order (threads of one speed), so the sort is skipped for them: it was
 * half the cost of a re-plan with a hundred flows.
 */
function capOrder(caps: readonly number[]): number[] {
  const order = caps.map((_, i) => i);
  for (let i = 1; i < caps.length; i++) {
    if (!(caps[i - 1] <= caps[i])) return order.sort((a, b) => caps[a] - caps[b] || a - b);
  }
  return order;
}
