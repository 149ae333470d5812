import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import type { RunResult } from '../../src/api/result.js';
import { createSimulation } from '../../src/api/simulate.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { esc } from '../../src/report/html/format.js';
import { MAX_RECTS } from '../../src/report/html/lighten.js';
import { htmlReport, renderHtmlReport, type HtmlReportData } from '../../src/report/html-report.js';
import { feed } from './helpers.js';

function reportOf(input: unknown, options: Parameters<typeof createSimulation>[1] = {}): { html: string; data: HtmlReportData; result: RunResult } {
  const sim = createSimulation(input, options);
  let data: HtmlReportData | undefined;
  sim.trace$.pipe(htmlReport({ description: sim.scenario.description })).subscribe((d) => (data = d));
  const result = sim.run();
  return { html: renderHtmlReport(data!, result), data: data!, result };
}
const builtin = (name: string, options: Parameters<typeof createSimulation>[1] = {}) => reportOf(loadScenario(name).input, { name, ...options });

/** Every <svg> is closed before the next one opens; html, head and body open and close once. */
function expectWellFormed(html: string): void {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  for (const tag of ['html', 'head', 'body']) {
    expect(html.match(new RegExp(`<${tag}[\\s>]`, 'g'))).toHaveLength(1);
    expect(html.match(new RegExp(`</${tag}>`, 'g'))).toHaveLength(1);
  }
  let depth = 0;
  for (const m of html.matchAll(/<(\/?)svg[\s>]/g)) {
    depth += m[1] ? -1 : 1;
    expect(depth === 0 || depth === 1).toBe(true);
  }
  expect(depth).toBe(0);
}

function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/url\(|@import|<link|<script|<iframe|<img/i);
}

/** The rects of one span kind, as [x, x + width] in SVG units, by x. */
const rects = (html: string, kind: string) =>
  [...html.matchAll(new RegExp(`<rect x="([\\d.]+)" y="[\\d.]+" width="([\\d.]+)" height="[\\d.]+" fill="[^"]+" data-kind="${kind}"`, 'g'))]
    .map((m) => [Number(m[1]), Number(m[1]) + Number(m[2])] as const)
    .sort((a, b) => a[0] - b[0]);

