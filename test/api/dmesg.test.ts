/** The boot-log parser on synthetic lines: prefixes, each source of memory and CPUs, and refusals. */
import { describe, expect, it } from 'vitest';
import { parseBootLog, scenarioFromLog, stripPrefix } from '../../src/api/dmesg/index.js';
import { InputError } from '../../src/model/input-error.js';
import { parseScenario } from '../../src/model/scenario.js';

const early = [
  'Early memory node ranges',
  '  node   0: [mem 0x0000000000001000-0x000000000009efff]',
  '  node   0: [mem 0x0000000000100000-0x00000000bfffffff]',
  '  node   1: [mem 0x0000000100000000-0x000000023fffffff]',
];
const srat = [
  'SRAT: PXM 0 -> APIC 0x00 -> Node 0',
  'SRAT: PXM 1 -> APIC 0x02 -> Node 1',
  'SRAT: PXM 0 -> APIC 0x01 -> Node 0',
  'SRAT: PXM 1 -> APIC 0x03 -> Node 1',
];
const deferred = ['node 0 deferred pages initialised in 40ms', 'node 1 deferred pages initialised in 52ms'];

const stamp = (lines: string[]) => lines.map((l, i) => `[    0.${String(i).padStart(6, '0')}] ${l}`);
const refusal = (text: string) => {
  try {
    parseBootLog(text, 'boot.log');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('not refused');
};

describe('prefixes', () => {
  it.each([
    ['[    0.000000] Linux version 6.1.0', 'Linux version 6.1.0'],
    ['<6>[ 1234.567890] node 0 deferred', 'node 0 deferred'],
    ['<6>Memory: 1K/2K', 'Memory: 1K/2K'],
    ['[    0.000000][    T0] SRAT: PXM 0', 'SRAT: PXM 0'],
    ['Dec  1 23:10:53 host kernel: [    1.000000] smp: Brought up', 'smp: Brought up'],
    ['2026-12-01T23:10:53.123456+00:00 host kernel: NUMA: Node 0', 'NUMA: Node 0'],
    ['kern  :info  : [    0.5] Zone ranges:', 'Zone ranges:'],
    ['\x1bc\x1b[2J[    0.000000] Linux version 6.1', 'Linux version 6.1'],
    ['Probing EDD... ok[    0.000000] Linux version 6.1', 'Linux version 6.1'],
    ['  node   0: [mem 0x1000-0x9efff]\r', '  node   0: [mem 0x1000-0x9efff]'],
  ])('%j -> %j', (raw, text) => expect(stripPrefix(raw)).toBe(text));
});

describe('node memory', () => {
  it('from "Early memory node ranges", with or without timestamps, the same', () => {
    const lines = [...early, ...srat, 'smp: Brought up 2 nodes, 4 CPUs', ...deferred];
    const plain = parseBootLog(lines.join('\n'), 'a.log');
    const stamped = parseBootLog(stamp(lines).join('\n'), 'a.log');
    expect([...plain.memory.nodes]).toEqual([
      [
        0,
        [
          { start: 0x1000, end: 0x9f000 },
          { start: 0x100000, end: 0xc0000000 },
        ],
      ],
      [1, [{ start: 0x100000000, end: 0x240000000 }]],
    ]);
    expect(stamped.memory.nodes).toEqual(plain.memory.nodes);
    expect([...plain.cpus.perNode]).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(plain.deferred.map((d) => [d.node, d.ms])).toEqual([
      [0, 40],
      [1, 52],
    ]);
  });

  it('from SRAT memory lines cut to BIOS-e820 usable RAM when the early node map is missing', () => {
    const log = parseBootLog(
      [
        'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
        'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved',
        'BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable',
        'BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff] usable',
        'ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff]',
        'ACPI: SRAT: Node 1 PXM 1 [mem 0x100000000-0x17fffffff]',
        'ACPI: SRAT: Node 1 PXM 1 [mem 0x180000000-0x1ffffffff] hotplug',
        ...srat,
        'smpboot: Allowing 4 CPUs, 0 hotplug CPUs',
      ].join('\n'),
      'b.log',
    );
    expect([...log.memory.nodes]).toEqual([
      [
        0,
        [
          { start: 0, end: 0x9f000 },
          { start: 0x100000, end: 0x80000000 },
        ],
      ],
      [1, [{ start: 0x100000000, end: 0x180000000 }]],
    ]);
    expect(log.memory.source).toMatch(/SRAT.*e820/);
  });

  it('from "Faking a node" on a machine without NUMA tables', () => {
    const log = parseBootLog(
      ['No NUMA configuration found', 'Faking a node at [mem 0x0000000000000000-0x000000013fffffff]', 'smp: Brought up 1 node, 8 CPUs'].join('\n'),
      'c.log',
    );
    expect([...log.memory.nodes]).toEqual([[0, [{ start: 0, end: 0x140000000 }]]]);
    expect(log.memory.notes.join()).toMatch(/e820/);
    expect([...log.cpus.perNode]).toEqual([[0, 8]]);
  });
});

describe('CPUs per node', () => {
  it('nr_cpus keeps the first CPUs in SRAT order: a node may have none', () => {
    const log = parseBootLog([...early, ...srat, 'Command line: console=ttyS0 nr_cpus=2', 'smpboot: Allowing 2 CPUs, 0 hotplug CPUs'].join('\n'), 'd.log');
    expect(log.cpus.total).toBe(2);
    expect([...log.cpus.perNode]).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const one = parseBootLog([...early, ...srat, 'smp: Brought up 2 nodes, 1 CPU'].join('\n'), 'e.log');
    expect([...one.cpus.perNode]).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const sc = scenarioFromLog(one);
    expect(sc.nodes[1].cores).toBe(1);
    expect(sc.description).toMatch(/node 1 has no CPUs online/i);
  });

  it('nr_cpus alone when no count line is left', () => {
    const log = parseBootLog([...early.slice(0, 3), 'Kernel command line: nr_cpus=3'].join('\n'), 'f.log');
    expect(log.cpus.total).toBe(3);
    expect(log.cpus.source).toMatch(/nr_cpus=3/);
  });
});

describe('refusals name the line they needed', () => {
  it('no memory lines', () => expect(refusal('smp: Brought up 1 node, 2 CPUs')).toMatch(/boot\.log: no node memory.*Early memory node ranges/));
  it('no CPU count', () => expect(refusal(early.slice(0, 3).join('\n'))).toMatch(/no CPU count.*smp: Brought up/));
  it('two nodes and no SRAT CPU lines', () => expect(refusal([...early, 'smp: Brought up 2 nodes, 4 CPUs'].join('\n'))).toMatch(/SRAT: PXM/));
  it('two boots in one file', () => expect(refusal(['Linux version 6.1.0 (x)', ...early, 'Linux version 6.1.0 (x)'].join('\n'))).toMatch(/2 boots/));
  it('a node deferred twice', () =>
    expect(refusal([...early, ...srat, 'smp: Brought up 2 nodes, 4 CPUs', ...deferred, deferred[0]].join('\n'))).toMatch(/printed twice/));
});

describe('the scenario', () => {
  it('is valid, boots, and states its defaults', () => {
    const log = parseBootLog(
      stamp([
        'Linux version 6.1.0-57-amd64 (x)',
        ...early,
        ...srat,
        'smp: Brought up 2 nodes, 4 CPUs',
        'Memory: 100K/5000000K available (1K kernel code, 65536K reserved, 0K cma-reserved)',
      ]).join('\n'),
      '/tmp/x/box.log',
    );
    const sc = scenarioFromLog(log);
    expect(() => parseScenario(sc)).not.toThrow();
    expect(sc).toMatchObject({ name: 'box', strategy: 'padata', boot: {} });
    expect(sc.description).toMatch(/threadsPerCore 1/i);
    // 8 GiB of RAM has a 128 MiB memmap, more than the 64 MiB reserved: nothing more to place.
    expect(sc.nodes.flatMap((n) => n.reserved)).toEqual([]);
  });

  it('a kernel before 5.8 gets one pgdatinit thread per node', () => {
    const log = parseBootLog(['Linux version 5.4.0 (x)', ...early.slice(0, 3), 'smp: Brought up 1 node, 2 CPUs'].join('\n'), 'old.log');
    expect(scenarioFromLog(log).strategy).toBe('deferred-serial');
  });
});
