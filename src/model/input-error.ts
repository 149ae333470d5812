/**
 * Bad input from a scenario file, a CLI flag or a library call.
 * `field` names what was wrong (a scenario path like `namespaces[1].size`,
 * or a flag like `--threads`); `rule` says which rule it broke. The CLI turns
 * it into one line on stderr and exit code 2.
 */
export class InputError extends Error {
  readonly field: string;
  readonly rule: string;

  constructor(field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.name = 'InputError';
    this.field = field;
    this.rule = rule;
  }
}
