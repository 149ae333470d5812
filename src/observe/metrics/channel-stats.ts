import { metric, type Metric } from './metric.js';

export interface ChannelStats {
  readonly name: string;
  /** Bytes per ns = GB/s. */
  readonly capacityGBs: number;
  readonly bytes: number;
  /** Time with at least one flow on the channel. */
  readonly busyNs: number;
  /** Mean share of the capacity used while busy. */
  readonly meanUtilisation: number;
  readonly peakUtilisation: number;
}

/** Integrates each channel's piecewise-constant total rate over time. */
export function channelStats(): Metric<ChannelStats[]> {
  return metric(['channel.rate'], () => {
    const acc = new Map<string, { capacity: number; rate: number; flows: number; since: number; bytes: number; busyNs: number; peak: number }>();
    return {
      next(e) {
        if (e.type !== 'channel.rate') return;
        let a = acc.get(e.channel);
        if (!a) acc.set(e.channel, (a = { capacity: e.capacity, rate: 0, flows: 0, since: e.t, bytes: 0, busyNs: 0, peak: 0 }));
        const dt = e.t - a.since;
        a.bytes += a.rate * dt;
        if (a.flows > 0) a.busyNs += dt;
        a.rate = e.bytesPerNs;
        a.flows = e.flows;
        a.since = e.t;
        a.peak = Math.max(a.peak, e.bytesPerNs / e.capacity);
      },
      result: () =>
        [...acc.entries()].map(([name, a]) => ({
          name,
          capacityGBs: a.capacity,
          bytes: a.bytes,
          busyNs: a.busyNs,
          meanUtilisation: a.busyNs > 0 ? a.bytes / (a.capacity * a.busyNs) : 0,
          peakUtilisation: a.peak,
        })),
    };
  });
}
