import { describe, expect, it } from 'vitest';
import { loadScenario, loadStrategyFile } from '../../src/api/load-scenario.js';
import type { RunResult } from '../../src/api/result.js';
import { simulate } from '../../src/api/simulate.js';
import { BOOT_STRATEGIES } from '../../src/model/boot-strategies.js';
import { resolveScenario } from '../../src/model/scenario.js';
import { STRATEGIES } from '../../src/model/strategies.js';

/** One small node, an fsdax namespace with altmap and a 1 GiB-geometry devdax one: every probe step has work to do. */
const probeMachine = {
  name: 'user-strategy-probe',
  nodes: [{ id: 0, cores: 2, threadsPerCore: 2, dram: [{ start: '0', size: '4G' }] }],
  namespaces: [
    { name: 'pmem0', node: 0, size: '2G', mode: 'fsdax' },
    { name: 'dax0', node: 0, size: '4G', mode: 'devdax', geometry: '1G' },
  ],
};
const bootMachine = {
  name: 'user-strategy-boot',
  boot: { growZone: { node: 0, pages: 40000 } },
  nodes: [{ id: 0, cores: 4, threadsPerCore: 2, dram: [{ start: '0', size: '2G' }] }],
};

/** A result's JSON with the strategy name replaced, the user-defined mark dropped. */
function bytesOf(r: RunResult, name: string): string {
  const { strategyUserDefined, ...rest } = r;
  const renamed = (ran: string | null) => (ran === r.strategy ? name : ran);
  return JSON.stringify({ ...rest, strategy: name, strategies: { boot: renamed(r.strategies.boot), probe: renamed(r.strategies.probe) } });
}

describe('a user-written copy of a built-in strategy', () => {
  it.each([...STRATEGIES.values()].map((s) => s.name))('probe %s: same bytes as the built-in, except the name', (name) => {
    const s = STRATEGIES.get(name)!;
    const copy = {
      name: `my-${name}`,
      summary: s.summary,
      defaultThreads: s.defaultThreads,
      steps: [...s.steps],
      ...(s.peerSteps ? { peerSteps: [...s.peerSteps] } : {}),
    };
    const builtin = simulate(probeMachine, { strategy: name });
    const user = simulate(probeMachine, { strategy: copy });
    expect(user.strategy).toBe(`my-${name}`);
    expect(user.strategyUserDefined).toBe(true);
    expect(builtin.strategyUserDefined).toBeUndefined();
    expect(bytesOf(user, name)).toBe(JSON.stringify(builtin));
  });

  it.each([...BOOT_STRATEGIES.values()].map((s) => s.name))('boot %s: same bytes as the built-in, except the name', (name) => {
    const { status, userDefined, ...s } = BOOT_STRATEGIES.get(name)!;
    const copy = { ...s, name: `my-${name}`, family: 'boot' as const };
    const builtin = simulate(bootMachine, { strategy: name });
    const user = simulate(bootMachine, { strategy: copy });
    expect(user.strategyUserDefined).toBe(true);
    expect(bytesOf(user, name)).toBe(JSON.stringify(builtin));
  });

  it('docs/strategies/mt-outside-lock.yaml runs as outside-lock-mt does', () => {
    const def = loadStrategyFile('docs/strategies/mt-outside-lock.yaml');
    const { input, name } = loadScenario('seed000-pmem-4x128g');
    const user = simulate(input, { strategy: def, name });
    expect(user.strategy).toBe('my-mt-outside-lock');
    expect(bytesOf(user, 'outside-lock-mt')).toBe(JSON.stringify(simulate(input, { strategy: 'outside-lock-mt', name })));
  });
});

