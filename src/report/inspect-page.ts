/**
 * The browser side of `memmap-sim inspect`: runs a simulation in the page
 * with @statelyai/inspect's browser inspector attached, so every actor of the
 * run (namespaces, nodes, zones, sections, workers, locks, channels, padata
 * jobs...) shows up in the Stately inspector. Bundled by scripts/bundle-browser.mjs.
 *
 * The run is synchronous, so it waits for the inspector's
 * `@statelyai.connected` handshake first: events sent before it would be
 * dropped (the adapter keeps only a bounded backlog).
 */
import { createBrowserInspector } from '@statelyai/inspect';
import { simulate, type SimulateOptions } from '../api/simulate.js';
import type { RunResult } from '../api/result.js';

export interface InspectPageConfig {
  readonly scenario: unknown;
  readonly options: Omit<SimulateOptions, 'inspect'>;
  readonly inspectorUrl: string;
  /** Load the inspector in an iframe of this page instead of a new window. */
  readonly embed: boolean;
  /** Run anyway after this long without a handshake (events are then lost). */
  readonly connectTimeoutMs: number;
}

interface PageWindow {
  document: { getElementById(id: string): ({ textContent: string | null } & Record<string, unknown>) | null };
  addEventListener(type: 'message', fn: (e: { data: unknown }) => void): void;
  setTimeout(fn: () => void, ms: number): unknown;
  memmapSimInspect?: (config: InspectPageConfig) => void;
  memmapSimResult?: RunResult;
}

declare const window: PageWindow;

function show(id: string, text: string): void {
  const el = window.document.getElementById(id);
  if (el) el.textContent = text;
}

export function runInspected(config: InspectPageConfig): void {
  const iframe = config.embed ? window.document.getElementById('inspector') : null;
  const inspector = createBrowserInspector({
    url: config.inspectorUrl,
    iframe: iframe as never,
    maxDeferredEvents: 1_000_000,
  });
  let ran = false;
  const run = (why: string) => {
    if (ran) return;
    ran = true;
    show('status', `${why}; simulating...`);
    const result = simulate(config.scenario, { ...config.options, inspect: inspector.inspect });
    window.memmapSimResult = result;
    show('status', `${why}; done: ${result.totalMs} ms simulated, ${result.violations.length} violation kinds`);
    show('result', JSON.stringify(result, null, 2));
  };
  window.addEventListener('message', (e) => {
    const data = e.data as { type?: unknown } | null;
    if (data && data.type === '@statelyai.connected') run('inspector connected');
  });
  window.setTimeout(() => run(`no inspector handshake after ${config.connectTimeoutMs} ms, ran without it`), config.connectTimeoutMs);
  show('status', `waiting for the inspector at ${config.inspectorUrl}...`);
}

window.memmapSimInspect = runInspected;
