/**
 * Damped Gauss-Newton (Levenberg-Marquardt) for a few parameters: minimizes
 * the sum of squared residuals, with a forward-difference Jacobian. Each
 * residual evaluation is a simulation run, so it aims for few evaluations.
 */
export interface FitResult {
  readonly x: readonly number[];
  readonly residuals: readonly number[];
  /** d residuals / d x at `x`, one column per parameter. */
  readonly jacobian: readonly (readonly number[])[];
  readonly evaluations: number;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    if (Math.abs(m[c][c]) < 1e-300) return new Array(n).fill(0);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

const sumSq = (v: readonly number[]) => v.reduce((a, x) => a + x * x, 0);

function jacobianAt(r: (x: readonly number[]) => number[], x: readonly number[], res: readonly number[], h: number): number[][] {
  return x.map((_, j) => {
    const xh = [...x];
    xh[j] += h;
    return r(xh).map((v, i) => (v - res[i]) / h);
  });
}

/**
 * One damped step: (J^T J + lambda (diag(J^T J) + eps)) dx = -J^T r. The eps
 * keeps a direction the residuals do not depend on (a zero column) from
 * making the system singular, which used to stop the fit with a zero step.
 */
function dampedStep(jac: readonly (readonly number[])[], res: readonly number[], lambda: number): number[] {
  const n = jac.length;
  const jtj = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => jac[a].reduce((s, v, i) => s + v * jac[b][i], 0)));
  const jtr = Array.from({ length: n }, (_, a) => jac[a].reduce((s, v, i) => s + v * res[i], 0));
  const eps = 1e-6 * Math.max(1e-12, ...jtj.map((row, a) => row[a]));
  const damped = jtj.map((row, a) => row.map((v, b) => (a === b ? v + lambda * (v + eps) : v)));
  return solve(
    damped,
    jtr.map((v) => -v),
  );
}

export function levenbergMarquardt(
  residuals: (x: readonly number[]) => number[],
  start: readonly number[],
  options: { maxIterations?: number; tolerance?: number; h?: number } = {},
): FitResult {
  const maxIt = options.maxIterations ?? 30;
  const tol = options.tolerance ?? 1e-6;
  // In log space 1e-3 is a 0.1 % change: well above the microsecond rounding of simulated times.
  const h = options.h ?? 1e-3;
  let evaluations = 0;
  const r = (x: readonly number[]) => {
    evaluations++;
    return residuals(x);
  };
  let x = [...start];
  let res = r(x);
  let cost = sumSq(res);
  let jac = jacobianAt(r, x, res, h);
  let lambda = 1e-3;
  for (let it = 0; it < maxIt && cost > tol * tol; it++) {
    let improved = false;
    for (let tries = 0; tries < 10 && !improved; tries++) {
      const dx = dampedStep(jac, res, lambda);
      const xn = x.map((v, i) => v + dx[i]);
      const rn = r(xn);
      const cn = sumSq(rn);
      if (cn < cost) {
        [x, res, cost] = [xn, rn, cn];
        lambda = Math.max(lambda / 10, 1e-9);
        improved = true;
      } else lambda *= 10;
    }
    if (!improved) break;
    jac = jacobianAt(r, x, res, h);
  }
  return { x, residuals: res, jacobian: jac, evaluations };
}
