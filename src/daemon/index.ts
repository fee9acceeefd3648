// Public surface of the daemon: the composition root used by bin/berthd and tests.
export { main, startDaemon, type RunningDaemon } from './main';
export { parseArgs, usage } from './flags';
export { openEngine, type Engine } from './engine';
export { dataLayout, type DaemonConfig, type DataLayout } from './config';
