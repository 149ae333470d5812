/**
 * memmap-sim/machines: every actor kind's XState v5 machine, for
 * @xstate/graph, the Stately editor and inspector, or your own tooling.
 * Each takes its input (a SimEnv and its kind's fields) when spawned; the
 * system machine spawns the rest. `MACHINES` maps each kind, named as in
 * docs/statecharts, to its machine.
 */
import type { AnyStateMachine } from 'xstate';
import { bootSectionMachine } from './boot-section.machine.js';
import { buddyMachine } from './buddy.machine.js';
import { daxUserMachine } from './dax-user.machine.js';
import { hotplugLockMachine } from './hotplug-lock.machine.js';
import { memoryChannelMachine } from './memory-channel.machine.js';
import { namespaceMachine } from './namespace.machine.js';
import { nodeMachine } from './node.machine.js';
import { padataHelperMachine } from './padata-helper.machine.js';
import { padataJobMachine } from './padata-job.machine.js';
import { pgdatinitMachine } from './pgdatinit.machine.js';
import { sectionMachine } from './section.machine.js';
import { systemMachine } from './system.machine.js';
import { workerMachine } from './worker.machine.js';
import { zoneMachine } from './zone.machine.js';

export {
  bootSectionMachine,
  buddyMachine,
  daxUserMachine,
  hotplugLockMachine,
  memoryChannelMachine,
  namespaceMachine,
  nodeMachine,
  padataHelperMachine,
  padataJobMachine,
  pgdatinitMachine,
  sectionMachine,
  systemMachine,
  workerMachine,
  zoneMachine,
};
export type { SimEnv } from './sim-env.js';

/** Actor kind (the machine file's name, as in docs/statecharts) to its machine. */
export const MACHINES: ReadonlyMap<string, AnyStateMachine> = new Map<string, AnyStateMachine>([
  ['boot-section', bootSectionMachine],
  ['buddy', buddyMachine],
  ['dax-user', daxUserMachine],
  ['hotplug-lock', hotplugLockMachine],
  ['memory-channel', memoryChannelMachine],
  ['namespace', namespaceMachine],
  ['node', nodeMachine],
  ['padata-helper', padataHelperMachine],
  ['padata-job', padataJobMachine],
  ['pgdatinit', pgdatinitMachine],
  ['section', sectionMachine],
  ['system', systemMachine],
  ['worker', workerMachine],
  ['zone', zoneMachine],
]);
