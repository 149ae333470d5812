import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadProfile, loadScenario, PACKAGE_ROOT } from '../api/load-scenario.js';
import { InputError } from '../model/input-error.js';
import { resolveScenario } from '../model/scenario.js';
import { parseGeometry } from '../model/vmemmap-geometry.js';
import { withScenarioFlags } from './options.js';

interface InspectOptions {
  strategy?: string;
  threads?: number;
  seed?: number;
  profile?: string;
  geometry?: string;
  out?: string;
  inspectorUrl: string;
  embed?: boolean;
}

export const STATELY_INSPECT_URL = 'https://stately.ai/inspect';

/** `</script>` inside inlined code or data would end the script element early. */
const inlineSafe = (text: string) => text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

/** The page: the bundled simulator, the scenario and the options, run on load. */
export function inspectPage(bundle: string, config: object, title: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>memmap-sim: ${title.replace(/[<&]/g, '')}</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}pre{background:#f4f4f4;padding:1em;max-height:40em;overflow:auto}iframe{width:100%;height:70vh;border:1px solid #ccc}</style>
</head>
<body>
<h1>memmap-sim: ${title.replace(/[<&]/g, '')}</h1>
<p id="status">loading...</p>
<iframe id="inspector" title="Stately inspector"></iframe>
<pre id="result"></pre>
<script>${inlineSafe(bundle)}</script>
<script>window.memmapSimInspect(${inlineSafe(JSON.stringify(config))});</script>
</body>
</html>
`;
}

/**
 * `memmap-sim inspect`: writes a self-contained HTML page that runs the
 * scenario in the browser with the Stately inspector attached.
 */
export function registerInspectCommand(program: Command): void {
  const command = program
    .command('inspect')
    .description('write an HTML page that runs a scenario in the browser, watched live in the Stately inspector')
    .argument('<scenario>', 'a built-in scenario name (see `list`) or a JSON/YAML file')
    .option('--strategy <name>', "initialization strategy (default: the scenario's)");
  withScenarioFlags(command)
    .option('--out <file>', 'the page to write (default: memmap-sim-inspect-<scenario>.html in the temporary folder)')
    .option('--inspector-url <url>', 'the inspector to open (a local one works too)', STATELY_INSPECT_URL)
    .option('--embed', 'show the inspector in an iframe of the page instead of a new window')
    .action((ref: string, opts: InspectOptions) => {
      const { input, name } = loadScenario(ref);
      const options = {
        name,
        strategy: opts.strategy,
        threads: opts.threads,
        seed: opts.seed,
        profile: opts.profile === undefined ? undefined : loadProfile(opts.profile),
        geometry: opts.geometry === undefined ? undefined : parseGeometry(opts.geometry, '--geometry'),
      };
      // Refuse bad input here, with the CLI's one-line error, not later in the browser.
      resolveScenario(input, options, name);
      if (!/^https?:\/\//.test(opts.inspectorUrl)) throw new InputError('--inspector-url', `must be an http(s) URL, got "${opts.inspectorUrl}"`);
      const bundlePath = join(PACKAGE_ROOT, 'dist', 'browser', 'inspect.js');
      if (!existsSync(bundlePath)) throw new InputError('inspect', `the browser bundle ${bundlePath} is missing: run \`npm run build\``);
      const page = inspectPage(
        readFileSync(bundlePath, 'utf8'),
        { scenario: input, options, inspectorUrl: opts.inspectorUrl, embed: opts.embed === true, connectTimeoutMs: 15_000 },
        `${name}, ${opts.strategy ?? 'default strategy'}`,
      );
      // Nothing is written to the current folder unless asked for.
      const out = opts.out ?? join(tmpdir(), `memmap-sim-inspect-${name.replace(/[^\w.-]+/g, '_')}.html`);
      try {
        writeFileSync(out, page);
      } catch (e) {
        throw new InputError('--out', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      process.stdout.write(
        `wrote ${out}: open it in a browser; it ${opts.embed ? 'embeds' : 'opens'} the inspector at ${opts.inspectorUrl}, runs ${name} once the inspector connects, and shows the result\n`,
      );
    });
}
