/**
 * Exports every actor kind's statechart to docs/statecharts/:
 * - <kind>.json: the machine's definition (machine.toJSON()) with functions
 *   stripped, plus the eventless (`always`) transitions, which XState keeps
 *   outside the definition;
 * - <kind>.md: a mermaid stateDiagram-v2 generated from it (states,
 *   transitions labelled with their event, guard and named actions);
 * - README.md: the list, and how to watch the machines live.
 *
 * Every machines/<group>/*.machine.ts file is imported (from the build), and every
 * export of it that is a state machine is written. The kind is the file name
 * (namespace.machine.ts -> namespace). `generateStatecharts` returns the files
 * without writing them (test/machines/statecharts-current.test.ts compares
 * them with docs/statecharts/); run as a script, it writes them and removes
 * the charts of kinds that are gone.
 *
 *   npm run statecharts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../src/api/load-scenario.js';

/** The parts of XState's StateNode and transition objects this script reads. */
interface Guard {
  readonly type?: string;
  readonly params?: unknown;
}
interface Transition {
  readonly eventType: string;
  readonly target?: readonly { readonly id: string }[] | readonly string[];
  readonly guard?: string | Guard | ((...a: unknown[]) => unknown);
  readonly actions?: readonly unknown[];
  readonly reenter?: boolean;
  readonly delay?: unknown;
}
interface StateNodeLike {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  readonly initial?: { readonly target: readonly { readonly id: string }[] };
  readonly states: Record<string, StateNodeLike>;
  readonly transitions: Map<string, readonly Transition[]> | readonly Transition[];
  readonly always?: readonly Transition[];
  readonly entry: readonly unknown[];
  readonly exit: readonly unknown[];
}
interface MachineLike {
  readonly id: string;
  readonly root: StateNodeLike;
  toJSON(): unknown;
}

const isMachine = (x: unknown): x is MachineLike =>
  typeof x === 'object' && x !== null && 'root' in x && 'definition' in x && typeof (x as { toJSON?: unknown }).toJSON === 'function';

/** A function in a definition: XState's built-in actions carry a `type`; anything else is inline. */
function fnName(f: (...a: unknown[]) => unknown): string {
  const t = (f as unknown as { type?: unknown }).type;
  if (typeof t === 'string') return t;
  return f.name && f.name !== 'guard' && f.name !== 'anonymous' ? `inline:${f.name}` : 'inline';
}

/** JSON with every function replaced by its name (built-in action type or `inline`), `toJSON` helpers dropped. */
function stripFunctions(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, function (this: unknown, key, v: unknown) {
      if (key === 'toJSON') return undefined;
      if (typeof v === 'function') return fnName(v as (...a: unknown[]) => unknown);
      return v;
    }),
  );
}

