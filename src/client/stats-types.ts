// Wire types of the stats, top and update endpoints (the fields the CLI reads).

export interface StatsCpu {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface StatsBlkioEntry { major: number; minor: number; op: string; value: number }

export interface StatsResponse {
  id?: string;
  name?: string;
  read: string;
  preread: string;
  cpu_stats: StatsCpu;
  precpu_stats: StatsCpu;
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats?: { current?: number; limit?: number };
  blkio_stats?: { io_service_bytes_recursive?: StatsBlkioEntry[] | null };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
}

export interface TopResponse { Titles: string[]; Processes: string[][] }

export interface UpdateBody {
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  PidsLimit?: number;
  BlkioWeight?: number;
  RestartPolicy?: { Name: string; MaximumRetryCount: number };
}
