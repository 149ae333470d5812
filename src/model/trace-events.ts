/**
 * The typed events every actor emits into the run's one trace stream.
 * `t` is simulated ns. pfn ranges are [startPfn, endPfn). Metrics and
 * invariant checkers are operators over a stream of these.
 */
export type LockMode = 'write' | 'read';
export type InitWork = 'full' | 'pgmap' | 'hosting';

interface At {
  readonly t: number;
}

export type TraceEvent =
  | (At & { readonly type: 'probe.start'; readonly ns: string; readonly node: number; readonly startPfn: number; readonly endPfn: number; readonly dataStartPfn: number })
  | (At & { readonly type: 'probe.locked-done'; readonly ns: string })
  | (At & { readonly type: 'lock.request'; readonly lock: string; readonly holder: string; readonly mode: LockMode })
  | (At & { readonly type: 'lock.acquired'; readonly lock: string; readonly holder: string; readonly mode: LockMode; readonly waitNs: number })
  | (At & { readonly type: 'lock.released'; readonly lock: string; readonly holder: string; readonly mode: LockMode; readonly heldNs: number })
  | (At & {
      readonly type: 'section.activate';
      readonly ns: string;
      readonly actor: string;
      readonly firstSection: number;
      readonly lastSection: number;
      readonly vmemmapPages: number;
    })
  | (At & { readonly type: 'zone.resize'; readonly zone: string; readonly by: string; readonly startPfn: number; readonly endPfn: number })
  | (At & { readonly type: 'init.start'; readonly ns: string; readonly pass: number; readonly work: InitWork; readonly threads: number; readonly lockMode: LockMode | null })
  | (At & { readonly type: 'init.end'; readonly ns: string; readonly pass: number; readonly work: InitWork; readonly pages: number })
  | (At & {
      readonly type: 'pages.init';
      readonly ns: string;
      readonly worker: string;
      readonly pass: number;
      readonly work: InitWork;
      readonly startPfn: number;
      readonly endPfn: number;
      readonly startedAt: number;
    })
  | (At & { readonly type: 'pgmap.ref'; readonly ns: string; readonly count: number; readonly how: 'per-page' | 'bulk' })
  | (At & { readonly type: 'worker.start'; readonly worker: string; readonly ns: string; readonly cpu: number; readonly core: number; readonly node: number })
  | (At & { readonly type: 'worker.end'; readonly worker: string; readonly ns: string; readonly pages: number })
  | (At & { readonly type: 'channel.rate'; readonly channel: string; readonly bytesPerNs: number; readonly flows: number; readonly capacity: number })
  | (At & { readonly type: 'ns.published'; readonly ns: string; readonly pages: number })
  | (At & { readonly type: 'dax.access'; readonly ns: string; readonly pfn: number; readonly user: string })
  | (At & { readonly type: 'ns.available'; readonly ns: string })
  | (At & { readonly type: 'section.ready'; readonly ns: string; readonly actor: string; readonly firstSection: number; readonly lastSection: number });

export type TraceType = TraceEvent['type'];
export type TraceOf<K extends TraceType> = Extract<TraceEvent, { type: K }>;
