import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { allChecks } from '../../src/observe/checks.js';
import { daxAfterInit } from '../../src/observe/invariants/dax-after-init.js';
import { initOnce } from '../../src/observe/invariants/init-once.js';
import { pgmapRefcount } from '../../src/observe/invariants/pgmap-refcount.js';
import { zoneSpanLocked } from '../../src/observe/invariants/zone-span-locked.js';
import type { Issue } from '../../src/observe/issues.js';
import { from, toArray } from 'rxjs';
import { ev, feed } from './helpers.js';

describe('I3 initOnce', () => {
  it('a clean single pass covering the namespace reports nothing', () => {
    const trace = [
      ev.probe(0, 'pmem0', 0, 100, 10),
      ev.pages(1, 'pmem0', 'pmem0/hosting', 0, 10, 1, 'hosting'),
      ev.pages(2, 'pmem0', 'pmem0/w0', 10, 60),
      ev.pages(3, 'pmem0', 'pmem0/w1', 60, 100),
      ev.published(4, 'pmem0', 90),
    ];
    expect(feed(initOnce(), trace)).toEqual([]);
  });

  it('double-init: overlapping ranges in one pass are a violation naming the pfns, both workers and both events', () => {
    const first = ev.pages(10, 'pmem0', 'pmem0/w0', 0, 60);
    const second = ev.pages(20, 'pmem0', 'pmem0/w1', 50, 100);
    const issues = feed(initOnce(), [ev.probe(0, 'pmem0', 0, 100), first, second]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      severity: 'violation',
      invariant: 'I3',
      kind: 'double-init',
      place: 'pmem0',
      atNs: 20,
      pfns: [50, 60],
      actors: ['pmem0/w0', 'pmem0/w1'],
      history: [first, second],
    });
  });

  it('double-init reports each overlapped interval separately', () => {
    const issues = feed(initOnce(), [ev.pages(1, 'a', 'w0', 0, 10), ev.pages(2, 'a', 'w1', 20, 30), ev.pages(3, 'a', 'w2', 5, 25)]);
    expect(issues.map((i) => i.pfns)).toEqual([
      [5, 10],
      [20, 25],
    ]);
    expect(issues.map((i) => i.actors)).toEqual([
      ['w0', 'w2'],
      ['w1', 'w2'],
    ]);
  });

  it('hosting pages and the full pass are one page set: overlap between them is double-init', () => {
    const issues = feed(initOnce(), [ev.pages(1, 'a', 'a/hosting', 0, 10, 1, 'hosting'), ev.pages(2, 'a', 'a/w0', 8, 20)]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'double-init', pfns: [8, 10] });
  });

  it('the same pfns in different namespaces or in a pgmap pass are not double-init', () => {
    const issues = feed(initOnce(), [ev.pages(1, 'a', 'a/w0', 0, 10), ev.pages(2, 'b', 'b/w0', 0, 10), ev.pages(3, 'a', 'a/pass2/w0', 0, 10, 2, 'pgmap')]);
    expect(issues).toEqual([]);
  });

  it('missed-pages: a published namespace with a hole and a short tail reports each gap', () => {
    const probe = ev.probe(5, 'pmem0', 100, 200);
    const issues = feed(initOnce(), [probe, ev.pages(10, 'pmem0', 'w0', 100, 130), ev.pages(11, 'pmem0', 'w1', 150, 190), ev.published(12, 'pmem0', 100)]);
    expect(issues).toHaveLength(2);
    for (const i of issues)
      expect(i).toMatchObject({ severity: 'violation', invariant: 'I3', kind: 'missed-pages', place: 'pmem0', atNs: 5, history: [probe] });
    expect(issues.map((i) => i.pfns)).toEqual([
      [130, 150],
      [190, 200],
    ]);
  });

  it('missed-pages: a published namespace never initialized misses its whole range', () => {
    const issues = feed(initOnce(), [ev.probe(0, 'x', 0, 64), ev.published(1, 'x', 64)]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'missed-pages', pfns: [0, 64] });
  });

  it('a pgmap pass does not count as initialization for missed-pages', () => {
    const issues = feed(initOnce(), [ev.probe(0, 'x', 0, 64), ev.pages(1, 'x', 'w', 0, 64, 2, 'pgmap'), ev.published(2, 'x', 64)]);
    expect(issues.map((i) => i.kind)).toEqual(['missed-pages']);
  });

  it('an unpublished namespace (run stopped early) is not reported as missing pages', () => {
    expect(feed(initOnce(), [ev.probe(0, 'x', 0, 64), ev.pages(1, 'x', 'w', 0, 10)])).toEqual([]);
  });

  it('redundant-pass: a second pass is a finding carrying its pages and cost', () => {
    const start = ev.initStart(1_000, 'pmem0', 2, 'pgmap');
    const end = ev.initEnd(20_001_000, 'pmem0', 2, 4096, 'pgmap');
    const issues = feed(initOnce(), [
      ev.probe(0, 'pmem0', 0, 4096),
      ev.initStart(0, 'pmem0', 1),
      ev.pages(500, 'pmem0', 'w0', 0, 4096),
      ev.initEnd(500, 'pmem0', 1, 4096),
      start,
      ev.pages(20_001_000, 'pmem0', 'pmem0/pass2/w0', 0, 4096, 2, 'pgmap'),
      end,
      ev.published(20_001_000, 'pmem0', 4096),
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      severity: 'finding',
      invariant: 'I3',
      kind: 'redundant-pass',
      place: 'pmem0',
      atNs: 20_001_000,
      pages: 4096,
      costNs: 20_000_000,
      history: [start, end],
    });
    expect(issues[0].message).toContain('20.0 ms');
  });
});

