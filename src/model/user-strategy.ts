import { BOOT_STRATEGIES, type BootStrategy } from './boot-strategies.js';
import { InputError } from './input-error.js';
import { STRATEGIES, type ProbeStep, type Strategy } from './strategies.js';
import { BootStrategySchema, ProbeStrategySchema } from './strategy-schema.js';
import { inputErrorOf, pathOf } from './zod-issue.js';

/** A strategy written by the user: a probe or a boot strategy, marked user-defined. */
export type UserStrategy = { readonly family: 'probe'; readonly strategy: Strategy } | { readonly family: 'boot'; readonly strategy: BootStrategy };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Validates a user-written strategy (scenario `strategy` object, `--strategy-file`,
 * or a library option). `field` prefixes every error path: `strategy` gives
 * `strategy.steps[3].mode: must be one of write, read`.
 */
export function parseUserStrategy(input: unknown, field: string): UserStrategy {
  if (!isObject(input)) throw new InputError(field.trimEnd().replace(/:$/, ''), 'must be an object defining a strategy');
  const at = (rest: string) => pathOf([rest], field);
  if (input.family === 'boot') {
    const parsed = BootStrategySchema.safeParse(input);
    if (!parsed.success) throw inputErrorOf(parsed.error, field, input);
    const d = parsed.data;
    refuseBuiltinName(d.name, at('name'));
    if (!d.deferred && d.threads === 'padata')
      throw new InputError(at('threads'), 'must be one when deferred is false (early init runs on the boot CPU alone)');
    if (d.maxThreads !== undefined && d.threads === 'one') throw new InputError(at('maxThreads'), 'applies only to threads: padata');
    const strategy: BootStrategy = {
      name: d.name,
      status: 'proposal',
      summary: d.summary ?? 'User-defined boot strategy.',
      deferred: d.deferred,
      threads: d.threads,
      align: d.align,
      ...(d.minChunk === undefined ? {} : { minChunk: d.minChunk }),
      ...(d.maxThreads === undefined ? {} : { maxThreads: d.maxThreads }),
      freeOrder: d.freeOrder,
      growStop: d.growStop,
      userDefined: true,
    };
    return { family: 'boot', strategy };
  }
  if (input.family !== undefined && input.family !== 'probe') throw new InputError(at('family'), 'must be one of probe, boot');
  const parsed = ProbeStrategySchema.safeParse(input);
  if (!parsed.success) throw inputErrorOf(parsed.error, field, input);
  const d = parsed.data;
  refuseBuiltinName(d.name, at('name'));
  checkProbeSteps(d.steps, at('steps'));
  if (d.peerSteps) checkProbeSteps(d.peerSteps, at('peerSteps'));
  const strategy: Strategy = {
    name: d.name,
    status: 'proposal',
    summary: d.summary ?? 'User-defined probe strategy.',
    defaultThreads: d.defaultThreads ?? 1,
    steps: d.steps,
    ...(d.peerSteps ? { peerSteps: d.peerSteps } : {}),
    userDefined: true,
  };
  return { family: 'probe', strategy };
}

function refuseBuiltinName(name: string, field: string): void {
  if (STRATEGIES.has(name) || BOOT_STRATEGIES.has(name)) throw new InputError(field, `"${name}" is a built-in strategy; give yours another name`);
}

/** The lock a lock or unlock step names (mem_hotplug_lock unless the step names another). */
const lockOf = (s: ProbeStep): string => ('lock' in s && typeof s.lock === 'string' ? s.lock : 'mem_hotplug');

/** Steps a probe does once; the second is refused (and `activate`, `resize`, `publish` are required). */
const ONCE = ['activate', 'resize', 'init-hosting', 'publish', 'init pass 1', 'init pass 2'];
const REQUIRED: readonly [string, string][] = [
  ['activate', 'needs an activate step (arch_add_memory: without it there is no memmap)'],
  ['resize', 'needs a resize step (move_pfn_range_to_zone: without it the zone never spans the namespace)'],
  ['publish', 'needs a publish step (the namespace is handed to DAX users)'],
];

/**
 * Definition errors: steps the probe cannot mean (an unlock with nothing held,
 * a lock never released, a step done twice, memmap work before the memmap
 * exists, no init of the data pages). Orders that are legal but wrong, such
 * as publishing before init, resizing outside the write lock, a missing
 * reference or a lock taken twice, are bugs the invariants find, so they pass.
 */
function checkProbeSteps(steps: readonly ProbeStep[], field: string): void {
  const held: { lock: string; at: number }[] = [];
  const seen = new Map<string, number>();
  steps.forEach((step, i) => {
    const at = `${field}[${i}]`;
    if (step.kind === 'lock') held.push({ lock: lockOf(step), at: i });
    if (step.kind === 'lock' && step.lock === 'pgdat_resize' && step.mode !== 'write') {
      throw new InputError(`${at}.mode`, 'must be write for pgdat_resize_lock (a spinlock has no read side)');
    }
    if (step.kind === 'unlock') {
      const k = held.map((h) => h.lock).lastIndexOf(lockOf(step));
      if (k < 0)
        throw new InputError(
          at,
          `unlock without ${lockOf(step) === 'pgdat_resize' ? 'pgdat_resize_lock' : 'a lock'} held (every unlock needs an earlier lock)`,
        );
      held.splice(k, 1);
    }
    const key = step.kind === 'init' ? `init pass ${step.pass}` : step.kind;
    if (ONCE.includes(key) && seen.has(key)) throw new InputError(at, `a second ${key} step (the first is ${field}[${seen.get(key)}]); the probe does it once`);
    if ((step.kind === 'resize' || step.kind.startsWith('init')) && !seen.has('activate')) {
      throw new InputError(at, `${step.kind} before activate: the memmap does not exist until arch_add_memory (put activate first)`);
    }
    if (key === 'init pass 2' && !seen.has('init pass 1')) throw new InputError(`${at}.pass`, 'pass 2 needs an init step of pass 1 before it');
    if (!seen.has(key)) seen.set(key, i);
  });
  if (held.length) throw new InputError(`${field}[${held.at(-1)!.at}]`, 'lock is never unlocked (every lock needs a later unlock)');
  for (const [key, rule] of REQUIRED) if (!seen.has(key)) throw new InputError(field, rule);
  if (!steps.some((s) => s.kind === 'init' && s.work === 'full')) {
    throw new InputError(field, 'needs an init step with work full (memmap_init_zone_device over the data pages)');
  }
}