function guardLabel(g: Transition['guard']): string | null {
  if (g === undefined) return null;
  if (typeof g === 'string') return g;
  if (typeof g === 'function') return fnName(g as (...a: unknown[]) => unknown);
  const params = g.params && typeof g.params === 'object' ? Object.entries(g.params as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`) : [];
  return `${g.type ?? 'guard'}${params.length ? `(${params.join(', ')})` : ''}`;
}

function actionNames(actions: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const a of actions ?? []) {
    if (typeof a === 'string') out.push(a);
    else if (typeof a === 'function') {
      const n = fnName(a as (...x: unknown[]) => unknown);
      out.push(n === 'xstate.assign' ? 'assign' : n.replace(/^xstate\./, ''));
    } else if (a && typeof a === 'object' && typeof (a as { type?: unknown }).type === 'string') out.push((a as { type: string }).type);
  }
  return out;
}

const targetIds = (t: Transition): string[] => (t.target ?? []).map((x) => (typeof x === 'string' ? x.replace(/^#/, '') : x.id));

function eventLabel(t: Transition, always: boolean): string {
  if (always) return 'always';
  const m = /^xstate\.after\.(.+?)\.[^.]*?\..*$/.exec(t.eventType) ?? /^xstate\.after\.([^.]+)/.exec(t.eventType);
  return m ? `after ${m[1]}` : t.eventType;
}

function transitionsOf(node: StateNodeLike): Transition[] {
  const ts = node.transitions instanceof Map ? [...node.transitions.values()].flat() : [...node.transitions];
  return ts;
}

/** Mermaid ids may not contain dots or dashes. */
const mid = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

/** Label text: mermaid stops a label at a colon and chokes on braces and semicolons. */
const clean = (s: string) =>
  s
    .replace(/[:;{}#]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The id of the closest state that contains both (mermaid draws an edge inside that state's block). */
function commonParent(a: string, b: string): string {
  const pa = a.split('.');
  const pb = b.split('.');
  let i = 0;
  while (i < pa.length - 1 && i < pb.length - 1 && pa[i] === pb[i]) i++;
  return pa.slice(0, Math.max(1, i)).join('.');
}

function mermaid(machine: MachineLike): string {
  const edges = new Map<string, string[]>();
  const collect = (node: StateNodeLike) => {
    const all: [Transition, boolean][] = [
      ...transitionsOf(node).map((t) => [t, false] as [Transition, boolean]),
      ...(node.always ?? []).map((t) => [t, true] as [Transition, boolean]),
    ];
    for (const [t, always] of all) {
      const targets = targetIds(t);
      const guard = guardLabel(t.guard);
      const acts = actionNames(t.actions);
      const label = clean(`${eventLabel(t, always)}${guard ? ` [${guard}]` : ''}${acts.length ? ` / ${acts.join(', ')}` : ''}`);
      // A targetless transition runs its actions and stays: drawn as a loop.
      for (const to of targets.length ? targets : [node.id]) {
        const block = to === node.id ? commonParent(node.id, node.id) : commonParent(node.id, to);
        if (!edges.has(block)) edges.set(block, []);
        edges.get(block)!.push(`${mid(node.id)} --> ${mid(to)} : ${label}`);
      }
    }
    for (const child of Object.values(node.states)) collect(child);
  };
  collect(machine.root);
  const lines: string[] = ['stateDiagram-v2'];
  const walk = (node: StateNodeLike, indent: string) => {
    const initial = node.initial?.target?.[0]?.id;
    if (initial) lines.push(`${indent}[*] --> ${mid(initial)}`);
    for (const child of Object.values(node.states)) {
      if (Object.keys(child.states).length) {
        lines.push(`${indent}state ${mid(child.id)} {`);
        walk(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}state "${child.key}" as ${mid(child.id)}`);
      }
    }
    for (const e of edges.get(node.id) ?? []) lines.push(`${indent}${e}`);
  };
  walk(machine.root, '  ');
  return lines.join('\n');
}

function definitionJson(machine: MachineLike): unknown {
  const def = stripFunctions(machine.toJSON()) as Record<string, unknown>;
  // XState leaves eventless transitions out of the definition; put them back per state.
  const addAlways = (node: StateNodeLike, json: Record<string, unknown>) => {
    if (node.always?.length) {
      json.always = node.always.map((t) =>
        stripFunctions({ target: targetIds(t).map((id) => `#${id}`), guard: t.guard, actions: t.actions ?? [], reenter: t.reenter ?? false }),
      );
    }
    const states = (json.states ?? {}) as Record<string, Record<string, unknown>>;
    for (const [key, child] of Object.entries(node.states)) if (states[key]) addAlways(child, states[key]);
  };
  addAlways(machine.root, def);
  return def;
}

function entryExit(node: StateNodeLike): string[] {
  const out: string[] = [];
  const visit = (n: StateNodeLike) => {
    const entry = actionNames(n.entry);
    const exit = actionNames(n.exit);
    if (entry.length || exit.length) {
      out.push(`| \`${n.id}\` | ${entry.map((a) => `\`${a}\``).join(', ') || '-'} | ${exit.map((a) => `\`${a}\``).join(', ') || '-'} |`);
    }
    for (const c of Object.values(n.states)) visit(c);
  };
  visit(node);
  return out;
}

/** A file the generator writes: its path from the package root and its text. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

interface Chart {
  readonly kind: string;
  readonly exportName: string;
  readonly file: string;
  readonly states: number;
}

export const STATECHARTS_DIR = 'docs/statecharts';

function chartMarkdown(kind: string, exportName: string, source: string, machine: MachineLike): string {
  const ee = entryExit(machine.root);
  return [
    `# ${kind}`,
    '',
    `Generated by \`bench/export-statecharts.ts\` from \`${exportName}\` in \`${source}\`; do not edit.`,
    'Labels read `EVENT [guard] / actions`; `always` is an eventless transition, `after X` a delayed one;',
    'a loop on a state is a transition that runs its actions without changing state.',
    '',
    '```mermaid',
    mermaid(machine),
    '```',
    ...(ee.length ? ['', '| State | Entry actions | Exit actions |', '|---|---|---|', ...ee] : []),
    '',
    `The definition as JSON: [${kind}.json](${kind}.json).`,
    '',
  ].join('\n');
}

