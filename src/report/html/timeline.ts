import type { RunResult } from '../../api/result.js';
import { LEFT, PLOT, WIDTH, timeAxis, xOf } from './axis.js';
import { esc, fmtMs, px } from './format.js';
import { lightenInstants, lightenSpans } from './lighten.js';
import type { HtmlReportData, ReportInstant, ReportRow, SpanKind } from './model.js';

export const SPAN_KINDS: Record<SpanKind, { label: string; color: string }> = {
  full: { label: 'init full', color: '#4e79a7' },
  pgmap: { label: 'pgmap pass', color: '#f28e2b' },
  hosting: { label: 'hosting', color: '#76b7b2' },
  boot: { label: 'boot init', color: '#59a14f' },
  'lock-write': { label: 'lock write', color: '#e15759' },
  'lock-read': { label: 'lock read', color: '#edc948' },
  'lock-wait': { label: 'lock wait', color: '#bab0ac' },
};

const INSTANT_COLORS: Record<string, string> = {
  violation: '#c00000',
  finding: '#d08000',
  'dax.access': '#8e44ad',
  'namespace.published': '#2e7d32',
  'grow.end': '#9c755f',
};
const instantColor = (type: string) => INSTANT_COLORS[type] ?? INSTANT_COLORS.violation;

const ROW_H = 14;
const BAR_H = 10;
const GROUP_H = 18;
const TOP = 8;

const ROLE_ORDER = { phase: 0, lock: 1, worker: 2, events: 3 } as const;
const byName = new Intl.Collator('en', { numeric: true }).compare;

/** Display order: locks, then groups as they first appeared; in a group, phases, lock holders, workers (w2 before w10), events. */
function layout(rows: readonly ReportRow[]): { group: string; rows: number[] }[] {
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const g = groups.get(r.group) ?? [];
    g.push(i);
    groups.set(r.group, g);
  });
  const isLock = (idx: number[]) => (idx.some((i) => rows[i].role === 'lock') ? 0 : 1);
  return [...groups.entries()]
    .sort((a, b) => isLock(a[1]) - isLock(b[1]))
    .map(([group, idx]) => ({
      group,
      rows: idx.sort((a, b) => ROLE_ORDER[rows[a].role] - ROLE_ORDER[rows[b].role] || byName(rows[a].name, rows[b].name)),
    }));
}

/** Markers for the result's violations and findings (each kept example's time), on a row of their own. */
function issueInstants(result: RunResult, row: number): ReportInstant[] {
  return [...result.violations, ...result.findings].flatMap((r) =>
    r.examples.map((e) => ({ row, t: e.atNs, type: r.severity, label: `${r.invariant} ${r.kind} at ${r.place}: ${e.message}`, count: e.weight ?? 1 })),
  );
}

function marker(i: ReportInstant, x: string, y: number): string {
  const title = `${i.label} at ${fmtMs(i.t / 1e6)}${i.count > 1 ? ` (x${i.count})` : ''}`;
  return `<path class="mark" d="M${x} ${y}l4 ${BAR_H / 2}l-4 ${BAR_H / 2}l-4 -${BAR_H / 2}z" fill="${instantColor(i.type)}"><title>${esc(title)}</title></path>`;
}

/** The SVG timeline: one row per worker, lock holder and init phase, grouped by namespace, node or lock. */
export function renderTimeline(data: HtmlReportData, result: RunResult, endNs: number): string {
  const rows: ReportRow[] = [...data.rows];
  const groups = layout(rows);
  let issues: ReportInstant[] = [];
  if (result.violations.length + result.findings.length) {
    const row = rows.push({ group: 'issues', name: 'violations, findings', role: 'events' }) - 1;
    issues = issueInstants(result, row);
    groups.unshift({ group: 'issues', rows: [row] });
  }
  const spans = lightenSpans(data.spans, endNs);
  const instants = lightenInstants([...issues, ...data.instants], endNs);
  const rowY = new Map<number, number>();
  const out: string[] = [];
  let y = TOP;
  for (const g of groups) {
    out.push(
      `<text class="group" x="4" y="${y + 13}">${esc(g.group)}</text><line class="sep" x1="0" y1="${y + GROUP_H - 2}" x2="${WIDTH}" y2="${y + GROUP_H - 2}"/>`,
    );
    y += GROUP_H;
    for (const r of g.rows) {
      rowY.set(r, y);
      out.push(`<text class="row ${rows[r].role}" x="12" y="${y + BAR_H}">${esc(rows[r].name)}</text>`);
      y += ROW_H;
    }
  }
  const bottom = y + 4;
  const body: string[] = [timeAxis(endNs, TOP, bottom)];
  for (const s of spans.spans) {
    const x0 = xOf(s.start, endNs);
    const w = Math.max(0.6, xOf(s.end, endNs) - x0);
    const k = SPAN_KINDS[s.kind];
    const title = `${rows[s.row].name}: ${s.label ?? k.label} ${fmtMs(s.start / 1e6)} to ${fmtMs(s.end / 1e6)}${s.n > 1 ? ` (${s.n} spans)` : ''}`;
    body.push(
      `<rect x="${px(x0)}" y="${rowY.get(s.row)! + 1}" width="${px(w)}" height="${BAR_H}" fill="${k.color}" data-kind="${s.kind}"><title>${esc(title)}</title></rect>`,
    );
  }
  for (const i of instants.instants) body.push(marker(i, px(xOf(i.t, endNs)), rowY.get(i.row)! + 1));
  const note =
    spans.omitted || instants.omitted
      ? `<p class="note">${spans.omitted} short spans and ${instants.omitted} markers left out to keep the page light.</p>`
      : '';
  return (
    legend(
      spans.spans.map((s) => s.kind),
      instants.instants.map((i) => i.type),
    ) +
    `<svg class="timeline" viewBox="0 0 ${WIDTH} ${bottom + 30}" width="${WIDTH}" height="${bottom + 30}" role="img" aria-label="timeline">` +
    `<rect class="plot" x="${LEFT}" y="${TOP}" width="${PLOT}" height="${bottom - TOP}"/>${body.join('')}${out.join('')}</svg>${note}`
  );
}

function legend(kinds: readonly SpanKind[], types: readonly string[]): string {
  const k = [...new Set(kinds)].map((kind) => `<span><i style="background:${SPAN_KINDS[kind].color}"></i>${SPAN_KINDS[kind].label}</span>`);
  const t = [...new Set(types)].map((type) => `<span><i class="diamond" style="background:${instantColor(type)}"></i>${esc(type)}</span>`);
  return `<div class="legend">${[...k, ...t].join('')}</div>`;
}
