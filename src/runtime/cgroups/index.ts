// Reading a container's cgroup (v1 or v2): counters for stats, its processes for top,
// and OOM kills for exits conmon did not flag.
import { readV1 } from './read-v1';
import { readV2 } from './read-v2';
import type { CgroupLocation, CgroupSample } from './types';

export type { BlkioCounters, BlkioEntry, CgroupLocation, CgroupSample, CpuCounters, MemoryCounters } from './types';
export { locateProcess, locateCgroupsPath, parseCgroupMounts, parseProcCgroup } from './mounts';
export { cgroupPids, oomKillCount, systemCpu } from './procs';
export { parseBlkioV1, parseIoStatV2, parseKeyValues, parseNumber, parseProcStat } from './parse';
export { V1_MEMORY_STAT_KEYS } from './read-v1';
export { V2_MEMORY_STAT_KEYS } from './read-v2';

export function readCgroup(loc: CgroupLocation): CgroupSample {
  return loc.version === 2 && loc.v2 ? readV2(loc.v2) : readV1(loc.v1);
}
