/**
 * memmap-sim: simulate Linux memmap (struct page) initialization, predict its
 * time and check its concurrency hazards. The library surface.
 */
export { simulate, createSimulation, type Simulation, type SimulateOptions } from './api/simulate.js';
export type { RunResult, EngineResult, NamespaceResult, NodeResult, LockResult, ChannelResult, PassResult } from './api/result.js';
export { SimulationError } from './api/simulation-error.js';
export { defaultBudget, expectedEvents, BUDGET_FACTOR, MAX_BUDGET_EVENTS } from './api/run-budget.js';
export { calibrate, parseMeasure, type Calibration, type CalibrationRow, type Measurement } from './api/calibrate.js';
export { sweep, type SweepRow } from './api/sweep.js';
export { sweepWithBand, type BandedSweepRow } from './api/sweep-band.js';
export { perturbations, halfSpread, type Uncertainty } from './api/uncertainty.js';
export { advise, SPEEDUP_SHARE, type Advice, type AdviseOptions } from './api/advise.js';
export { chromeTrace, withIssues, type ChromeTrace, type ChromeTraceEvent } from './report/chrome-trace.js';
export { htmlReport, renderHtmlReport, type HtmlReportData, type HtmlReportMeta } from './report/html-report.js';
export { renderSweepReport, type SweepReportData } from './report/sweep-report.js';
export { renderCalibrateReport, type CalibrateReportData } from './report/calibrate-report.js';
export { publishedSweep, type PublishedSweep, type PublishedPoint } from './model/published-sweeps.js';
export { BOOT_STRATEGIES, type BootStrategy } from './model/boot-strategies.js';
export { buddyReadsInitialized } from './observe/invariants/buddy-reads-initialized.js';
export { deferredComplete } from './observe/invariants/deferred-complete.js';
export { loadScenario, listScenarios, loadProfile, loadStrategyFile, readDocument, type BuiltinScenario } from './api/load-scenario.js';
export {
  resolveScenario,
  parseScenario,
  isResolvedScenario,
  type ResolvedScenario,
  type ResolvedNamespace,
  type ResolvedNode,
  type ScenarioOverrides,
} from './model/scenario.js';
export { ScenarioSchema, type ScenarioInput } from './model/scenario-schema.js';
export { STRATEGIES, strategyByName, type Strategy, type ProbeStep } from './model/strategies.js';
export { UserStrategySchema, ProbeStepSchema, type UserStrategyInput } from './model/strategy-schema.js';
export { parseUserStrategy, type UserStrategy } from './model/user-strategy.js';
export { PROFILES, resolveProfile, type ProfileInput } from './model/profiles/index.js';
export type { HardwareProfile, ResolvedProfile, Param, Provenance, Costs } from './model/profile.js';
export { PARAM_NAMES } from './model/profile.js';
export { DEFAULT_PARAMS } from './model/profiles/defaults.js';
export { PARAM_RANGES, type ParamRange } from './model/profiles/ranges.js';
export { MAX_THREADS, MAX_CPUS_PER_NODE, MAX_CPUS, MAX_NODES } from './model/work-bounds.js';
export { X86_64, derive, type KernelConstants, type Derived } from './model/constants.js';
export { parseSize, formatSize } from './model/sizes.js';
export { InputError } from './model/input-error.js';
export { vmemmapFootprint, type Geometry, type VmemmapFootprint } from './model/vmemmap-geometry.js';
export type { TraceEvent, TraceType, TraceOf } from './model/trace-events.js';
export type { Issue, IssueReport } from './observe/issues.js';
export { initOnce } from './observe/invariants/init-once.js';
export { zoneSpanLocked } from './observe/invariants/zone-span-locked.js';
export { lockDeadlock } from './observe/invariants/lock-deadlock.js';
export { daxAfterInit } from './observe/invariants/dax-after-init.js';
export { pgmapRefcount } from './observe/invariants/pgmap-refcount.js';
export { aggregateIssues } from './observe/issues.js';
export { VirtualClock } from './sim/virtual-clock.js';
export { SeededRandom } from './sim/random.js';
export { runToQuiescence, type RunLimits, type RunBudget, type RunOutcome, type StuckReport } from './sim/run-loop.js';
export { exploreExhaustive, EXHAUSTIVE_DEFAULTS, type ExhaustiveOptions, type ExhaustiveResult, type ExhaustiveViolation } from './api/exhaustive.js';
export { replayChooser, HALT, type TieChooser, type ChoicePoint } from './sim/tie-chooser.js';
export {
  runCampaign,
  mergeShards,
  selectStrategies,
  allStrategies,
  SCOPES,
  caseArb,
  parseShard,
  shardFromEnv,
  shardIndices,
  runSeed,
  type CampaignOptions,
  type StrategyReport,
  type ShardResult,
  type CheckedStrategy,
  type Family,
  type StrategySelection,
  type Scope,
  type CheckCase,
  type Shard,
  type CheckViolation,
} from './api/check/index.js';
