import { didYouMean } from '../../model/nearest-name.js';
import { BOOT_STRATEGIES } from '../../model/boot-strategies.js';
import { InputError } from '../../model/input-error.js';
import { STRATEGIES } from '../../model/strategies.js';
import type { UserStrategyInput } from '../../model/strategy-schema.js';

/** Probe strategies run on pmem machines, boot strategies on boot machines. */
export type Family = 'probe' | 'boot';

/** A built-in strategy by name, or one written by the user (a definition, as `--strategy-file` holds). */
export type StrategyRef = string | UserStrategyInput;

export const nameOf = (ref: StrategyRef): string => (typeof ref === 'string' ? ref : ref.name);

export interface CheckedStrategy {
  readonly name: string;
  readonly family: Family;
  readonly knownBad: boolean;
  /** What `simulate()` takes as its `strategy` option: the name, or the user's definition. */
  readonly ref: StrategyRef;
}

/** Every built-in strategy, probe ones first, in registry order. */
export function allStrategies(): CheckedStrategy[] {
  return [
    ...[...STRATEGIES.values()].map((s) => ({ name: s.name, family: 'probe' as const, knownBad: s.status === 'known-bad', ref: s.name })),
    ...[...BOOT_STRATEGIES.values()].map((s) => ({ name: s.name, family: 'boot' as const, knownBad: s.status === 'known-bad', ref: s.name })),
  ];
}

export type StrategySelection = ({ readonly strategy: readonly string[] } | { readonly all: 'all' | 'correct' | 'known-bad' }) & {
  /** Strategies written by the user (validated definitions, e.g. from loadStrategyFile), checked after the others. */
  readonly user?: readonly UserStrategyInput[];
};

/** A user-written strategy: never known bad, so a finding is a finding. */
export function userStrategy(definition: UserStrategyInput): CheckedStrategy {
  return { name: definition.name, family: definition.family === 'boot' ? 'boot' : 'probe', knownBad: false, ref: definition };
}

/** The strategies a campaign checks: in the order given (named) or registry order (a group), then the user's. */
export function selectStrategies(selection: StrategySelection): CheckedStrategy[] {
  const user = (selection.user ?? []).map(userStrategy);
  return [...builtins(selection, user.length > 0), ...user];
}

function builtins(selection: StrategySelection, haveUser: boolean): CheckedStrategy[] {
  const all = allStrategies();
  if ('all' in selection) {
    if (selection.all === 'all') return all;
    return all.filter((s) => s.knownBad === (selection.all === 'known-bad'));
  }
  if (!selection.strategy.length && !haveUser)
    throw new InputError('--strategy', 'name at least one strategy (or --strategy-file), or use --all, --all-correct or --all-known-bad');
  return selection.strategy.map((name) => {
    const s = all.find((x) => x.name === name);
    if (!s)
      throw new InputError(
        '--strategy',
        `unknown strategy "${name}"${didYouMean(
          name,
          all.map((x) => x.name),
        )} (known: ${all.map((x) => x.name).join(', ')})`,
      );
    return s;
  });
}
