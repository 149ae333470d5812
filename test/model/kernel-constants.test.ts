import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.js';
import { BOOT_STRATEGIES } from '../../src/model/boot-strategies.js';
import { InputError } from '../../src/model/input-error.js';
import { resolveScenario } from '../../src/model/scenario.js';
import { parseSize } from '../../src/model/sizes.js';

const boot64g = (constants: object) => ({ constants, boot: {}, nodes: [{ id: 0, cores: 8, dram: [{ start: '4G', size: '64G' }] }] });

function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('constants: only kernels that can be built', () => {
  it('maxPageOrder 16 with 4 KiB pages and 128 MiB sections is refused: a max-order block must fit in a section', () => {
    const e = refusal(() => resolveScenario(boot64g({ maxPageOrder: 16 })));
    expect(e.field).toBe('constants.maxPageOrder');
    expect(e.rule).toMatch(/maxPageOrder \+ pageShift must not exceed sectionSizeBits.*16 \+ 12 > 27/);
  });

  it('the same order is accepted with larger sections', () => {
    expect(resolveScenario(boot64g({ maxPageOrder: 16, sectionSizeBits: 28 })).derived.maxOrderNrPages).toBe(65536);
  });

  const correct = [...BOOT_STRATEGIES.values()].filter((s) => s.status !== 'known-bad').map((s) => s.name);
  it.each(correct)('at maxPageOrder 15 (the largest that fits), %s is clean', (strategy) => {
    const r = simulate(boot64g({ maxPageOrder: 15 }), { strategy });
    expect(r.violations).toEqual([]);
    expect(r.nodes[0].pages).toBeGreaterThan(0);
  });

  it.each([
    [{ pageblockOrder: 11 }, 'constants.pageblockOrder', /must not exceed maxPageOrder/],
    [{ pageblockOrder: 9, maxPageOrder: 8 }, 'constants.pageblockOrder', /9 > 8/],
    [{ subsectionShift: 28 }, 'constants.subsectionShift', /must not exceed sectionSizeBits/],
    [{ sectionSizeBits: 24, maxPageOrder: 13 }, 'constants.maxPageOrder', /13 \+ 12 > 24/],
  ])('%j is refused naming %s', (constants, field, rule) => {
    const e = refusal(() => resolveScenario(boot64g(constants)));
    expect(e.field).toBe(field);
    expect(e.rule).toMatch(rule);
  });
});

describe('addresses within MAX_PHYSMEM_BITS (52 bits: 4 PiB)', () => {
  const node = (dram: object[], reserved: object[] = []) => ({ id: 0, cores: 2, dram, reserved });

  it('DRAM ending exactly at 4 PiB is accepted; one page further is refused', () => {
    expect(resolveScenario({ nodes: [node([{ start: 2 ** 52 - 2 ** 30, size: '1G' }])] }).nodes[0].dram).toHaveLength(1);
    const e = refusal(() => resolveScenario({ nodes: [node([{ start: 2 ** 52 - 2 ** 30, size: 2 ** 30 + 4096 }])] }));
    expect(e.field).toBe('nodes[0].dram[0]');
    expect(e.rule).toMatch(/52-bit physical address space/);
  });

  it('DRAM at 7 PiB is refused', () => {
    expect(refusal(() => resolveScenario({ nodes: [node([{ start: '7P', size: '1G' }])] })).field).toBe('nodes[0].dram[0]');
  });

  it('a namespace placed past 4 PiB is refused, explicitly or after all memory', () => {
    const near = node([{ start: 2 ** 52 - 2 ** 31, size: '1G' }]);
    expect(
      refusal(() => resolveScenario({ nodes: [node([{ start: 0, size: '4G' }])], namespaces: [{ name: 'p', node: 0, size: '1G', start: '7P' }] })).field,
    ).toBe('namespaces[0]');
    expect(refusal(() => resolveScenario({ nodes: [near], namespaces: [{ name: 'p', node: 0, size: '2G' }] })).field).toBe('namespaces[0]');
  });
});

describe('other sizes the kernel cannot have', () => {
  it('a deferred_grow_zone burst larger than its node is refused', () => {
    const sc = { boot: { growZone: { node: 0, pages: 262145 } }, nodes: [{ id: 0, cores: 2, dram: [{ start: '4G', size: '1G' }] }] };
    const e = refusal(() => resolveScenario(sc));
    expect(e.field).toBe('boot.growZone.pages');
    expect(e.rule).toMatch(/262144/);
    expect(resolveScenario({ ...sc, boot: { growZone: { node: 0, pages: 262144 } } }).boot?.growZone?.pages).toBe(262144);
  });

  it.each([-5, '-5', '-2G', '-0x1000'])('parseSize(%j) is refused: sizes are not negative', (v) => {
    const e = refusal(() => parseSize(v, 'x.size'));
    expect(e.field).toBe('x.size');
    expect(e.rule).toMatch(/negative/);
  });
});
