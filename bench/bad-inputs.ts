/**
 * A table of bad inputs to the CLI, each with the field its one-line answer
 * must name: scenario documents (every level of the schema), files that are
 * not files, and the flags of every command. The test suite runs it
 * (test/cli/bad-input-table.test.ts); this file also runs it as a benchmark
 * of how fast each answer comes, in one process:
 *
 *   npm run build && node dist/bench/bad-inputs.js
 *
 * Prints one JSON document: cases, refused (exit 2, one line naming the
 * field), the slowest answers in ms, and any case that was not refused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

/** What the input is, the argv (built when run, files written then), the field the answer names. */
export type BadInput = readonly [what: string, argv: () => string[], field: string];

/** The table; files are written under `dir` when each argv is built. */
export function badInputs(dir: string): BadInput[] {
  let n = 0;
  const file = (content: unknown, ext = 'json') => {
    const p = join(dir, `c${n++}.${ext}`);
    writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  const node0 = { id: 0, cores: 2, dram: [{ start: '0', size: '4G' }] };
  const ns = (o: object = {}) => ({ name: 'a', node: 0, size: '1G', ...o });
  const sc = (o: object = {}) => ({ nodes: [node0], namespaces: [ns()], ...o });
  const boot = (o: object = {}) => ({ nodes: [{ id: 0, cores: 4, dram: [{ start: '0', size: '8G' }] }], boot: {}, ...o });
  const S = (what: string, doc: unknown, field: string): BadInput => [what, () => ['run', file(doc)], field];
  return [
    // scenario documents: top level
    S('a scenario that is an array', [], '(scenario)'),
    S('a scenario that is a number', 42, '(scenario)'),
    S('an unknown top-level field', sc({ nodez: [] }), 'nodez'),
    S('no nodes', { namespaces: [ns()] }, 'nodes'),
    S('nodes not an array', sc({ nodes: {} }), 'nodes'),
    S('an empty node list', sc({ nodes: [] }), 'nodes'),
    S('name not a string', sc({ name: 5 }), 'name'),
    S('seed not a number', sc({ seed: 'x' }), 'seed'),
    S('a negative seed', sc({ seed: -1 }), 'seed'),
    S('a fractional seed', sc({ seed: 1.5 }), 'seed'),
    S('explore "yes"', sc({ explore: 'yes' }), 'explore'),
    S('jitter above 1', sc({ jitter: 2 }), 'jitter'),
    S('jitter negative', sc({ jitter: -0.1 }), 'jitter'),
    S('threads 0', sc({ threads: 0 }), 'threads'),
    S('threads 100000', sc({ threads: 100000 }), 'threads'),
    S('threads fractional', sc({ threads: 2.5 }), 'threads'),
    S('an unknown strategy name', sc({ strategy: 'outsde-lock' }), 'strategy'),
    S('a strategy that is a number', sc({ strategy: 3 }), 'strategy'),
    S('a boot strategy in a probe-only scenario', sc({ strategy: 'padata' }), 'strategy'),
    S('an unknown profile name', sc({ profile: 'pmem-2081' }), 'profile'),
    S('a profile that is a number', sc({ profile: 42 }), 'profile'),
    S('a profile with an unknown parameter', sc({ profile: { base: 'pmem-2018', params: { pmemWriteGB: 1 } } }), 'profile'),
    S('a profile parameter that is a string', sc({ profile: { base: 'pmem-2018', params: { cpuNsPerPage: 'fast' } } }), 'profile'),
    S('a profile with a bad dramSharing', sc({ profile: { base: 'pmem-2018', dramSharing: 'fair' } }), 'dramSharing'),
    S('limits that is a string', sc({ limits: 'x' }), 'limits'),
    // nodes
    S('a node without an id', sc({ nodes: [{ cores: 2, dram: [{ start: '0', size: '4G' }] }] }), 'nodes[0].id'),
    S('a negative node id', sc({ nodes: [{ ...node0, id: -1 }] }), 'nodes[0].id'),
    S('two nodes with one id', sc({ nodes: [node0, { ...node0, dram: [{ start: '8G', size: '4G' }] }] }), 'nodes[1]'),
    S('zero cores', sc({ nodes: [{ ...node0, cores: 0 }] }), 'nodes[0].cores'),
    S('a million cores', sc({ nodes: [{ ...node0, cores: 1000000 }] }), 'nodes[0]'),
    S('fractional cores', sc({ nodes: [{ ...node0, cores: 1.5 }] }), 'nodes[0].cores'),
    S('16 threads per core', sc({ nodes: [{ ...node0, threadsPerCore: 16 }] }), 'nodes[0].threadsPerCore'),
    S('0 threads per core', sc({ nodes: [{ ...node0, threadsPerCore: 0 }] }), 'nodes[0].threadsPerCore'),
    S('an unknown node field', sc({ nodes: [{ ...node0, ram: [] }] }), 'nodes[0].ram'),
    S('dram not an array', sc({ nodes: [{ ...node0, dram: '4G' }] }), 'nodes[0].dram'),
    S('a DRAM range without a size', sc({ nodes: [{ ...node0, dram: [{ start: '0' }] }] }), 'nodes[0].dram[0].size'),
    S('a DRAM range without a start', sc({ nodes: [{ ...node0, dram: [{ size: '4G' }] }] }), 'nodes[0].dram[0].start'),
    S('a DRAM size with a bad unit', sc({ nodes: [{ ...node0, dram: [{ start: '0', size: '4X' }] }] }), 'nodes[0].dram[0].size'),
    S('a negative DRAM size', sc({ nodes: [{ ...node0, dram: [{ start: '0', size: '-4G' }] }] }), 'nodes[0].dram[0].size'),
    S('a zero DRAM size', sc({ nodes: [{ ...node0, dram: [{ start: '0', size: 0 }] }] }), 'nodes[0].dram[0].size'),
    S('a fractional-byte DRAM size', sc({ nodes: [{ ...node0, dram: [{ start: '0', size: '1.5B' }] }] }), 'nodes[0].dram[0].size'),
    S('a DRAM range with an unknown field', sc({ nodes: [{ ...node0, dram: [{ start: '0', size: '4G', end: '4G' }] }] }), 'nodes[0].dram[0].end'),
    S('DRAM beyond the 52-bit physical address space', sc({ nodes: [{ ...node0, dram: [{ start: '0', size: '8P' }] }] }), 'nodes[0].dram[0]'),
    S('a DRAM start beyond a safe integer', sc({ nodes: [{ ...node0, dram: [{ start: '0x1000000000000000000', size: '4G' }] }] }), 'nodes[0].dram[0].start'),
    S(
      'overlapping DRAM ranges',
      sc({
        nodes: [
          {
            ...node0,
            dram: [
              { start: '0', size: '4G' },
              { start: '2G', size: '4G' },
            ],
          },
        ],
      }),
      'nodes[0].dram[1]',
    ),
    S('a reserved range outside the node', sc({ nodes: [{ ...node0, reserved: [{ start: '16G', size: '1G' }] }] }), 'nodes[0].reserved[0]'),
    S('a reserved range of size 0', sc({ nodes: [{ ...node0, reserved: [{ start: '0', size: 0 }] }] }), 'nodes[0].reserved[0].size'),
    S('movable larger than the node', sc({ nodes: [{ ...node0, movable: '64G' }] }), 'nodes[0].movable'),
    S('movable negative', sc({ nodes: [{ ...node0, movable: '-1G' }] }), 'nodes[0].movable'),
    S('2,000 nodes', sc({ nodes: Array.from({ length: 2000 }, (_, i) => ({ id: i, cores: 1, dram: [{ start: `${i * 4}G`, size: '4G' }] })) }), 'nodes'),
    // namespaces
    S('a namespace without a name', sc({ namespaces: [{ node: 0, size: '1G' }] }), 'namespaces[0].name'),
    S('a namespace name in capitals', sc({ namespaces: [ns({ name: 'PMEM0' })] }), 'namespaces[0].name'),
    S('a namespace name with a slash', sc({ namespaces: [ns({ name: 'a/b' })] }), 'namespaces[0].name'),
    S('two namespaces with one name', sc({ namespaces: [ns(), ns({ start: '16G' })] }), 'namespaces[1]'),
    S('a namespace on a node that does not exist', sc({ namespaces: [ns({ node: 3 })] }), 'namespaces[0].node'),
    S('a namespace without a size', sc({ namespaces: [{ name: 'a', node: 0 }] }), 'namespaces[0].size'),
    S('a namespace size of 1 MiB', sc({ namespaces: [ns({ size: '1M' })] }), 'namespaces[0].size'),
    S('a namespace size with a bad unit', sc({ namespaces: [ns({ size: '1Q' })] }), 'namespaces[0].size'),
    S('a namespace size that is a boolean', sc({ namespaces: [ns({ size: true })] }), 'namespaces[0].size'),
    S('a namespace start not 2 MiB aligned', sc({ namespaces: [ns({ start: '8193M' })] }), 'namespaces[0].start'),
    S('a namespace overlapping DRAM', sc({ namespaces: [ns({ start: '2G' })] }), 'namespaces[0]'),
    S('a namespace beyond the physical address space', sc({ namespaces: [ns({ start: '4P', size: '1P' })] }), 'namespaces[0]'),
    S('a mode that is mistyped', sc({ namespaces: [ns({ mode: 'devdx' })] }), 'namespaces[0].mode'),
    S('altmap "yes"', sc({ namespaces: [ns({ altmap: 'yes' })] }), 'namespaces[0].altmap'),
    S('an align that is not a power of two', sc({ namespaces: [ns({ align: '3M' })] }), 'namespaces[0].align'),
    S('an align below 2 MiB', sc({ namespaces: [ns({ align: '4K' })] }), 'namespaces[0].align'),
    S('a geometry on an fsdax namespace', sc({ namespaces: [ns({ geometry: '2M' })] }), 'namespaces[0].geometry'),
    S('a mistyped geometry', sc({ namespaces: [ns({ mode: 'devdax', geometry: '2G' })] }), 'namespaces[0].geometry'),
    S('a 1G geometry with a 2M align', sc({ namespaces: [ns({ mode: 'devdax', geometry: '1G', align: '2M' })] }), 'namespaces[0].align'),
    S('a namespace with an unknown field', sc({ namespaces: [ns({ sise: '1G' })] }), 'namespaces[0].sise'),
    S('vmemmapOom with both fields', sc({ namespaces: [ns({ vmemmapOom: { afterPages: 1, sectionIndex: 0 } })] }), 'namespaces[0].vmemmapOom'),
    S('vmemmapOom with neither field', sc({ namespaces: [ns({ vmemmapOom: {} })] }), 'namespaces[0].vmemmapOom'),
    S('vmemmapOom past the last section', sc({ namespaces: [ns({ vmemmapOom: { sectionIndex: 100 } })] }), 'namespaces[0].vmemmapOom'),
    S('a negative vmemmapOom page count', sc({ namespaces: [ns({ vmemmapOom: { afterPages: -1 } })] }), 'namespaces[0].vmemmapOom.afterPages'),
    // boot
    S('boot that is a string', boot({ boot: 'yes' }), 'boot'),
    S('a boot section with an unknown field', boot({ boot: { grow: 1 } }), 'boot.grow'),
    S('growZone on a node that does not exist', boot({ boot: { growZone: { node: 5, pages: 100 } } }), 'boot.growZone.node'),
    S('growZone larger than the node', boot({ boot: { growZone: { node: 0, pages: 1e9 } } }), 'boot.growZone.pages'),
    S('growZone of zero pages', boot({ boot: { growZone: { node: 0, pages: 0 } } }), 'boot.growZone.pages'),
    S('a probe strategy in a boot-only scenario', boot({ strategy: 'serial' }), 'strategy'),
    // constants
    S('pageblockOrder above maxPageOrder', sc({ constants: { pageblockOrder: 12, maxPageOrder: 10 } }), 'constants'),
    S('pageShift 20', sc({ constants: { pageShift: 20 } }), 'constants.pageShift'),
    S('a struct page of 8 bytes', sc({ constants: { structPageBytes: 8 } }), 'constants.structPageBytes'),
    S('sectionSizeBits 50', sc({ constants: { sectionSizeBits: 50 } }), 'constants.sectionSizeBits'),
    S('an unknown constant', sc({ constants: { pageSize: 4096 } }), 'constants.pageSize'),
    S('a max-order block larger than a section', sc({ constants: { maxPageOrder: 18 } }), 'constants'),
    // strategy objects
    S('a strategy object without steps', sc({ strategy: { name: 'mine' } }), 'strategy'),
    S('a strategy step of an unknown kind', sc({ strategy: { name: 'mine', steps: [{ kind: 'jump' }] } }), 'strategy.steps[0]'),
    S('a strategy lock step with a bad mode', sc({ strategy: { name: 'mine', steps: [{ kind: 'lock', mode: 'exclusive' }] } }), 'strategy.steps[0].mode'),
    S('a strategy that never publishes', sc({ strategy: { name: 'mine', steps: [{ kind: 'activate' }] } }), 'strategy'),
    // files and documents
    ['a scenario file that does not exist', () => ['run', join(dir, 'none.json')], 'scenario'],
    ['a folder as the scenario', () => ['run', dir], 'scenario'],
    ['/dev/zero as the scenario', () => ['run', '/dev/zero'], 'scenario'],
    ['invalid JSON', () => ['run', file('{"nodes": [')], 'scenario'],
    ['invalid YAML', () => ['run', file('nodes: [\n  - id: 0\n   cores: x', 'yaml')], 'scenario'],
    ['a scenario file over 4 MiB', () => ['run', file(' '.repeat(5 * 2 ** 20))], 'scenario'],
    ['a mistyped built-in scenario', () => ['run', 'seed000-pmem-12g'], 'scenario'],
    // CLI flags
    ['--threads 0', () => ['run', 'seed000-pmem-128g', '--threads', '0'], '--threads'],
    ['--threads x', () => ['run', 'seed000-pmem-128g', '--threads', 'x'], '--threads'],
    ['--threads 100000', () => ['run', 'seed000-pmem-128g', '--strategy', 'async8', '--threads', '100000'], '--threads'],
    ['--seed -1', () => ['run', 'seed000-pmem-128g', '--seed', '-1'], '--seed'],
    ['--seed 1.5', () => ['run', 'seed000-pmem-128g', '--seed', '1.5'], '--seed'],
    ['a mistyped --strategy', () => ['run', 'seed000-pmem-128g', '--strategy', 'outsde-lock'], '--strategy'],
    ['a boot --strategy on a probe scenario', () => ['run', 'seed000-pmem-128g', '--strategy', 'padata'], '--strategy'],
    ['a probe --strategy on a boot scenario', () => ['compare', 'seed003-skylake-768g', '--strategy', 'serial', '--strategy', 'padata'], '--strategy'],
    ['--geometry 3M', () => ['run', 'seed002-devdax-128g', '--geometry', '3M'], '--geometry'],
    ['--geometry 2M on an fsdax scenario', () => ['run', 'seed000-pmem-128g', '--geometry', '2M'], '--geometry'],
    ['--profile that does not exist', () => ['run', 'seed000-pmem-128g', '--profile', join(dir, 'none.json')], '--profile'],
    ['--profile with an unknown key', () => ['run', 'seed000-pmem-128g', '--profile', file({ cpuNsPerPage: 1 })], '--profile'],
    [
      '--profile with hotplugLockWriteNs 1e30',
      () => ['run', 'seed000-pmem-128g', '--profile', file({ base: 'pmem-2018', params: { hotplugLockWriteNs: 1e30 } })],
      '--profile',
    ],
    [
      '--profile with pmemWriteGBs 1e-300',
      () => ['run', 'seed000-pmem-128g', '--profile', file({ base: 'pmem-2018', params: { pmemWriteGBs: 1e-300 } })],
      '--profile',
    ],
    [
      '--profile with a negative parameter',
      () => ['run', 'seed000-pmem-128g', '--profile', file({ base: 'pmem-2018', params: { cpuNsPerPage: -1 } })],
      '--profile',
    ],
    ['--profile with an unknown base', () => ['run', 'seed000-pmem-128g', '--profile', file({ base: 'pmem-2081' })], '--profile'],
    ['--strategy-file with no steps', () => ['run', 'seed000-pmem-128g', '--strategy-file', file({ name: 'x' })], '--strategy-file'],
    ['--strategy-file that is a FIFO-like device', () => ['run', 'seed000-pmem-128g', '--strategy-file', '/dev/null'], '--strategy-file'],
    ['compare with no strategy', () => ['compare', 'seed000-pmem-128g', '--strategy'], '--strategy'],
    ['sweep --threads 1-10000000', () => ['sweep', 'seed003-skylake-768g', '--threads', '1-10000000'], '--threads'],
    [
      'sweep --threads with 60,000 items',
      () => ['sweep', 'seed003-skylake-768g', '--threads', Array.from({ length: 60000 }, () => '2').join(',')],
      '--threads',
    ],
    ['sweep --threads backwards range', () => ['sweep', 'seed003-skylake-768g', '--threads', '8-1'], '--threads'],
    ['sweep --threads empty', () => ['sweep', 'seed003-skylake-768g', '--threads', ''], '--threads'],
    ['sweep on a scenario without boot', () => ['sweep', 'seed000-pmem-128g', '--threads', '1,2'], 'scenario'],
    ['calibrate with 10^11 threads', () => ['calibrate', 'seed003-skylake-768g', '--measure', '100000000000:1s'], '--measure'],
    ['calibrate with a negative time', () => ['calibrate', 'seed003-skylake-768g', '--measure', '2:-1s'], '--measure'],
    ['calibrate with a NaN time', () => ['calibrate', 'seed003-skylake-768g', '--measure', '2:NaNs'], '--measure'],
    ['calibrate with no measurement', () => ['calibrate', 'seed003-skylake-768g'], '--measure'],
    ['check --runs 0', () => ['check', '--strategy', 'serial', '--runs', '0'], '--runs'],
    ['check --scope tny', () => ['check', '--strategy', 'serial', '--scope', 'tny'], '--scope'],
    ['check --shard 3/2', () => ['check', '--strategy', 'serial', '--shard', '3/2'], '--shard'],
    ['check --shard x', () => ['check', '--strategy', 'serial', '--shard', 'x'], '--shard'],
    ['check --workers -1', () => ['check', '--strategy', 'serial', '--workers', '-1'], '--workers'],
    ['check with a mistyped strategy', () => ['check', '--strategy', 'padta'], '--strategy'],
    ['merge of a file that is not JSON', () => ['merge', file('not json')], 'FILES[0]'],
    ['merge of /dev/zero', () => ['merge', '/dev/zero'], 'FILES[0]'],
    ['vmemmap --size 0', () => ['vmemmap', '--size', '0', '--geometry', '2M'], '--size'],
    ['vmemmap --size x', () => ['vmemmap', '--size', 'x', '--geometry', '2M'], '--size'],
    ['vmemmap --geometry 2N', () => ['vmemmap', '--size', '1G', '--geometry', '2N'], '--geometry'],
    ['run --choices x', () => ['run', 'seed000-pmem-128g', '--choices', 'x'], '--choices'],
    ['run --quantum -5', () => ['run', 'seed000-pmem-128g', '--quantum', '-5'], '--quantum'],
    ['scenario from-dmesg of /dev/zero', () => ['scenario', 'from-dmesg', '/dev/zero'], '/dev/zero'],
    ['scenario from-dmesg of a log without memory lines', () => ['scenario', 'from-dmesg', file('hello\nworld\n', 'log')], '.log'],
  ];
}

export interface Answer {
  readonly code: number;
  readonly out: string;
  readonly lines: readonly string[];
  readonly ms: number;
}

/** Runs the CLI in this process, capturing stdout and stderr. */
export async function answer(argv: string[]): Promise<Answer> {
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => ((out += String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((err += String(c)), true)) as typeof process.stderr.write;
  const start = performance.now();
  try {
    const code = await main(argv);
    return { code, out, lines: err.replace(/\n$/, '').split('\n'), ms: performance.now() - start };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-sim-bad-'));
  try {
    const rows: { what: string; ms: number; refused: boolean; line: string }[] = [];
    for (const [what, argv, field] of badInputs(dir)) {
      const a = await answer(argv());
      const refused = a.code === 2 && a.out === '' && a.lines.length === 1 && a.lines[0].includes(field);
      rows.push({ what, ms: Math.round(a.ms), refused, line: a.lines[0] });
    }
    const slowest = [...rows].sort((x, y) => y.ms - x.ms).slice(0, 5);
    const doc = { cases: rows.length, refused: rows.filter((r) => r.refused).length, goalMs: 2000, slowest, notRefused: rows.filter((r) => !r.refused) };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bench();
