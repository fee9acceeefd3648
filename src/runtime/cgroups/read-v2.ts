// cgroup v2 counters (containerd's cgroup2 metrics, as dockerd reports them).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseIoStatV2, parseKeyValues, parseNumber } from './parse';
import type { CgroupSample } from './types';

/** The memory.stat keys dockerd puts in memory_stats.stats on cgroup v2 (missing ones are 0). */
export const V2_MEMORY_STAT_KEYS = [
  'anon', 'file', 'kernel_stack', 'slab', 'sock', 'shmem', 'file_mapped', 'file_dirty', 'file_writeback', 'anon_thp',
  'inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable', 'slab_reclaimable', 'slab_unreclaimable',
  'pgfault', 'pgmajfault', 'workingset_refault', 'workingset_activate', 'workingset_nodereclaim', 'pgrefill', 'pgscan',
  'pgsteal', 'pgactivate', 'pgdeactivate', 'pglazyfree', 'pglazyfreed', 'thp_fault_alloc', 'thp_collapse_alloc',
];

// "max" → the largest uint64 as containerd reports it; callers clamp to machine memory.
const UNLIMITED = 2 ** 64 - 1;

export function readV2(dir: string): CgroupSample {
  const read = (file: string): string | undefined => {
    try { return readFileSync(path.join(dir, file), 'utf8'); } catch { return undefined; }
  };
  const sample: CgroupSample = { version: 2 };
  const cpuStat = read('cpu.stat');
  if (cpuStat !== undefined) {
    const s = parseKeyValues(cpuStat);
    sample.cpu = {
      totalUsage: (s.usage_usec ?? 0) * 1000,
      kernelUsage: (s.system_usec ?? 0) * 1000,
      userUsage: (s.user_usec ?? 0) * 1000,
      periods: s.nr_periods ?? 0,
      throttledPeriods: s.nr_throttled ?? 0,
      throttledTime: (s.throttled_usec ?? 0) * 1000,
    };
  }
  const memStat = read('memory.stat');
  if (memStat !== undefined) {
    const raw = parseKeyValues(memStat);
    // Newer kernels split workingset_refault into _anon/_file; dockerd's keys keep the old names.
    const stats: Record<string, number> = {};
    for (const key of [...V2_MEMORY_STAT_KEYS].sort()) stats[key] = raw[key] ?? ((raw[`${key}_anon`] ?? 0) + (raw[`${key}_file`] ?? 0));
    const current = read('memory.current');
    const events = read('memory.events');
    sample.memory = {
      usage: current === undefined ? undefined : parseNumber(current),
      limit: parseNumber(read('memory.max') ?? 'max', UNLIMITED),
      failcnt: events === undefined ? undefined : parseKeyValues(events).oom ?? 0,
      stats,
    };
  }
  const pids = read('pids.current');
  if (pids !== undefined) sample.pids = { current: parseNumber(pids), limit: parseNumber(read('pids.max') ?? 'max', 0) };
  const io = read('io.stat');
  if (io !== undefined) {
    const entries = parseIoStatV2(io);
    sample.blkio = {
      io_service_bytes_recursive: entries.length > 0 ? entries : null, io_serviced_recursive: null, io_queue_recursive: null,
      io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null,
      sectors_recursive: null,
    };
  }
  return sample;
}
