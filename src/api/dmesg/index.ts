/** Kernel boot logs (dmesg) in: a scenario of the machine and the deferred-init times of each boot. */
export { parseBootLog, type BootLog } from './boot-log.js';
export { dmesgMeasures, MAX_DMESG_LOGS, type DmesgRow } from './measures.js';
export { readLog, MAX_LOG_BYTES } from './read-log.js';
export { scenarioFromLog, type DmesgScenario } from './to-scenario.js';
export { stripPrefix, logLines } from './lines.js';
