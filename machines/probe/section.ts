import type { AnyActorRef } from 'xstate';
import { activateSections, deactivateSections, type Activation, type SectionSpan } from '../../src/model/section-activation.js';
import { sectionPlans, type SectionPlans } from '../../src/model/section-plans.js';
import type { TraceEvent } from '../../src/model/trace-events.js';
import { step, type At, type Step } from '../shared/step.js';

/**
 * The kernel steps of a section run: populateRun (sparse_add_section per
 * section, in the order asked, until an injected ENOMEM stops it), its
 * undoing (section_deactivate per populated section, when a failed probe
 * unwinds) and counting the struct pages workers initialize in it. What a
 * section holds follows from its population plan (model/section-plans.ts),
 * so nothing is kept per section.
 */
export interface SectionGeometry {
  readonly altmap: boolean;
  readonly vmemmapShift: number;
  readonly compoundPfns: number;
  readonly optimized: boolean;
  /** Sections of the namespace that are early (boot) sections. */
  readonly earlySections: readonly number[];
  /** Injected fault: no PMD-sized vmemmap block can be allocated (the scenario's vmemmapOom.pmd). */
  readonly pmdFails?: true;
}

/** The run a section actor owns (its input, without the run's env). */
export interface SectionRunSpec {
  readonly namespace: string;
  readonly actorId: string;
  readonly firstSection: number;
  readonly lastSection: number;
  /** The namespace's pfns within these sections. */
  readonly startPfn: number;
  readonly endPfn: number;
  readonly geometry: SectionGeometry;
}

export interface SectionRunState {
  /**
   * The sections whose memmap is populated and live: a population stops at
   * its failing section, so they are one span (null: none).
   */
  readonly live: SectionSpan | null;
  /** The section whose population failed (injected ENOMEM), or null. */
  readonly failedAt: number | null;
  /** Struct pages initialized by the full (or hosting) pass. */
  readonly initialized: number;
}

export type SectionRun = SectionRunSpec & SectionRunState;

/** Replies to the namespace. */
export type SectionReply =
  | { type: 'ACTIVATED'; actor: string; pages: number }
  | { type: 'ACTIVATE_FAILED'; actor: string; section: number; pfn: number; partialPages: number; pages: number }
  | { type: 'DEACTIVATED'; actor: string };

export interface PopulateRequest {
  readonly replyTo: AnyActorRef;
  readonly order?: 'ascending' | 'descending';
  /** Vmemmap pages that may still be allocated before an injected ENOMEM; null: unlimited. */
  readonly budget?: number | null;
  /** Absolute section whose population fails (injected ENOMEM); null: none. */
  readonly failSection?: number | null;
}

export const EMPTY: SectionRunState = { live: null, failedAt: null, initialized: 0 };

/** The population plans of these sections. */
function plansOf(run: SectionRun, at: Pick<At, 'scenario'>): SectionPlans {
  const { altmap, vmemmapShift, earlySections, pmdFails } = run.geometry;
  return sectionPlans({ startPfn: run.startPfn, endPfn: run.endPfn, altmap, vmemmapShift, earlySections, pmdFails, constants: at.scenario.constants });
}

/** section.activate (the run populated) and vmemmap.populate (what was populated, even before a failure). */
function populateTrace(run: SectionRun, a: Activation, order: 'ascending' | 'descending', endsAt: number, at: At): TraceEvent[] {
  const { namespace, actorId: actor, firstSection, lastSection, geometry: g } = run;
  const trace: TraceEvent[] = [];
  if (!a.failure) trace.push({ type: 'section.activate', t: at.now, namespace, actor, firstSection, lastSection, vmemmapPages: a.dataPages });
  if (a.done) {
    trace.push({
      type: 'vmemmap.populate',
      t: at.now,
      namespace,
      actor,
      firstSection: a.done.first,
      lastSection: a.done.last,
      order,
      pagesPerSection: at.scenario.derived.pagesPerSection,
      compoundPfns: g.compoundPfns,
      optimized: g.optimized,
      altmap: g.altmap,
      dataPages: a.dataPages,
      pageTablePages: a.pageTablePages,
      reuseSections: a.reuseSections,
      earlySections: [...a.early],
      ...(g.pmdFails ? { pmdFails: true as const } : {}),
      endsAt,
    });
  }
  return trace;
}

