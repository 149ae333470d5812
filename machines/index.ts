/**
 * memmap-sim/machines: every actor kind's XState v5 machine, for
 * @xstate/graph, the Stately editor and inspector, or your own tooling.
 * Each takes its input (a SimEnv and its kind's fields) when spawned; the
 * system machine spawns the rest, as buildTopology(scenario) lists them.
 * `MACHINES` maps each kind, named as in docs/statecharts, to its machine.
 */
import type { AnyStateMachine } from 'xstate';
import { bootSectionMachine } from './boot/boot-section.machine.js';
import { buddyMachine } from './boot/buddy.machine.js';
import { cpuThreadMachine } from './shared/cpu-thread.machine.js';
import { daxUserMachine } from './probe/dax-user.machine.js';
import { hotplugLockMachine } from './probe/hotplug-lock.machine.js';
import { memoryChannelMachine } from './shared/memory-channel.machine.js';
import { namespaceMachine } from './probe/namespace.machine.js';
import { nodeMachine } from './shared/node.machine.js';
import { padataJobMachine } from './boot/padata-job.machine.js';
import { pgdatinitMachine } from './boot/pgdatinit.machine.js';
import { sectionMachine } from './probe/section.machine.js';
import { systemMachine } from './shared/system.machine.js';
import { zoneMachine } from './boot/zone.machine.js';

export {
  bootSectionMachine,
  buddyMachine,
  cpuThreadMachine,
  daxUserMachine,
  hotplugLockMachine,
  memoryChannelMachine,
  namespaceMachine,
  nodeMachine,
  padataJobMachine,
  pgdatinitMachine,
  sectionMachine,
  systemMachine,
  zoneMachine,
};
export type { SimEnv } from './shared/sim-env.js';
export { buildTopology, type ActorSpec } from './shared/topology.js';

/** Actor kind (the machine file's name, as in docs/statecharts) to its machine. */
export const MACHINES: ReadonlyMap<string, AnyStateMachine> = new Map<string, AnyStateMachine>([
  ['boot-section', bootSectionMachine],
  ['buddy', buddyMachine],
  ['cpu-thread', cpuThreadMachine],
  ['dax-user', daxUserMachine],
  ['hotplug-lock', hotplugLockMachine],
  ['memory-channel', memoryChannelMachine],
  ['namespace', namespaceMachine],
  ['node', nodeMachine],
  ['padata-job', padataJobMachine],
  ['pgdatinit', pgdatinitMachine],
  ['section', sectionMachine],
  ['system', systemMachine],
  ['zone', zoneMachine],
]);
