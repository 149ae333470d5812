import { table } from './table.js';

/** The narrowest the last column is wrapped to, however wide the others are. */
const MIN_LAST_COLUMN = 24;

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines.length ? lines : [''];
}

/**
 * A table whose last column (a description or summary) is wrapped so that
 * every line fits `width` characters; continuation lines start under that
 * column. `width` 0 wraps nothing.
 */
export function wrappedTable(rows: readonly (readonly string[])[], width: number): string {
  if (width <= 0) return table(rows);
  const last = rows[0].length - 1;
  const lead = rows[0].slice(0, last).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const column = lead.reduce((a, w) => a + w + 2, 0);
  // Too narrow for the last column beside the others: it goes below each row, indented.
  const below = width - column < MIN_LAST_COLUMN;
  const indent = below ? 4 : column;
  const room = Math.max(MIN_LAST_COLUMN, width - indent);
  const [head, ...body] = table(rows.map((r, i) => (i === 0 ? r : [...r.slice(0, last), '\u0000'])))
    .trimEnd()
    .split('\n');
  const sep = head.length ? body.shift()! : '';
  const rule = '-'.repeat(Math.min(room, Math.max(...rows.map((r) => r[last].length))));
  const out = below ? [head.slice(0, column).trimEnd(), sep.slice(0, column).trimEnd()] : [head, sep.slice(0, column) + rule];
  body.forEach((line, i) => {
    const [first, ...more] = wrapWords(rows[i + 1][last], room);
    if (below) out.push(line.replace('\u0000', '').trimEnd(), ...[first, ...more].map((m) => ' '.repeat(indent) + m));
    else out.push(line.replace('\u0000', first), ...more.map((m) => ' '.repeat(indent) + m));
  });
  return out.join('\n') + '\n';
}

/** The width to wrap to: `--width`, else the terminal's, else 100 (a pipe or a file). */
export function outputWidth(asked: number | undefined): number {
  return asked ?? (process.stdout.isTTY ? process.stdout.columns : undefined) ?? 100;
}