/** What ACTIVATE populates (sparse_add_section per section, in the order asked), until an injected ENOMEM stops it. */
function activation(run: SectionRun, request: PopulateRequest, at: Pick<At, 'scenario'>): Activation {
  return activateSections({
    plans: plansOf(run, at),
    first: run.firstSection,
    last: run.lastSection,
    order: request.order ?? 'ascending',
    budget: request.budget ?? Infinity,
    failSection: request.failSection ?? null,
    altmap: run.geometry.altmap,
    pmdFails: run.geometry.pmdFails === true,
    earlySections: run.geometry.earlySections,
    costs: at.scenario.costs,
    constants: at.scenario.constants,
  });
}

/**
 * ACTIVATE stops at a failing section: only an injected ENOMEM can do that (a
 * vmemmap budget, a failing section, or PMD blocks failing with an altmap,
 * which has no fallback).
 */
export function populationFails(run: SectionRun, request: PopulateRequest, at: Pick<At, 'scenario'>): boolean {
  const noBlock = run.geometry.pmdFails === true && run.geometry.altmap;
  if ((request.budget ?? null) === null && (request.failSection ?? null) === null && !noBlock) return false;
  return activation(run, request, at).failure !== null;
}

/** ACTIVATE: populate the run's sections; the reply (ACTIVATED or ACTIVATE_FAILED) arrives after the population time. */
export function populateRun(run: SectionRun, request: PopulateRequest, at: At): Step<SectionRunState> {
  const order = request.order ?? 'ascending';
  const a = activation(run, request, at);
  const delay = at.cost(a.timeNs);
  const pfnOf = (s: number) => Math.max(run.startPfn, s * at.scenario.derived.pagesPerSection);
  const actor = run.actorId;
  const reply: SectionReply = a.failure
    ? { type: 'ACTIVATE_FAILED', actor, section: a.failure.section, pfn: pfnOf(a.failure.section), partialPages: a.failure.partialPages, pages: a.allocated }
    : { type: 'ACTIVATED', actor, pages: a.allocated };
  return step({ live: a.done, failedAt: a.failure?.section ?? null }, populateTrace(run, a, order, at.now + delay, at), [
    { to: request.replyTo, event: reply, delay, id: `activated:${actor}` },
  ]);
}

/** DEACTIVATE (a failed probe unwinding): free every populated section, reply DEACTIVATED after the freeing time. */
export function depopulateRun(run: SectionRun, replyTo: AnyActorRef, at: At): Step<SectionRunState> {
  const { live } = run;
  const freed = live ? deactivateSections(plansOf(run, at), live, at.scenario.costs) : null;
  const trace: TraceEvent[] =
    live && freed
      ? [
          {
            type: 'vmemmap.depopulate',
            t: at.now,
            namespace: run.namespace,
            actor: run.actorId,
            firstSection: live.first,
            lastSection: live.last,
            sections: live.last - live.first + 1,
            dataPages: freed.dataPages,
            pageTablePages: freed.pageTablePages,
          },
        ]
      : [];
  const reply: SectionReply = { type: 'DEACTIVATED', actor: run.actorId };
  // The memmap is freed: a later population starts with no struct page initialized.
  return step({ live: null, failedAt: null, initialized: 0 }, trace, [
    { to: replyTo, event: reply, delay: at.cost(freed?.timeNs ?? 0), id: `deactivated:${run.actorId}` },
  ]);
}

export interface PagesDone {
  readonly startPfn: number;
  readonly endPfn: number;
  readonly work: 'full' | 'pgmap' | 'hosting';
}

/** Struct pages initialized once a worker's step is done: the pgmap pass only revisits them. */
function initializedAfter(run: SectionRun, done: PagesDone, pagesPerSection: number): number {
  if (done.work === 'pgmap') return run.initialized;
  const lo = Math.max(done.startPfn, run.firstSection * pagesPerSection);
  const hi = Math.min(done.endPfn, (run.lastSection + 1) * pagesPerSection);
  return run.initialized + Math.max(0, hi - lo);
}

/** The step's pages complete the run's memmap. */
export const completesInit = (run: SectionRun, done: PagesDone, at: Pick<At, 'scenario'>) =>
  initializedAfter(run, done, at.scenario.derived.pagesPerSection) >= run.endPfn - run.startPfn;

/** PAGES_DONE: count the pages; section.ready when they complete the run. */
export function pagesDone(run: SectionRun, done: PagesDone, at: At): Step<SectionRunState> {
  const initialized = initializedAfter(run, done, at.scenario.derived.pagesPerSection);
  if (initialized < run.endPfn - run.startPfn) return step({ initialized });
  const { namespace, actorId: actor, firstSection, lastSection } = run;
  return step({ initialized }, [{ type: 'section.ready', t: at.now, namespace, actor, firstSection, lastSection }]);
}
