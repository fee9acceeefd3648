// Processes and OOM kills of a container's cgroup.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseKeyValues, parseProcStat } from './parse';
import type { CgroupLocation } from './types';

function read(dir: string | undefined, file: string): string | undefined {
  if (!dir) return undefined;
  try { return readFileSync(path.join(dir, file), 'utf8'); } catch { return undefined; }
}

/** PIDs (host namespace) of every process in the container's cgroup. */
export function cgroupPids(loc: CgroupLocation): number[] {
  const dir = loc.version === 2 ? loc.v2 : (loc.v1.get('pids') ?? loc.v1.get('memory') ?? loc.v1.get('cpuacct'));
  const text = read(dir, 'cgroup.procs') ?? '';
  return text.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
}

/**
 * How many processes the kernel OOM-killed in this cgroup: v1 memory.oom_control's
 * oom_kill (kernel ≥ 4.13), v2 memory.events' oom_kill. Undefined when not readable.
 */
export function oomKillCount(loc: CgroupLocation): number | undefined {
  const text = loc.version === 2 ? read(loc.v2, 'memory.events') : read(loc.v1.get('memory'), 'memory.oom_control');
  if (text === undefined) return undefined;
  return parseKeyValues(text).oom_kill;
}

/** Host CPU time (ns) and online CPUs, sampled next to the container's counters. */
export function systemCpu(): { systemUsage: number; onlineCpus: number } {
  try { return parseProcStat(readFileSync('/proc/stat', 'utf8')); } catch { return { systemUsage: 0, onlineCpus: 0 }; }
}
