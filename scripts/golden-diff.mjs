// Which result fields a deliberate change moved, against the recorded golden file.
//
//   npm run build && node scripts/golden-diff.mjs [--runs N] [--show K]
//
// Runs every golden case, compares its result JSON with the recorded one leaf
// by leaf, and prints each differing path (array indices folded to []) with
// how many runs it moved in and one example. Also counts runs whose trace
// digest or event count changed. Use it before `golden.js --write` to show
// that only the intended fields moved.
import { builtinCases, campaignCases, goldenLine, readGolden } from '../dist/bench/golden.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const runs = arg('--runs', 1200);
const show = arg('--show', 1);

/** Every leaf path at which a and b differ, with both values. */
function diffs(a, b, path, out) {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffs(a[k], b[k], `${path}.${Array.isArray(a) ? '[]' : k}`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push([path || '(root)', a, b]);
  return out;
}

const parse = (s) => (s.startsWith('error: ') ? { error: s } : JSON.parse(s));
const golden = readGolden();
const byPath = new Map();
let traceMoved = 0;
let eventsMoved = 0;
let resultMoved = 0;
let missing = 0;
const cases = [...builtinCases(), ...campaignCases(runs)];
for (const c of cases) {
  const want = golden.get(c.key);
  const got = goldenLine(c);
  if (!want) {
    missing++;
    continue;
  }
  if (want.trace !== got.trace) traceMoved++;
  if (want.events !== got.events) eventsMoved++;
  if (want.result === got.result) continue;
  resultMoved++;
  const seen = new Set();
  for (const [p, a, b] of diffs(parse(want.result), parse(got.result), '', [])) {
    const e = byPath.get(p) ?? { runs: 0, examples: [] };
    if (!seen.has(p)) e.runs++;
    seen.add(p);
    if (e.examples.length < show) e.examples.push({ key: c.key, was: JSON.stringify(a)?.slice(0, 160), now: JSON.stringify(b)?.slice(0, 160) });
    byPath.set(p, e);
  }
}
const fields = Object.fromEntries([...byPath].sort((x, y) => y[1].runs - x[1].runs));
process.stdout.write(`${JSON.stringify({ runs: cases.length, missing, resultMoved, traceMoved, eventsMoved, fields }, null, 2)}\n`);
