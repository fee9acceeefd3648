// Shared harness for end-to-end tests: a real berthd on temp roots plus client helpers.
export { startDaemon, delay, tail, REPO_ROOT, type TestDaemon, type StartDaemonOptions, type Leftovers } from './daemon';
export { waitFor, type WaitForOptions } from './wait';
export { run, describe, cleanEnv, type RunOptions, type RunResult } from './exec';
export { apiRequest, waitForPing, type ApiResponse, type ApiRequestOptions } from './api';
export { writeBusyboxTar, busyboxApplets, HOST_BUSYBOX, type BusyboxTarOptions } from './busybox-tar';
export {
  forceCleanup, mountsUnder, unmountAllUnder, processesMentioning, conmonProcessesMentioning,
  destroyRuncContainers, removeCgroups, cgroupDirs, sleepSync, type MountEntry, type ProcessEntry,
} from './cleanup';
export { startReferenceRegistry, hasReferenceRegistry, freePort, type ReferenceRegistry } from './reference-registry';