describe('I4 zoneSpanLocked', () => {
  it('a resize by the write holder is fine', () => {
    expect(feed(zoneSpanLocked(), [ev.acquired(0, 'pmem0', 'write'), ev.resize(1, 'pmem0'), ev.released(2, 'pmem0', 'write')])).toEqual([]);
  });

  it('a resize with the lock not held is a violation', () => {
    const resize = ev.resize(5, 'pmem0', 'node0/device', 10, 20);
    const issues = feed(zoneSpanLocked(), [resize]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      severity: 'violation',
      invariant: 'I4',
      kind: 'resize-without-write-lock',
      place: 'node0/device',
      atNs: 5,
      pfns: [10, 20],
      actors: ['pmem0'],
      history: [resize],
    });
  });

  it('a resize after the holder released the lock is a violation whose history shows the release', () => {
    const rel = ev.released(2, 'pmem0', 'write');
    const resize = ev.resize(3, 'pmem0');
    const issues = feed(zoneSpanLocked(), [ev.acquired(0, 'pmem0', 'write'), rel, resize]);
    expect(issues).toHaveLength(1);
    expect(issues[0].history).toEqual([rel, resize]);
  });

  it('a resize while another actor holds the write lock names both', () => {
    const issues = feed(zoneSpanLocked(), [ev.acquired(0, 'pmem1', 'write'), ev.resize(1, 'pmem0')]);
    expect(issues).toHaveLength(1);
    expect(issues[0].actors).toEqual(['pmem0', 'pmem1']);
  });

  it('holding the lock for read is not enough', () => {
    const issues = feed(zoneSpanLocked(), [ev.acquired(0, 'pmem0', 'read'), ev.resize(1, 'pmem0')]);
    expect(issues.map((i) => i.kind)).toEqual(['resize-without-write-lock']);
  });

  it('a write hold of some other lock does not count', () => {
    const issues = feed(zoneSpanLocked(), [ev.acquired(0, 'pmem0', 'write', 'device_hotplug_lock'), ev.resize(1, 'pmem0')]);
    expect(issues).toHaveLength(1);
  });
});