describe('a user-written bad strategy', () => {
  it('docs/strategies/publish-early.yaml is caught by I1, as bug-publish-early is', () => {
    const r = simulate(probeMachine, { strategy: loadStrategyFile('docs/strategies/publish-early.yaml') });
    expect(r.violations.map((v) => `${v.invariant} ${v.kind}`)).toContain('I1 dax-before-init');
  });

  it('a scenario-embedded strategy resizing outside the write lock is caught by I4', () => {
    const steps = [
      { kind: 'lock', mode: 'read' },
      { kind: 'activate' },
      { kind: 'resize' },
      { kind: 'unlock' },
      { kind: 'init' },
      { kind: 'ref-get-many' },
      { kind: 'publish' },
    ];
    const r = simulate({ ...probeMachine, strategy: { name: 'resize-under-read', steps } });
    expect(r.strategy).toBe('resize-under-read');
    expect(r.violations.map((v) => `${v.invariant} ${v.kind}`)).toContain('I4 resize-without-write-lock');
  });
});

describe('user boot strategies set padata min_chunk and max_threads', () => {
  it('maxThreads caps padata max_threads below the node CPUs', () => {
    const r = simulate(bootMachine, {
      strategy: { name: 'cap2', family: 'boot', align: 'section', maxThreads: 2, freeOrder: 'maxorder', growStop: 'section' },
    });
    expect(r.nodes[0].maxThreads).toBe(2);
    expect(r.violations).toEqual([]);
  });

  it('a min_chunk of the whole zone leaves one work (nworks = size / min_chunk)', () => {
    const r = simulate(bootMachine, {
      strategy: { name: 'big-chunks', family: 'boot', align: 'section', minChunk: 2 ** 20, freeOrder: 'maxorder', growStop: 'section' },
    });
    expect(r.nodes[0].threads).toBe(1);
    expect(simulate(bootMachine, { strategy: 'padata' }).nodes[0].threads).toBeGreaterThan(1);
  });
});

const steps = (...kinds: object[]) => kinds;
const L = { kind: 'lock', mode: 'write' } as const;
const U = { kind: 'unlock' };
const A = { kind: 'activate' };
const R = { kind: 'resize' };
const I = { kind: 'init' };
const P = { kind: 'publish' };
const G = { kind: 'ref-get-many' };
const good = [L, A, R, U, I, G, P];

