/**
 * The fast-check seed of run `index` of a strategy's campaign: a hash of the
 * campaign seed, the strategy and the index, so every run can be drawn on its
 * own (by any worker, in any shard) and gives the same machine.
 */
export function runSeed(campaignSeed: number, strategy: string, index: number): number {
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (const ch of `${campaignSeed}/${strategy}/${index}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