/** Every machine file under the folder, the same order for sources (.ts) and the build (.js). */
function machineFiles(machinesDir: string): string[] {
  return readdirSync(machinesDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.machine\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .sort((a, b) => basename(a).localeCompare(basename(b)));
}

/**
 * The statecharts of every machine under `machinesDir`: dist/machines (the
 * build) or machines/ (the sources, under a TypeScript loader such as vitest).
 */
export async function generateStatecharts(machinesDir = join(PACKAGE_ROOT, 'dist', 'machines')): Promise<GeneratedFile[]> {
  const out: GeneratedFile[] = [];
  const charts: Chart[] = [];
  for (const f of machineFiles(machinesDir)) {
    const mod = (await import(pathToFileURL(join(machinesDir, f)).href)) as Record<string, unknown>;
    const machines = Object.entries(mod).filter(([, v]) => isMachine(v)) as [string, MachineLike][];
    const base = basename(f).replace(/\.machine\.(js|ts)$/, '');
    for (const [exportName, machine] of machines) {
      const kind = machines.length === 1 ? base : `${base}-${exportName.replace(/Machine$/, '')}`;
      const source = `machines/${f.replace(/\.js$/, '.ts').split('\\').join('/')}`;
      out.push({ path: `${STATECHARTS_DIR}/${kind}.json`, content: `${JSON.stringify(definitionJson(machine), null, 2)}\n` });
      out.push({ path: `${STATECHARTS_DIR}/${kind}.md`, content: chartMarkdown(kind, exportName, source, machine) });
      const count = (n: StateNodeLike): number => 1 + Object.values(n.states).reduce((a, c) => a + count(c), 0);
      charts.push({ kind, exportName, file: source, states: count(machine.root) - 1 });
    }
  }
  out.push({ path: `${STATECHARTS_DIR}/README.md`, content: readme(charts) });
  return out;
}

function readme(charts: readonly Chart[]): string {
  return [
    '# Statecharts',
    '',
    'One XState v5 statechart per actor kind, exported from the machines by',
    '`bench/export-statecharts.ts`. Regenerate after changing a machine (a test',
    'fails while these files differ from the machines):',
    '',
    '```',
    'npm run statecharts',
    '```',
    '',
    'Each kind has a `.md` file with a mermaid `stateDiagram-v2` (GitHub renders it)',
    'and a `.json` file with the machine definition (`machine.toJSON()`, functions',
    'replaced by their names, eventless `always` transitions added per state).',
    '',
    '| Kind | Machine | Source | States | Diagram | Definition |',
    '|---|---|---|---|---|---|',
    ...charts.map((w) => `| ${w.kind} | \`${w.exportName}\` | \`${w.file}\` | ${w.states} | [${w.kind}.md](${w.kind}.md) | [${w.kind}.json](${w.kind}.json) |`),
    '',
    'What each actor does, its `systemId` scheme and its messages:',
    '[../architecture.md](../architecture.md).',
    '',
    ...GRAPH_SECTION,
    ...INSPECTOR_SECTION,
  ].join('\n');
}

/** How to walk a machine with xstate/graph from the package. */
const GRAPH_SECTION = [
  '## Walking the machines with xstate/graph',
  '',
  'The machines are exported from `memmap-sim/machines` (`MACHINES` maps each',
  'kind above to its machine), so `xstate/graph` (in the `xstate` package) can',
  'walk them: `getShortestPaths`, `getSimplePaths`, `createTestModel`. Every',
  "machine's input carries a `SimEnv`: the virtual clock, the trace sink, the",
  'resolved scenario (its costs) and the seeded random source. The machines',
  'compute their steps in pure transitions and emit trace events only from',
  'named actions, so a walk of pure transitions emits nothing. Events that',
  'carry a reply address (`ref`, `replyTo`) need an actor; any one will do,',
  'as a walk never sends:',
  '',
  '```ts',
  "import { createActor, fromTransition } from 'xstate';",
  "import { getShortestPaths } from 'xstate/graph';",
  "import { loadScenario, resolveScenario, SeededRandom, VirtualClock } from 'memmap-sim';",
  "import { MACHINES, type SimEnv } from 'memmap-sim/machines';",
  '',
  "const { input, name } = loadScenario('seed000-pmem-128g');",
  'const scenario = resolveScenario(input, {}, name);',
  'const random = new SeededRandom(scenario.seed);',
  'const env: SimEnv = { clock: new VirtualClock(random), emit: () => {}, scenario, random, cost: (ns) => ns };',
  'const ref = createActor(fromTransition((s) => s, null)).start();',
  '',
  "const lock = MACHINES.get('hotplug-lock')!;",
  'const paths = getShortestPaths(lock, {',
  "  input: { env, name: 'mem_hotplug_lock' },",
  '  events: [',
  "    { type: 'ACQUIRE', holder: 'pmem0', mode: 'write', ref },",
  "    { type: 'ACQUIRE', holder: 'pmem1', mode: 'read', ref },",
  "    { type: 'RELEASE', holder: 'pmem0' },",
  "    { type: 'RELEASE', holder: 'pmem1' },",
  '  ],',
  '  // ask once, release only what is held: keeps the walk finite',
  '  filterEvents: ({ context: c }, e) => {',
  '    const holds = c.writer === e.holder || c.readers.includes(e.holder);',
  "    return e.type === 'RELEASE' ? holds : !holds && !c.queue.some((w) => w.holder === e.holder);",
  '  },',
  '  // tell states apart by value and context, without the env',
  '  serializeState: (s) => JSON.stringify({ value: s.value, context: { ...s.context, env: undefined } }),',
  '});',
  "for (const p of paths) console.log(JSON.stringify(p.state.value), p.steps.map((s) => s.event.type).join(' -> '));",
  '```',
  '',
  'xstate/graph tells states apart by the key `serializeState` gives them, so',
  'a walk ends only if the sample events cannot grow the context without',
  'bound (hence `filterEvents` above). In this repository,',
  '`test/machines/model-helpers.ts` does this for every machine and replays',
  'each path on a real actor.',
  '',
];

/** How to watch a run in the Stately inspector. */
const INSPECTOR_SECTION = [
  '## Watching a run live in the Stately inspector',
  '',
  '`simulate(scenario, { inspect })` and `createSimulation(scenario, { inspect })`',
  "pass `inspect` to XState's `createActor`, so any XState inspection observer",
  'sees every actor of the run, its events and its snapshots. The Stately',
  'inspector is one such observer. `@statelyai/inspect` is not a dependency of',
  'memmap-sim; install it in your own project:',
  '',
  '```',
  'npm install @statelyai/inspect',
  '```',
  '',
  'In a browser (a bundled page), `createBrowserInspector` opens the inspector in',
  'a new window:',
  '',
  '```ts',
  "import { createBrowserInspector } from '@statelyai/inspect';",
  "import { simulate } from 'memmap-sim';",
  '',
  'const { inspect } = createBrowserInspector();',
  'const result = simulate(myScenario, { strategy: "async8", inspect });',
  '```',
  '',
  'From Node, `createWebSocketInspector` (same package) serves the events to the',
  'inspector over a WebSocket. Two caveats:',
  '',
  '- the run loop drives the virtual clock synchronously, so the inspector',
  '  receives the whole run at once, stamped with wall-clock times of the run,',
  '  not simulated nanoseconds; use the trace stream (`createSimulation(...).trace$`)',
  '  for simulated times;',
  '- keep the scenario small (one 128G namespace, say): every actor and event is',
  '  sent to the inspector.',
  '',
];

/** Writes the charts and removes those of kinds that no longer exist. */
async function main(): Promise<void> {
  const files = await generateStatecharts();
  const outDir = join(PACKAGE_ROOT, STATECHARTS_DIR);
  mkdirSync(outDir, { recursive: true });
  const keep = new Set(files.map((f) => basename(f.path)));
  for (const f of readdirSync(outDir)) if (!keep.has(f) && /\.(json|md)$/.test(f)) rmSync(join(outDir, f));
  for (const f of files) writeFileSync(join(PACKAGE_ROOT, f.path), f.content);
  process.stdout.write(`${files.map((f) => f.path).join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`export-statecharts: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
