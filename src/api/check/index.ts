/** The checker behind `memmap-sim check` and `merge`, as a library. */
export { runCampaign, type CampaignOptions, type StrategyReport } from './campaign.js';
export { mergeShards, type ShardResult } from './merge.js';
export { selectStrategies, allStrategies, type CheckedStrategy, type Family, type StrategySelection } from './strategies.js';
export { SCOPES, caseArb, type Scope, type CheckCase } from './scopes.js';
export { parseShard, shardFromEnv, shardIndices, type Shard } from './shard.js';
export { runSeed } from './run-seed.js';
export type { CheckViolation } from './report.js';