describe('HTML report', () => {
  it('seed000-pmem-4x128g under async8: four namespaces, eight worker rows each, four serialized lock holds, a plot per pmem channel', () => {
    const { html, data, result } = builtin('seed000-pmem-4x128g', { strategy: 'async8' });
    expectWellFormed(html);
    expectSelfContained(html);
    expect(html).toContain('<dt>strategy</dt><dd>async8</dd>');
    for (const ns of ['pmem0', 'pmem1', 'pmem2', 'pmem3']) {
      expect(html).toMatch(new RegExp(`<text class="group"[^>]*>${ns}</text>`));
      expect(html).toContain(`<td>${ns}</td>`);
      for (let w = 0; w < 8; w++) expect(html).toMatch(new RegExp(`<text class="row worker"[^>]*>${ns}/w${w}</text>`));
      expect(html).toContain(`<svg class="bw" data-channel="chan/nvdimm${ns.slice(-1)}"`);
    }
    // Four write holds of mem_hotplug_lock, one after the other, in the trace and on the page.
    const holds = data.spans.filter((s) => s.kind === 'lock-write').sort((a, b) => a.start - b.start);
    expect(holds).toHaveLength(4);
    for (let i = 1; i < holds.length; i++) expect(holds[i].start).toBeGreaterThanOrEqual(holds[i - 1].end);
    const drawn = rects(html, 'lock-write');
    expect(drawn).toHaveLength(4);
    for (let i = 1; i < drawn.length; i++) expect(drawn[i][0]).toBeGreaterThanOrEqual(drawn[i - 1][1] - 0.15); // 0.1 px rounding
    expect(result.locks[0].acquisitions).toBe(4);
  });

  it('seed003-skylake-768g shows the kernel lines and a boot init row per pgdatinit helper', () => {
    const { html, result } = builtin('seed003-skylake-768g');
    expectWellFormed(html);
    expect(result.nodes).toHaveLength(2);
    for (const n of result.nodes) expect(html).toContain(n.kernelLine);
    expect(html).toContain('node 0 deferred pages initialised in');
    expect(html).toContain('<dt>kernel boot</dt>');
    expect(rects(html, 'boot').length).toBeGreaterThan(2);
  });

  it('lists violations with their counts and draws them on the timeline', () => {
    const { html, result } = builtin('seed003-skylake-768g', { strategy: 'bug-free-before-init' });
    expect(result.violations.length).toBeGreaterThan(0);
    expect(html).toContain('buddy-read-uninitialized');
    expect(html).toContain(esc(result.violations[0].message));
    expect(html).toMatch(/<text class="row events"[^>]*>violations, findings<\/text>/);
    expect(html).toContain('fill="#c00000"');
  });

  it('escapes every string from the scenario', () => {
    const input = loadScenario('seed000-pmem-128g').input as Record<string, unknown>;
    const evil = {
      ...input,
      name: '<script>alert("name")</script>',
      description: 'a <script>alert(1)</script> & "quotes"',
      namespaces: [{ name: 'pmem0', node: 0, size: '128G', device: 'nv<b>dimm</b>"0' }],
    };
    const { html } = reportOf(evil);
    expectWellFormed(html);
    expect(html).not.toMatch(/<script|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(html).toContain('a &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('data-channel="chan/nv&lt;b&gt;dimm&lt;/b&gt;&quot;0"');
  });

  it('keeps a 12 TiB seed001 serial run under 2 MB', () => {
    const { html } = builtin('seed001-pmem-3t-4node', { strategy: 'serial' });
    expectWellFormed(html);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 2 ** 20);
    expect(html.match(/<svg class="bw"/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('merges close spans of a row and caps the rects for traces with many thousands of spans', () => {
    const step = (t: number, worker: string, work: 'full' | 'pgmap'): TraceEvent => ({
      type: 'pages.init',
      t: t + 90,
      namespace: 'pmem0',
      worker,
      pass: 1,
      work,
      startPfn: t,
      endPfn: t + 90,
      startedAt: t,
    });
    const probe: TraceEvent = { type: 'probe.start', t: 0, namespace: 'pmem0', node: 0, startPfn: 0, endPfn: 1, dataStartPfn: 0 };
    const result = builtin('seed000-pmem-128g').result;
    // 20 000 steps on two rows, 110 ns apart (far under 0.1% of the run): one rect per row.
    const close = feed(htmlReport(), [probe, ...Array.from({ length: 20_000 }, (_, i) => step(i * 100, `pmem0/w${i % 2}`, 'full'))])[0];
    expect(close.spans.length).toBe(20_000);
    expect(rects(renderHtmlReport(close, result), 'full').length).toBeLessThanOrEqual(2);
    // Kinds merge apart: alternating full and pgmap steps make one rect of each.
    const mixed = feed(htmlReport(), [probe, ...Array.from({ length: 20_000 }, (_, i) => step(i * 100, 'pmem0/w0', i % 2 ? 'full' : 'pgmap'))])[0];
    const mixedHtml = renderHtmlReport(mixed, result);
    expect([rects(mixedHtml, 'full').length, rects(mixedHtml, 'pgmap').length]).toEqual([1, 1]);
    // More (row, kind) pairs than the cap: the longest are kept, with a note.
    const wide = feed(htmlReport(), [probe, ...Array.from({ length: MAX_RECTS + 500 }, (_, i) => step(i * 100, `pmem0/w${i}`, 'full'))])[0];
    const html = renderHtmlReport(wide, result);
    expect(rects(html, 'full')).toHaveLength(MAX_RECTS);
    expect(html).toContain('500 short spans and 0 markers left out to keep the page light');
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 2 ** 20);
  });
});

describe('run --report', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'memmap-sim-report-'));
  beforeAll(() => {
    // `npm test` builds before vitest; build here when the built exporter is missing.
    if (!existsSync(join(root, 'dist', 'src', 'observe', 'exporters', 'html-report.js'))) {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
        cwd: root,
        stdio: 'inherit',
      });
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bin = (args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'memmap-sim.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

  it('writes the report and still prints the run; an unwritable path exits 2 with one line', () => {
    const file = join(dir, 'x.html');
    const ok = bin(['run', 'seed000-pmem-4x128g', '--strategy', 'async8', '--report', file]);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('seed000-pmem-4x128g: strategy async8');
    const html = readFileSync(file, 'utf8');
    expectWellFormed(html);
    expect(html).toContain('pmem3/w7');

    const bad = bin(['run', 'seed000-pmem-128g', '--report', join(dir, 'no', 'such', 'dir', 'x.html')]);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^memmap-sim: --report: cannot write .*ENOENT/);
  });
});

describe('the HTML timeline: lock waits, and one violation count', () => {
  it('draws pmem1 waiting for mem_hotplug_lock under async8', () => {
    const sim = createSimulation(loadScenario('seed000-pmem-4x128g').input, { name: 'seed000-pmem-4x128g', strategy: 'async8' });
    let data: HtmlReportData | undefined;
    sim.trace$.pipe(htmlReport()).subscribe((d) => (data = d));
    const result = sim.run();
    const html = renderHtmlReport(data!, result);
    expect(html).toMatch(/<rect [^>]*data-kind="lock-wait"><title>pmem1: lock wait/);
  });

  it('gives the same violation count in the header and in the Violations section', () => {
    const sim = createSimulation(loadScenario('seed003-skylake-768g').input, { name: 'seed003-skylake-768g', strategy: 'bug-unaligned-chunks' });
    let data: HtmlReportData | undefined;
    sim.trace$.pipe(htmlReport()).subscribe((d) => (data = d));
    const result = sim.run();
    const html = renderHtmlReport(data!, result);
    expect(result.violations.length).toBeGreaterThan(0);
    const header = /<dt>violations<\/dt><dd>([^<]*)<\/dd>/.exec(html)![1];
    const badge = /<h2>Violations <span class="badge violation">([^<]*)<\/span>/.exec(html)![1];
    expect(header).toBe(badge);
  });
});
