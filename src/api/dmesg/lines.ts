/** One kernel message of a boot log, with its 1-based line number in the file. */
export interface LogLine {
  readonly no: number;
  readonly text: string;
}

// Terminal control sequences (SeaBIOS and serial consoles print some).
// eslint-disable-next-line no-control-regex -- ESC is what the pattern matches
const ESCAPES = /\x1b(?:\[[0-9;?]*[A-Za-z]|[A-Za-z])/g;
// syslog / journal prefix: "Dec  1 23:10:53 host kernel: ".
const SYSLOG = /^[A-Z][a-z]{2} +\d+ [\d:]{8} \S+ kernel: ?/;
// ISO-8601 journal prefix: "2026-12-01T23:10:53.123456+00:00 host kernel: ".
const ISO = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-][\d:]+)? \S+ kernel: ?/;
// printk level "<6>", dmesg -x "kern  :info  : ", timestamps "[    0.000000]", caller ids "[    T1]".
const LEVEL = /^<\d+>/;
const FACILITY = /^[a-z]+ *:[a-z]+ *: /;
const STAMP = /^\[\s*\d+(?:\.\d+)?\]\s?/;
const CALLER = /^\[\s*[TC]\d+\]\s?/;

/** The message without the prefixes dmesg, syslog, journalctl and serial consoles add. */
export function stripPrefix(raw: string): string {
  let s = raw.replace(ESCAPES, '').replace(/\r/g, '');
  // A serial console may print firmware output before the kernel's first stamp on the same line.
  const stamp = s.search(/\[\s*\d+\.\d{6}\]/);
  if (stamp > 0) s = s.slice(stamp);
  s = s.replace(SYSLOG, '').replace(ISO, '').replace(FACILITY, '').replace(LEVEL, '');
  s = s.replace(STAMP, '').replace(CALLER, '').replace(LEVEL, '');
  return s;
}

export function logLines(text: string): LogLine[] {
  return text.split('\n').map((raw, i) => ({ no: i + 1, text: stripPrefix(raw) }));
}

/** The first line matching `re`, with its match. */
export function firstMatch(lines: readonly LogLine[], re: RegExp): { line: LogLine; m: RegExpExecArray } | null {
  for (const line of lines) {
    const m = re.exec(line.text);
    if (m) return { line, m };
  }
  return null;
}

/** Every line matching `re`, with its match. */
export function allMatches(lines: readonly LogLine[], re: RegExp): { line: LogLine; m: RegExpExecArray }[] {
  const out: { line: LogLine; m: RegExpExecArray }[] = [];
  for (const line of lines) {
    const m = re.exec(line.text);
    if (m) out.push({ line, m });
  }
  return out;
}