describe('I1 daxAfterInit', () => {
  it('touching initialized pages is fine (hosting pages count as initialized)', () => {
    const trace = [
      ev.pages(1, 'pmem0', 'h', 0, 10, 1, 'hosting'),
      ev.pages(2, 'pmem0', 'w', 10, 100),
      ev.published(3, 'pmem0', 90),
      ev.dax(3, 'pmem0', 5),
      ev.dax(3, 'pmem0', 10),
      ev.dax(3, 'pmem0', 99),
    ];
    expect(feed(daxAfterInit(), trace)).toEqual([]);
  });

  it('dax-before-init: touching a page before its init is a violation with pfn, actors and history', () => {
    const pub = ev.published(1, 'pmem0', 100);
    const touch = ev.dax(1, 'pmem0', 42, 'dax-user');
    const issues = feed(daxAfterInit(), [pub, touch, ev.pages(2, 'pmem0', 'w', 0, 100)]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      severity: 'violation',
      invariant: 'I1',
      kind: 'dax-before-init',
      place: 'pmem0',
      atNs: 1,
      pfns: [42, 43],
      actors: ['dax-user', 'pmem0'],
      history: [pub, touch],
    });
  });

  it('only the touched pfn matters: partial init that covers it is enough, one that does not is not', () => {
    const issues = feed(daxAfterInit(), [ev.pages(1, 'a', 'w', 0, 50), ev.dax(2, 'a', 49), ev.dax(2, 'a', 50)]);
    expect(issues.map((i) => i.pfns)).toEqual([[50, 51]]);
  });

  it('a pgmap-only pass does not initialize a struct page; another namespace’s init does not count', () => {
    const issues = feed(daxAfterInit(), [ev.pages(1, 'a', 'w', 0, 50, 2, 'pgmap'), ev.pages(1, 'b', 'w', 0, 50), ev.dax(2, 'a', 10)]);
    expect(issues).toHaveLength(1);
  });
});

describe('I5 pgmapRefcount', () => {
  it('per-page references summing to the published pages are fine, and so is one bulk get', () => {
    expect(feed(pgmapRefcount(), [ev.ref(1, 'a', 60, 'per-page'), ev.ref(2, 'a', 40, 'per-page'), ev.published(3, 'a', 100)])).toEqual([]);
    expect(feed(pgmapRefcount(), [ev.ref(1, 'a', 100), ev.published(3, 'a', 100)])).toEqual([]);
  });

  it('no reference at all: refcount-short by all published pages', () => {
    const pub = ev.published(7, 'a', 100);
    const issues = feed(pgmapRefcount(), [pub]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'violation', invariant: 'I5', kind: 'refcount-short', place: 'a', atNs: 7, pages: 100, history: [pub] });
  });

  it('too many references: refcount-excess', () => {
    const issues = feed(pgmapRefcount(), [ev.ref(1, 'a', 100), ev.ref(2, 'a', 5, 'per-page'), ev.published(3, 'a', 100)]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ kind: 'refcount-excess', pages: -5 });
  });

  it('2 MiB compound pages: one reference per compound page passes, one per pfn is an over-count', () => {
    // 1024 pfns = two 2 MiB compound pages: pfn_len() is 2.
    expect(feed(pgmapRefcount(), [ev.ref(1, 'a', 2), ev.published(3, 'a', 1024, 2)])).toEqual([]);
    const over = feed(pgmapRefcount(), [ev.ref(1, 'a', 1024, 'per-page'), ev.published(3, 'a', 1024, 2)]);
    expect(over).toHaveLength(1);
    expect(over[0]).toMatchObject({ kind: 'refcount-excess', pages: -1022 });
    expect(over[0].message).toContain('which need 2 (one per compound page of 512 pfns)');
    expect(feed(pgmapRefcount(), [ev.ref(1, 'a', 1), ev.published(3, 'a', 1024, 2)])[0]).toMatchObject({ kind: 'refcount-short', pages: 512 });
  });

  it('references are counted per namespace, and unpublished namespaces are not checked', () => {
    expect(feed(pgmapRefcount(), [ev.ref(1, 'a', 100), ev.ref(1, 'b', 3), ev.published(3, 'a', 100)])).toEqual([]);
    const issues = feed(pgmapRefcount(), [ev.ref(1, 'b', 100), ev.published(3, 'a', 100)]);
    expect(issues.map((i) => [i.kind, i.place])).toEqual([['refcount-short', 'a']]);
  });
});

describe('allChecks', () => {
  it('merges every checker over one trace', () => {
    const trace: TraceEvent[] = [ev.probe(0, 'a', 0, 10), ev.resize(1, 'a'), ev.published(2, 'a', 10), ev.dax(2, 'a', 0)];
    let issues: Issue[] = [];
    allChecks(from(trace))
      .pipe(toArray())
      .subscribe((v) => (issues = v));
    expect(issues.map((i) => i.kind).sort()).toEqual(['dax-before-init', 'missed-pages', 'refcount-short', 'resize-without-write-lock']);
  });
});
