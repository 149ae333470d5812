// Bundles the browser side of `memmap-sim inspect` (src/report/inspect-page.ts)
// into one script, dist/browser/inspect.js, that the command inlines in its page.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/report/inspect-page.ts'],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outfile: 'dist/browser/inspect.js',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
