/**
 * The vmemmap a whole namespace needs, in closed form: vmemmapFootprint when
 * the namespace is section aligned with no early section (the published
 * per-TiB figures), else the sum of the per-section plan (a namespace that
 * starts inside a section, or shares one with boot RAM). The I8 checker holds
 * the simulation's section actors to this.
 */
import { derive, type KernelConstants } from './constants.js';
import { sectionPlans } from './section-plans.js';
import { planSectionPopulation } from './section-populate.js';
import { vmemmapFootprint, type Geometry } from './vmemmap-geometry.js';

export interface NamespaceVmemmapArgs {
  readonly startPfn: number;
  readonly endPfn: number;
  readonly altmap: boolean;
  readonly compoundPfns: number;
  readonly earlySections: readonly number[];
  /** PMD-sized blocks could not be allocated: without an altmap, base pages and their PTE tables. */
  readonly pmdFails?: boolean;
  readonly constants: KernelConstants;
}

const GEOMETRY_OF: Record<number, Geometry> = { 0: '4K', 9: '2M', 18: '1G' };

export function namespaceVmemmapPages(a: NamespaceVmemmapArgs): { dataPages: number; pageTablePages: number } {
  const d = derive(a.constants);
  const pps = d.pagesPerSection;
  const shift = Math.log2(a.compoundPfns);
  const geometry = GEOMETRY_OF[shift];
  const pages = a.endPfn - a.startPfn;
  if (a.pmdFails && !a.altmap) {
    const plans = sectionPlans({
      startPfn: a.startPfn,
      endPfn: a.endPfn,
      altmap: false,
      vmemmapShift: shift,
      earlySections: a.earlySections,
      pmdFails: true,
      constants: a.constants,
    });
    const [first, last] = [Math.floor(a.startPfn / pps), Math.floor((a.endPfn - 1) / pps)];
    return { dataPages: plans.sum(first, last, (p) => p.dataPages), pageTablePages: plans.sum(first, last, (p) => p.pageTablePages) };
  }
  if (geometry && a.startPfn % pps === 0 && a.earlySections.length === 0 && pages % Math.max(a.compoundPfns, d.pagesPerSubsection) === 0) {
    const fp = vmemmapFootprint({ sizeBytes: pages * d.pageSize, geometry, altmap: a.altmap, constants: a.constants });
    return { dataPages: fp.dataPages, pageTablePages: fp.pageTablePages };
  }
  let dataPages = 0;
  let pageTablePages = 0;
  for (let s = Math.floor(a.startPfn / pps); s * pps < a.endPfn; s++) {
    const pfn = Math.max(a.startPfn, s * pps);
    const plan = planSectionPopulation({
      pfn,
      nrPages: Math.min(a.endPfn, (s + 1) * pps) - pfn,
      altmap: a.altmap,
      vmemmapShift: shift,
      early: a.earlySections.includes(s),
      constants: a.constants,
    });
    dataPages += plan.dataPages;
    pageTablePages += plan.pageTablePages;
  }
  return { dataPages, pageTablePages };
}
