import { BOOT_STRATEGIES } from '../../model/boot-strategies.js';
import { InputError } from '../../model/input-error.js';
import { STRATEGIES } from '../../model/strategies.js';

/** Probe strategies run on pmem machines, boot strategies on boot machines. */
export type Family = 'probe' | 'boot';

export interface CheckedStrategy {
  readonly name: string;
  readonly family: Family;
  readonly knownBad: boolean;
}

/** Every built-in strategy, probe ones first, in registry order. */
export function allStrategies(): CheckedStrategy[] {
  return [
    ...[...STRATEGIES.values()].map((s) => ({ name: s.name, family: 'probe' as const, knownBad: s.status === 'known-bad' })),
    ...[...BOOT_STRATEGIES.values()].map((s) => ({ name: s.name, family: 'boot' as const, knownBad: s.status === 'known-bad' })),
  ];
}

export type StrategySelection = { readonly strategy: readonly string[] } | { readonly all: 'all' | 'correct' | 'known-bad' };

/** The strategies a campaign checks, in the order given (named) or registry order (a group). */
export function selectStrategies(selection: StrategySelection): CheckedStrategy[] {
  const all = allStrategies();
  if ('all' in selection) {
    if (selection.all === 'all') return all;
    return all.filter((s) => s.knownBad === (selection.all === 'known-bad'));
  }
  if (!selection.strategy.length) throw new InputError('--strategy', 'name at least one strategy, or use --all, --all-correct or --all-known-bad');
  return selection.strategy.map((name) => {
    const s = all.find((x) => x.name === name);
    if (!s) throw new InputError('--strategy', `unknown strategy "${name}" (known: ${all.map((x) => x.name).join(', ')})`);
    return s;
  });
}
