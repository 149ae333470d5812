import { esc } from './format.js';
import { STYLE } from './style.js';
import { CURVE_STYLE } from './curve-chart.js';

/** One self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}${CURVE_STYLE}</style></head>
<body>
${body}
<p class="note">memmap-sim report; predicted times are simulated.</p>
</body></html>
`;
}

/** The key-value list under a page's title. */
export const metaList = (items: readonly (readonly [string, string])[]): string =>
  `<dl class="meta">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
