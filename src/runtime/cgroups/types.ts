// A container's cgroup counters, read from cgroup v1 or v2 files and normalized into
// the units Docker reports (nanoseconds, bytes). Field names follow Docker's stats.

export interface BlkioEntry { major: number; minor: number; op: string; value: number }

/** Docker's blkio_stats keys; null = the hierarchy has no such counter. */
export interface BlkioCounters {
  io_service_bytes_recursive: BlkioEntry[] | null;
  io_serviced_recursive: BlkioEntry[] | null;
  io_queue_recursive: BlkioEntry[] | null;
  io_service_time_recursive: BlkioEntry[] | null;
  io_wait_time_recursive: BlkioEntry[] | null;
  io_merged_recursive: BlkioEntry[] | null;
  io_time_recursive: BlkioEntry[] | null;
  sectors_recursive: BlkioEntry[] | null;
}

export interface CpuCounters {
  totalUsage: number;
  kernelUsage: number;
  userUsage: number;
  /** cgroup v1 only (cpuacct.usage_percpu). */
  perCpu?: number[];
  periods: number;
  throttledPeriods: number;
  throttledTime: number;
}

export interface MemoryCounters {
  usage?: number;
  maxUsage?: number;
  /** Raw limit; "unlimited" is a huge number, callers clamp it to the machine's memory. */
  limit?: number;
  failcnt?: number;
  stats: Record<string, number>;
}

export interface CgroupSample {
  version: 1 | 2;
  cpu?: CpuCounters;
  memory?: MemoryCounters;
  pids?: { current: number; limit: number }; // limit 0 = no limit
  blkio?: BlkioCounters;
}

/** Where a container's cgroup lives: one directory per v1 controller, or one v2 directory. */
export interface CgroupLocation {
  version: 1 | 2;
  /** v1: controller name → directory. */
  v1: Map<string, string>;
  /** v2: the container's directory in the unified hierarchy. */
  v2?: string;
}
