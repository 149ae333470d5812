import { didYouMean } from '../model/nearest-name.js';
import { inputErrorOf } from '../model/zod-issue.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { readBoundedFile } from './read-bounded.js';
import { InputError } from '../model/input-error.js';
import { ProfileInputSchema } from '../model/scenario-schema.js';
import type { ParamName } from '../model/profile.js';
import type { ProfileInput } from '../model/profiles/index.js';
import type { UserStrategyInput } from '../model/strategy-schema.js';
import { parseUserStrategy } from '../model/user-strategy.js';

/** The package root: the nearest folder above this file with our package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'memmap-sim') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('memmap-sim: cannot find the package root (scenarios/)');
    dir = up;
  }
}

export const PACKAGE_ROOT = packageRoot();

export const SCENARIO_DIR = join(PACKAGE_ROOT, 'scenarios');

export interface BuiltinScenario {
  readonly name: string;
  readonly description: string;
  readonly file: string;
}

const SCENARIO_EXT = ['.json', '.yaml', '.yml'];

export function listScenarios(): BuiltinScenario[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => SCENARIO_EXT.includes(extname(f)))
    .sort()
    .map((f) => {
      const file = join(SCENARIO_DIR, f);
      const doc = readDocument(file, 'scenario') as { name?: string; description?: string };
      return { name: basename(f, extname(f)), description: doc.description ?? '', file };
    });
}

/**
 * The largest scenario, profile or strategy document read: a machine of
 * 10,000 DRAM ranges is under 1 MiB of JSON.
 */
export const MAX_DOCUMENT_BYTES = 4 * 2 ** 20;

/** Reads a JSON or YAML file; the field names the flag or argument it came from. */
export function readDocument(file: string, field: string): unknown {
  const text = readBoundedFile(file, field, MAX_DOCUMENT_BYTES, 'a scenario, profile or strategy document');
  const ext = extname(file).toLowerCase();
  try {
    return ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    const what = ext === '.yaml' || ext === '.yml' ? 'YAML' : 'JSON';
    throw new InputError(field, `${file} is not valid ${what}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * A built-in scenario by name, or a scenario file (JSON or YAML) by path.
 * Returns the raw document and the name to use when it has none.
 */
export function loadScenario(ref: string, field = 'scenario'): { input: unknown; name: string } {
  if (typeof ref !== 'string' || !ref)
    throw new InputError(field, `must be a built-in scenario name or a file path, got ${JSON.stringify(ref) ?? String(ref)}`);
  const builtin = listScenarios().find((s) => s.name === ref);
  if (builtin) return { input: readDocument(builtin.file, field), name: builtin.name };
  const file = resolve(ref);
  if (!existsSync(file)) {
    const hint = didYouMean(
      ref,
      listScenarios().map((s) => s.name),
    );
    throw new InputError(field, `"${ref}" is neither a built-in scenario (see \`memmap-sim list\`) nor a file${hint}`);
  }
  return { input: readDocument(file, field), name: basename(file, extname(file)) };
}

/** A profile document (`--profile FILE`): a base profile plus parameter overrides. */
export function loadProfile(file: string, field = '--profile'): ProfileInput {
  const doc = readDocument(file, field) as Record<string, unknown>;
  // `calibrate --json` wraps the profile with its fit report; accept both.
  const body = doc && typeof doc === 'object' && 'profile' in doc && typeof doc.profile === 'object' ? doc.profile : doc;
  const parsed = ProfileInputSchema.safeParse(body);
  if (!parsed.success) throw inputErrorOf(parsed.error, `${field} ${file}: `, body);
  return parsed.data;
}

/** The uncertainty a `calibrate --json` document carries (fit.uncertainty), or undefined for a plain profile. */
export function loadUncertainty(file: string, field = '--profile'): Partial<Record<ParamName, number>> | undefined {
  const doc = readDocument(file, field) as { fit?: { uncertainty?: Partial<Record<ParamName, number>> } } | null;
  const u: unknown = doc && typeof doc === 'object' ? doc.fit?.uncertainty : undefined;
  if (u === undefined) return undefined;
  if (typeof u !== 'object' || u === null || Array.isArray(u))
    throw new InputError(`${field} ${file}: fit.uncertainty`, 'must be an object of parameter: relative uncertainty');
  for (const [k, v] of Object.entries(u))
    if (typeof v !== 'number' || !(v >= 0 && v < 1))
      throw new InputError(`${field} ${file}: fit.uncertainty.${k}`, `must be a relative standard uncertainty from 0 to below 1, got ${JSON.stringify(v)}`);
  return u as Partial<Record<ParamName, number>>;
}

/**
 * A strategy file (`--strategy-file FILE`, JSON or YAML): one object defining
 * a probe or a boot strategy, as a scenario's `strategy` field may. Validated
 * here, so its errors name the file and the field. `check` and the run
 * commands pass the returned definition as the `strategy` option.
 */
export function loadStrategyFile(file: string, field = '--strategy-file'): UserStrategyInput {
  const doc = readDocument(file, field);
  parseUserStrategy(doc, `${field} ${file}: `);
  return doc as UserStrategyInput;
}
