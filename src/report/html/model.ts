/**
 * What the HTML report keeps of a run's trace: rows of spans (workers, lock
 * holders, init phases), instants, and each channel's bandwidth steps. Times
 * are simulated ns.
 */
export type SpanKind = 'full' | 'pgmap' | 'hosting' | 'boot' | 'lock-write' | 'lock-read' | 'lock-wait';

export type RowRole = 'worker' | 'phase' | 'lock' | 'events';

export interface ReportRow {
  /** A namespace, a node (`node0`) or a lock. */
  readonly group: string;
  readonly name: string;
  readonly role: RowRole;
}

export interface ReportSpan {
  /** Index into HtmlReportData.rows. */
  readonly row: number;
  readonly kind: SpanKind;
  readonly start: number;
  end: number;
  /** Trace spans folded into this one (back-to-back steps of one worker). */
  n: number;
  readonly label?: string;
}

export interface ReportInstant {
  readonly row: number;
  readonly t: number;
  readonly type: string;
  readonly label: string;
  /** Occurrences it stands for (buddy.uninit-read folds reads). */
  readonly count: number;
}

export interface ChannelSeries {
  readonly name: string;
  /** GB/s (= bytes per ns). */
  readonly capacity: number;
  /** [t ns, GB/s] from t on, until the next point; consecutive equal rates dropped. */
  readonly points: [number, number][];
}

export interface HtmlReportMeta {
  /** Shown under the title (the scenario's description). */
  readonly description?: string;
  readonly [key: string]: unknown;
}

export interface HtmlReportData {
  readonly meta: HtmlReportMeta;
  readonly rows: readonly ReportRow[];
  readonly spans: readonly ReportSpan[];
  readonly instants: readonly ReportInstant[];
  readonly channels: readonly ChannelSeries[];
  /** Time of the last trace event. */
  readonly endNs: number;
}
