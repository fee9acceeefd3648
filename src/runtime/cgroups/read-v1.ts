// cgroup v1 counters (containerd's cgroup1 metrics, as dockerd reports them).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseBlkioV1, parseKeyValues, parseNumber } from './parse';
import type { BlkioCounters, CgroupSample, CpuCounters, MemoryCounters } from './types';

const NS_PER_TICK = 1e7; // USER_HZ is 100 on Linux

/** The memory.stat keys dockerd puts in memory_stats.stats on cgroup v1 (missing ones are 0). */
export const V1_MEMORY_STAT_KEYS = [
  'cache', 'rss', 'rss_huge', 'mapped_file', 'dirty', 'writeback', 'pgpgin', 'pgpgout', 'pgfault', 'pgmajfault',
  'inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable',
  'hierarchical_memory_limit', 'hierarchical_memsw_limit',
  'total_cache', 'total_rss', 'total_rss_huge', 'total_mapped_file', 'total_dirty', 'total_writeback',
  'total_pgpgin', 'total_pgpgout', 'total_pgfault', 'total_pgmajfault', 'total_inactive_anon', 'total_active_anon',
  'total_inactive_file', 'total_active_file', 'total_unevictable',
];

function read(dir: string | undefined, file: string): string | undefined {
  if (!dir) return undefined;
  try { return readFileSync(path.join(dir, file), 'utf8'); } catch { return undefined; }
}

function readCpu(cpuacct: string | undefined, cpu: string | undefined): CpuCounters | undefined {
  const usage = read(cpuacct, 'cpuacct.usage');
  if (usage === undefined) return undefined;
  const times = parseKeyValues(read(cpuacct, 'cpuacct.stat') ?? '');
  const perCpu = (read(cpuacct, 'cpuacct.usage_percpu') ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
  const throttling = parseKeyValues(read(cpu, 'cpu.stat') ?? '');
  return {
    totalUsage: parseNumber(usage),
    kernelUsage: (times.system ?? 0) * NS_PER_TICK,
    userUsage: (times.user ?? 0) * NS_PER_TICK,
    perCpu,
    periods: throttling.nr_periods ?? 0,
    throttledPeriods: throttling.nr_throttled ?? 0,
    throttledTime: throttling.throttled_time ?? 0,
  };
}

function readMemory(dir: string | undefined): MemoryCounters | undefined {
  const statText = read(dir, 'memory.stat');
  if (statText === undefined) return undefined;
  const raw = parseKeyValues(statText);
  const stats: Record<string, number> = {};
  // Sorted, as dockerd marshals the map.
  for (const key of [...V1_MEMORY_STAT_KEYS].sort()) stats[key] = raw[key] ?? 0;
  const num = (file: string) => { const t = read(dir, file); return t === undefined ? undefined : parseNumber(t); };
  return {
    usage: num('memory.usage_in_bytes'),
    maxUsage: num('memory.max_usage_in_bytes'),
    limit: num('memory.limit_in_bytes'),
    failcnt: num('memory.failcnt'),
    stats,
  };
}

// CFQ counters first; when the devices do not use CFQ (or it is absent) the throttle files.
const CFQ_FILES: Array<[keyof BlkioCounters, string]> = [
  ['sectors_recursive', 'blkio.sectors_recursive'],
  ['io_service_bytes_recursive', 'blkio.io_service_bytes_recursive'],
  ['io_serviced_recursive', 'blkio.io_serviced_recursive'],
  ['io_queue_recursive', 'blkio.io_queued_recursive'],
  ['io_service_time_recursive', 'blkio.io_service_time_recursive'],
  ['io_wait_time_recursive', 'blkio.io_wait_time_recursive'],
  ['io_merged_recursive', 'blkio.io_merged_recursive'],
  ['io_time_recursive', 'blkio.time_recursive'],
];

function readBlkio(dir: string | undefined): BlkioCounters | undefined {
  if (!dir) return undefined;
  const out: BlkioCounters = {
    io_service_bytes_recursive: [], io_serviced_recursive: [], io_queue_recursive: [], io_service_time_recursive: [],
    io_wait_time_recursive: [], io_merged_recursive: [], io_time_recursive: [], sectors_recursive: [],
  };
  let entries = 0;
  if (existsSync(path.join(dir, 'blkio.io_serviced_recursive'))) {
    for (const [key, file] of CFQ_FILES) {
      out[key] = parseBlkioV1(read(dir, file) ?? '');
      entries += out[key]!.length;
    }
  }
  if (entries > 0) return out;
  const throttle = (name: string) => read(dir, `blkio.throttle.${name}_recursive`) ?? read(dir, `blkio.throttle.${name}`) ?? '';
  out.io_service_bytes_recursive = parseBlkioV1(throttle('io_service_bytes'));
  out.io_serviced_recursive = parseBlkioV1(throttle('io_serviced'));
  return out;
}

export function readV1(dirs: Map<string, string>): CgroupSample {
  const pidsDir = dirs.get('pids');
  const current = read(pidsDir, 'pids.current');
  return {
    version: 1,
    cpu: readCpu(dirs.get('cpuacct'), dirs.get('cpu')),
    memory: readMemory(dirs.get('memory')),
    pids: current === undefined ? undefined : { current: parseNumber(current), limit: parseNumber(read(pidsDir, 'pids.max') ?? 'max', 0) },
    blkio: readBlkio(dirs.get('blkio')),
  };
}
