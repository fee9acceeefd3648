// Benchmark suite public surface (the entry point is run.ts: `node dist/bench/run.js`).
export { main } from './run';
export { Report, summarize, type Summary } from './stats';
export { timeOnce, timeRepeated, benchEnv, type TimedCommand } from './timing';
export { benchRawRunc, writeBusyboxRootfs } from './runc-raw';
export { benchRunRm, benchLifecycle, benchLifecycleApi, benchFleet, type EngineTarget, type Cli } from './engine-suite';
export { openDockerEngine, ensureBusybox } from './docker-engine';
export { benchStatsLatency, type StatsLatency } from './stats-latency';
