import type { AnyActorRef } from 'xstate';
import type { ResolvedScenario } from '../../src/model/scenario.js';
import { current, type Probe, type ProbeState, type SectionRun } from './namespace.js';
import type { SectionInput } from './section.machine.js';
import { sectionRunLength } from '../shared/topology.js';
import { step, type At, type Step } from '../shared/step.js';

/**
 * A probe's section runs: which actors own them, and the activate step
 * (sparse_add_section per section, in the strategy's order) with its
 * unwinding when vmemmap population fails: every run that was sent ACTIVATE
 * is deactivated, newest first, and the probe fails.
 */

/** A section actor to spawn: its id, the run it owns and its input (without the run's env). */
export interface SectionSpawn {
  readonly id: string;
  readonly run: Omit<SectionRun, 'ref'>;
  readonly input: Omit<SectionInput, 'env'>;
}

/** The namespace's section runs: `sectionsPerActor` long, rounded up so a 1 GiB compound page (8 sections) stays in one actor. */
export function sectionSpawns(p: Probe, scenario: ResolvedScenario): SectionSpawn[] {
  const { namespace } = p;
  const pps = scenario.derived.pagesPerSection;
  const perActor = sectionRunLength(namespace, p.sectionsPerActor, pps);
  const { altmap, vmemmapShift, compoundPfns, optimized, earlySections } = namespace;
  // An injected PMD-block failure is a property of the memory the sections allocate from.
  const pmd = namespace.vmemmapOom?.pmd === true ? { pmdFails: true as const } : {};
  const geometry = { altmap, vmemmapShift, compoundPfns, optimized, earlySections, ...pmd };
  const out: SectionSpawn[] = [];
  for (let first = namespace.firstSection; first <= namespace.lastSection; first += perActor) {
    const last = Math.min(namespace.lastSection, first + perActor - 1);
    const id = first === last ? `${namespace.name}/s${first}` : `${namespace.name}/s${first}-${last}`;
    const run = {
      firstSection: first,
      lastSection: last,
      startPfn: Math.max(namespace.startPfn, first * pps),
      endPfn: Math.min(namespace.endPfn, (last + 1) * pps),
    };
    out.push({ id, run, input: { namespace: namespace.name, actorId: id, ...run, geometry } });
  }
  return out;
}

/** The order the activate step populates the runs in (descending: a known-bad variant). */
export function activationPlan(p: Probe): Step<ProbeState> {
  const s = current(p);
  const order = p.sections.map((_, i) => i);
  if (s?.kind === 'activate' && s.order === 'descending') order.reverse();
  return step({ activationOrder: order, activateIndex: 0 });
}

const runAt = (p: Probe) => p.sections[p.activationOrder[p.activateIndex]].ref;

/** ACTIVATE the next run, with what is left of an injected ENOMEM's budget. */
export function activateNext(p: Probe, self: AnyActorRef): Step<ProbeState> {
  const s = current(p);
  const oom = p.namespace.vmemmapOom;
  const event = {
    type: 'ACTIVATE',
    replyTo: self,
    order: s?.kind === 'activate' ? (s.order ?? 'ascending') : 'ascending',
    budget: oom && 'afterPages' in oom ? oom.afterPages - p.vmemmapAllocated : null,
    failSection: oom && 'sectionIndex' in oom ? p.namespace.firstSection + oom.sectionIndex : null,
  };
  return step({}, [], [{ to: runAt(p), event }]);
}

export const moreToActivate = (p: Probe) => p.activateIndex + 1 < p.activationOrder.length;

/** A run is populated: count its vmemmap pages; then the next run, or the next strategy step. */
export function sectionActivated(p: Probe, pages: number): Step<ProbeState> {
  const vmemmapAllocated = p.vmemmapAllocated + pages;
  return step<ProbeState>(moreToActivate(p) ? { vmemmapAllocated, activateIndex: p.activateIndex + 1 } : { vmemmapAllocated, stepIndex: p.stepIndex + 1 });
}

/** A run failed to populate (ENOMEM): trace the failure; the unwinding starts at this run. */
export function activationFailed(p: Probe, reply: { section: number; pfn: number; partialPages: number; pages: number }, at: At): Step<ProbeState> {
  const allocated = p.vmemmapAllocated + reply.pages + reply.partialPages;
  const { section, pfn, partialPages } = reply;
  return step({ failure: { section, pfn, partialPages } }, [
    {
      type: 'probe.failed',
      t: at.now,
      namespace: p.namespace.name,
      reason: `ENOMEM: vmemmap population of section ${section} failed after ${allocated} vmemmap pages`,
      section,
      pfn,
      partialPages,
    },
  ]);
}

export const deactivateNext = (p: Probe, self: AnyActorRef): Step<ProbeState> => step({}, [], [{ to: runAt(p), event: { type: 'DEACTIVATE', replyTo: self } }]);

export const moreToUnwind = (p: Probe) => p.activateIndex > 0;

export const sectionDeactivated = (p: Probe): Step<ProbeState> => step<ProbeState>(moreToUnwind(p) ? { activateIndex: p.activateIndex - 1 } : {});
