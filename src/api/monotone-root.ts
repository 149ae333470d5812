/**
 * A root of a monotone function of one variable on [lo, hi]: bracketed by
 * stepping out from the start, then narrowed by the Illinois variant of
 * regula falsi. Each evaluation is a simulation, so both are bounded; the
 * best point seen is returned when no root lies in the range (the function
 * does not cross zero there: the parameter is at a bound). The caller says
 * which way f goes, as a flat stretch (a bandwidth that does not bind yet)
 * shows no slope to follow.
 */
export function monotoneRoot(
  f: (x: number) => number,
  start: number,
  lo: number,
  hi: number,
  increasing: boolean,
  tolerance = 1e-4,
): { x: number; fx: number; evaluations: number } {
  let evaluations = 0;
  const at = (x: number) => {
    evaluations++;
    return f(x);
  };
  let a = Math.min(hi, Math.max(lo, start));
  let fa = at(a);
  let best = { x: a, fx: fa };
  // Step out by e (a factor of 2.7 in the parameter) towards the root until the sign changes.
  let b = a;
  let fb = fa;
  // The root lies where f changes sign: up for an increasing f below zero, down for one above.
  const dir = fa < 0 === increasing ? 1 : -1;
  for (let i = 0; i < 12 && Math.sign(fb) === Math.sign(fa) && Math.abs(fb) > tolerance; i++) {
    [a, fa] = [b, fb];
    b = Math.min(hi, Math.max(lo, b + dir));
    if (b === a) break;
    fb = at(b);
    if (Math.abs(fb) < Math.abs(best.fx)) best = { x: b, fx: fb };
  }
  if (Math.sign(fb) === Math.sign(fa)) return { ...best, evaluations };
  let side = 0;
  for (let i = 0; i < 30 && Math.abs(best.fx) > tolerance; i++) {
    const c = (a * fb - b * fa) / (fb - fa);
    const fc = at(c);
    if (Math.abs(fc) < Math.abs(best.fx)) best = { x: c, fx: fc };
    if (Math.sign(fc) === Math.sign(fb)) {
      [b, fb] = [c, fc];
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      [a, fa] = [c, fc];
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return { ...best, evaluations };
}
