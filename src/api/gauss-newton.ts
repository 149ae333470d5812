/**
 * Damped Gauss-Newton (Levenberg-Marquardt) for a few parameters: minimizes
 * the sum of squared residuals, with a forward-difference Jacobian. Each
 * residual evaluation is a simulation run, so it aims for few evaluations.
 */
export interface FitResult {
  readonly x: readonly number[];
  readonly residuals: readonly number[];
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

export function levenbergMarquardt(
  residuals: (x: readonly number[]) => number[],
  start: readonly number[],
  options: { maxIterations?: number; tolerance?: number; h?: number } = {},
): FitResult {
  const maxIt = options.maxIterations ?? 20;
  const tol = options.tolerance ?? 1e-6;
  const h = options.h ?? 1e-4;
  let evaluations = 0;
  const r = (x: readonly number[]) => {
    evaluations++;
    return residuals(x);
  };
  let x = [...start];
  let res = r(x);
  let cost = res.reduce((a, v) => a + v * v, 0);
  let lambda = 1e-3;
  for (let it = 0; it < maxIt && cost > tol * tol; it++) {
    const jac = x.map((_, j) => {
      const xh = [...x];
      xh[j] += h;
      const rh = r(xh);
      return rh.map((v, i) => (v - res[i]) / h);
    });
    // Normal equations: (J^T J + lambda diag) dx = -J^T r
    const n = x.length;
    const jtj = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => jac[a].reduce((s, v, i) => s + v * jac[b][i], 0)));
    const jtr = Array.from({ length: n }, (_, a) => jac[a].reduce((s, v, i) => s + v * res[i], 0));
    let improved = false;
    for (let tries = 0; tries < 8 && !improved; tries++) {
      const damped = jtj.map((row, a) => row.map((v, b) => (a === b ? v * (1 + lambda) : v)));
      const dx = solve(
        damped,
        jtr.map((v) => -v),
      );
      const xn = x.map((v, i) => v + dx[i]);
      const rn = r(xn);
      const cn = rn.reduce((a, v) => a + v * v, 0);
      if (cn < cost) {
        const small = Math.max(...dx.map(Math.abs)) < 1e-7;
        x = xn;
        res = rn;
        cost = cn;
        lambda = Math.max(lambda / 10, 1e-9);
        improved = true;
        if (small) return { x, residuals: res, evaluations };
      } else lambda *= 10;
    }
    if (!improved) break;
  }
  return { x, residuals: res, evaluations };
}
