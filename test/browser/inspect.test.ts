import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/api/load-scenario.js';
import { simulate } from '../../src/api/simulate.js';

/**
 * End to end: `memmap-sim inspect` writes a page that runs the simulation in
 * Chromium with @statelyai/inspect attached. A stand-in inspector (served
 * locally, embedded) does the `@statelyai.connected` handshake and records
 * what arrives by postMessage, as the Stately inspector would.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`skipping browser inspector tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

const FAKE_INSPECTOR = `<!doctype html><script>
window.__got = [];
addEventListener('message', (e) => { if (e.data && typeof e.data._version === 'string') window.__got.push(e.data); });
// Like the real inspector: say hello once loaded.
addEventListener('load', () => setTimeout(() => (window.opener || window.parent).postMessage({ type: '@statelyai.connected' }, '*'), 50));
</script>`;

describe.skipIf(!haveChromium)('memmap-sim inspect, in Chromium, with an inspector attached', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-inspect-'));
  let server: Server;
  let base = '';
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = req.url === '/inspector.html' ? null : join(dir, (req.url ?? '/').slice(1));
      res.setHeader('content-type', 'text/html');
      if (file === null) res.end(FAKE_INSPECTOR);
      else if (existsSync(file)) res.end(readFileSync(file));
      else {
        res.statusCode = 404;
        res.end('not found');
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => server?.close(ok));
  });

  async function inspect(scenario: string, extra: string[]): Promise<{ actors: Set<string>; events: number; result: unknown }> {
    const file = `${scenario}.html`;
    execFileSync('node', [
      'bin/memmap-sim.js',
      'inspect',
      scenario,
      ...extra,
      '--embed',
      '--inspector-url',
      `${base}/inspector.html`,
      '--out',
      join(dir, file),
    ]);
    const page = await browser.newPage();
    await page.goto(`${base}/${file}`);
    await page.waitForFunction(() => (window as unknown as { memmapSimResult?: unknown }).memmapSimResult !== undefined, undefined, { timeout: 30_000 });
    const frame = page.frames().find((f) => f.url().endsWith('/inspector.html'))!;
    // postMessage delivery is asynchronous: wait until the stream has stopped growing.
    let last = -1;
    for (let stable = 0; stable < 3;) {
      await page.waitForTimeout(250);
      const n = (await frame.evaluate(() => (window as unknown as { __got: unknown[] }).__got.length)) as number;
      stable = n === last && n > 0 ? stable + 1 : 0;
      last = n;
    }
    const got = (await frame.evaluate(() =>
      (window as unknown as { __got: { type: string; name?: string }[] }).__got.map((e) => ({ type: e.type, name: e.name })),
    )) as { type: string; name?: string }[];
    const result = await page.evaluate(() => (window as unknown as { memmapSimResult: unknown }).memmapSimResult);
    await page.close();
    return { actors: new Set(got.filter((e) => e.type === '@xstate.actor').map((e) => e.name!)), events: got.length, result };
  }

  it('shows every actor kind of a pmem probe, and computes what Node computes', async () => {
    const { actors, events, result } = await inspect('seed000-pmem-4x128g', ['--strategy', 'async8']);
    // The inspector names each actor by its id: one of every kind must be there.
    for (const id of ['system', 'node0', 'node0/device', 'chan/node0-dram', 'chan/nvdimm3', 'lock/mem_hotplug', 'dax-user', 'pmem0', 'pmem3', 'pmem0/w7'])
      expect(actors).toContain(id);
    expect([...actors].some((id) => /^pmem0\/s\d+/.test(id))).toBe(true);
    expect(events).toBeGreaterThan(100);
    const here = simulate(loadScenario('seed000-pmem-4x128g').input, { name: 'seed000-pmem-4x128g', strategy: 'async8' });
    expect(JSON.stringify(result)).toBe(JSON.stringify(here));
  }, 90_000);

  it('shows every actor kind of boot: pgdatinit, padata job and helpers, buddy, boot sections', async () => {
    const { actors } = await inspect('seed003-skylake-768g', ['--threads', '4']);
    for (const id of ['node1/pgdatinit', 'node1/j0', 'node1/j0/w0', 'node1/j0/w3', 'node1/Normal/buddy']) expect(actors).toContain(id);
    expect([...actors].some((id) => /^node1\/Normal\/s\d+/.test(id))).toBe(true);
  }, 90_000);
});
