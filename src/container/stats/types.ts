// Docker's stats record (GET /containers/{id}/stats), with its JSON field names.
import type { BlkioCounters } from '../../runtime/cgroups';

export interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface MemoryStats {
  usage?: number;
  max_usage?: number;
  stats?: Record<string, number>;
  failcnt?: number;
  limit?: number;
}

export interface ContainerStats {
  read: string;
  preread: string;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: BlkioCounters;
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: MemoryStats;
  name: string; // "/<name>"
  id: string;
  os_type: string;
}

export interface StatsOptions {
  /** One record per second until the client goes away (default true). */
  stream: boolean;
  /** With stream=false: answer at once instead of waiting a second for precpu_stats. */
  oneShot: boolean;
}

export interface TopResult { Titles: string[]; Processes: string[][] }