/** Bad definitions, the error expected in the scenario's `strategy` field. */
const BAD: [string, object, string][] = [
  ['a bad lock mode', { name: 'x', steps: [{ kind: 'lock', mode: 'exclusive' }, ...good.slice(1)] }, 'strategy.steps[0].mode: must be one of write, read'],
  [
    'an unknown step kind',
    { name: 'x', steps: [...good, { kind: 'sleep' }] },
    'strategy.steps[7].kind: must be one of lock, unlock, activate, resize, init-hosting, init, ref-get-many, ref-put, publish',
  ],
  ['an unknown field in a step', { name: 'x', steps: [L, { kind: 'activate', oder: 'descending' }, R, U, I, G, P] }, 'strategy.steps[1].oder: unknown field'],
  ['a bad init pass', { name: 'x', steps: [L, A, R, U, { kind: 'init', pass: 3 }, G, P] }, 'strategy.steps[4].pass'],
  ['no name', { steps: good }, 'strategy.name: is required'],
  ['a built-in name', { name: 'outside-lock-mt', steps: good }, 'strategy.name: "outside-lock-mt" is a built-in strategy'],
  ['a built-in boot name', { name: 'padata', steps: good }, 'strategy.name: "padata" is a built-in strategy'],
  ['a status other than proposal', { name: 'x', status: 'mainline', steps: good }, 'strategy.status: must be proposal'],
  ['an unlock without a lock', { name: 'x', steps: steps(A, R, U, I, G, P) }, 'strategy.steps[2]: unlock without a lock held'],
  ['a lock never unlocked', { name: 'x', steps: steps(L, A, R, I, G, P) }, 'strategy.steps[0]: lock is never unlocked'],
  [
    'pgdat_resize_lock taken for read',
    { name: 'x', steps: steps(L, A, { kind: 'lock', lock: 'pgdat_resize', mode: 'read' }, R, { kind: 'unlock', lock: 'pgdat_resize' }, U, I, G, P) },
    'strategy.steps[2].mode: must be write for pgdat_resize_lock',
  ],
  [
    'an unlock of pgdat_resize_lock while only mem_hotplug_lock is held',
    { name: 'x', steps: steps(L, A, R, { kind: 'unlock', lock: 'pgdat_resize' }, I, G, P) },
    'strategy.steps[3]: unlock without pgdat_resize_lock held',
  ],
  ['bad peer steps', { name: 'x', steps: good, peerSteps: steps(A, R, U, I, G, P) }, 'strategy.peerSteps[2]: unlock without a lock held'],
  ['no init of the data pages', { name: 'x', steps: steps(L, A, R, U, G, P) }, 'strategy.steps: needs an init step with work full'],
  ['only the pgmap loop', { name: 'x', steps: steps(L, A, R, U, { kind: 'init', work: 'pgmap' }, G, P) }, 'strategy.steps: needs an init step with work full'],
  ['init before activate', { name: 'x', steps: steps(L, I, A, R, U, G, P) }, 'strategy.steps[1]: init before activate'],
  ['two activates', { name: 'x', steps: steps(L, A, A, R, U, I, G, P) }, 'strategy.steps[2]: a second activate step'],
  ['two pass-1 inits', { name: 'x', steps: steps(L, A, R, U, I, I, G, P) }, 'strategy.steps[5]: a second init pass 1 step'],
  ['no publish', { name: 'x', steps: steps(L, A, R, U, I, G) }, 'strategy.steps: needs a publish step'],
  ['no steps', { name: 'x', steps: [] }, 'strategy.steps: needs at least 1 item(s)'],
  ['too many steps', { name: 'x', steps: Array.from({ length: 65 }, () => G) }, 'strategy.steps: has more than 64 items'],
  ['absurd default threads', { name: 'x', defaultThreads: 1e6, steps: good }, 'strategy.defaultThreads: must be <= 1024'],
  ['a bad family', { name: 'x', family: 'probes', steps: good }, 'strategy.family: must be one of probe, boot'],
  ['a boot strategy without align', { name: 'x', family: 'boot', freeOrder: 'maxorder', growStop: 'section' }, 'strategy.align: is required'],
  [
    'a bad free order',
    { name: 'x', family: 'boot', align: 'page', freeOrder: 'random', growStop: 'section' },
    'strategy.freeOrder: must be one of maxorder, chunk, per-page',
  ],
  ['a zero min_chunk', { name: 'x', family: 'boot', align: 'page', minChunk: 0, freeOrder: 'chunk', growStop: 'section' }, 'strategy.minChunk'],
  [
    'max_threads without padata',
    { name: 'x', family: 'boot', threads: 'one', align: 'page', maxThreads: 4, freeOrder: 'chunk', growStop: 'section' },
    'strategy.maxThreads: applies only to threads: padata',
  ],
  ['a non-object', [good], 'strategy: must be an object defining a strategy'],
];

describe('bad user strategy definitions give one error naming the field', () => {
  it.each(BAD)('%s', (_what, strategy, message) => {
    let error: Error | undefined;
    try {
      resolveScenario({ ...probeMachine, strategy });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InputError');
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain('\n');
  });

  it('legal but wrong orders pass the definition rules (the invariants judge them)', () => {
    for (const s of [steps(L, A, R, U, G, P, I), steps(A, R, I, G, P), steps(L, A, R, U, I, P), steps(L, L, A, R, U, U, I, G, P)]) {
      expect(() => resolveScenario({ ...probeMachine, strategy: { name: 'legal', steps: s } })).not.toThrow();
    }
  });

  it('an option strategy names the option', () => {
    expect(() => resolveScenario(probeMachine, { strategy: { name: 'x', steps: [L] } })).toThrow(/^--strategy\.steps\[0\]: lock is never unlocked/);
  });
});

describe('named locks in the definition rules', () => {
  it('an unlock releases the last lock taken: lock, lock, unlock, unlock is balanced', () => {
    expect(() =>
      resolveScenario({ ...probeMachine, strategy: { name: 'nested', steps: [L, A, R, { kind: 'lock', mode: 'read' }, I, U, U, G, P] } }),
    ).not.toThrow();
  });
});
