import { didYouMean } from './nearest-name.js';
import { BOOT_STRATEGIES, DEFAULT_BOOT_STRATEGY, type BootStrategy } from './boot-strategies.js';
import { InputError } from './input-error.js';
import { STRATEGIES, type Strategy } from './strategies.js';
import type { UserStrategyInput } from './strategy-schema.js';
import { parseUserStrategy, type UserStrategy } from './user-strategy.js';

export const DEFAULT_PROBE_STRATEGY = 'outside-lock';

/** The strategies of a run: one per family, and what the output must say about them. */
export interface StrategyChoice {
  /** The strategy asked for (the --strategy flag, else the scenario's, else the default). */
  readonly strategyName: string;
  readonly strategyUserDefined: boolean;
  readonly strategy: Strategy;
  readonly bootStrategy: BootStrategy;
  /** What ran for each family; null where the scenario has none of it (no boot section, no namespaces). */
  readonly ran: { readonly boot: string | null; readonly probe: string | null };
  /** Substitutions stated in the output: a family that ran its default. */
  readonly notes: readonly string[];
}

type Asked = string | UserStrategyInput;
type Given = UserStrategy & { readonly field: string };

function familyOf(asked: Asked, field: string): Given {
  if (typeof asked !== 'string') return { ...parseUserStrategy(asked, field), field };
  const boot = BOOT_STRATEGIES.get(asked);
  if (boot) return { family: 'boot', strategy: boot, field };
  const probe = STRATEGIES.get(asked);
  if (probe) return { family: 'probe', strategy: probe, field };
  const known = [...STRATEGIES.keys(), ...BOOT_STRATEGIES.keys()];
  throw new InputError(field, `unknown strategy "${asked}"${didYouMean(asked, known)} (known: ${known.join(', ')})`);
}

/** A strategy of a family the scenario does not run is refused: it would run nothing it names. */
function checkFamily(g: Given, hasBoot: boolean, hasProbes: boolean): void {
  const name = `"${g.strategy.name}"`;
  if (g.family === 'boot' && !hasBoot) {
    throw new InputError(g.field, `${name} is a boot strategy, and this scenario has no boot section (probe strategies: ${[...STRATEGIES.keys()].join(', ')})`);
  }
  if (g.family === 'probe' && hasBoot && !hasProbes) {
    throw new InputError(
      g.field,
      `${name} is a probe strategy, and this scenario has no namespaces (boot strategies: ${[...BOOT_STRATEGIES.keys()].join(', ')})`,
    );
  }
}

/**
 * The probe and boot strategies of a run. The flag's strategy and the
 * scenario's each set their own family (the flag wins within a family); a
 * family given neither runs its default, and a scenario with both boot and
 * namespaces says so in `notes`.
 */
export function chooseStrategies(override: Asked | undefined, fileStrategy: Asked | undefined, hasBoot: boolean, hasProbes: boolean): StrategyChoice {
  const given: Given[] = [];
  if (override !== undefined) given.push(familyOf(override, '--strategy'));
  if (fileStrategy !== undefined) given.push(familyOf(fileStrategy, 'strategy'));
  for (const g of given) checkFamily(g, hasBoot, hasProbes);
  const primary = given[0] ?? familyOf(hasBoot && !hasProbes ? DEFAULT_BOOT_STRATEGY : DEFAULT_PROBE_STRATEGY, 'strategy');
  const probe = given.find((g) => g.family === 'probe')?.strategy as Strategy | undefined;
  const boot = given.find((g) => g.family === 'boot')?.strategy as BootStrategy | undefined;
  const strategy = probe ?? STRATEGIES.get(DEFAULT_PROBE_STRATEGY)!;
  const bootStrategy = boot ?? BOOT_STRATEGIES.get(DEFAULT_BOOT_STRATEGY)!;
  const notes: string[] = [];
  if (hasBoot && hasProbes && !boot) notes.push(`boot ran ${bootStrategy.name}, the default boot strategy (${primary.strategy.name} is a probe strategy)`);
  if (hasBoot && hasProbes && !probe)
    notes.push(`namespaces probed with ${strategy.name}, the default probe strategy (${primary.strategy.name} is a boot strategy)`);
  return {
    strategyName: primary.strategy.name,
    strategyUserDefined: primary.strategy.userDefined === true,
    strategy,
    bootStrategy,
    ran: { boot: hasBoot ? bootStrategy.name : null, probe: hasProbes ? strategy.name : null },
    notes,
  };
}

/** A probe strategy that splits its init over threads (otherwise the probing thread does it alone). */
export function isMultithreaded(s: Strategy): boolean {
  return s.steps.some((step) => step.kind === 'init' && step.threads === 'threads');
}

/** Notes for a thread count given to strategies that run on one thread. */
export function threadsNotes(explicit: number | undefined, field: string, c: StrategyChoice): string[] {
  if (explicit === undefined || explicit === 1) return [];
  const notes: string[] = [];
  if (c.ran.probe && !isMultithreaded(c.strategy))
    notes.push(`${field} ${explicit} not used by ${c.strategy.name}: it initializes each namespace on one thread`);
  if (c.ran.boot && c.bootStrategy.threads === 'one') notes.push(`${field} ${explicit} not used by ${c.bootStrategy.name}: one thread per node`);
  return notes;
}
