// Stats and top for running containers, read from their cgroups.
export type { ContainerStats, CpuStats, MemoryStats, StatsOptions, TopResult } from './types';
export { statsRecords, STATS_INTERVAL_MS } from './stream';
export { sampleStats, zeroStats, containerCgroup } from './sample';
export { topContainer, parsePsOutput, validatePsArgs } from './top';
