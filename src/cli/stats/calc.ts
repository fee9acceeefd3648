// Docker CLI's stats arithmetic (cli/command/container/stats_helpers.go): CPU % from the
// deltas against precpu_stats, memory without the inactive page cache, block I/O and
// network totals.
import type { StatsCpu, StatsResponse } from '../../client/stats-types';

export interface StatsEntry {
  container: string; // as named on the command line, or the ID when listing
  name: string;
  id: string;
  cpuPercentage: number;
  memory: number;
  memoryLimit: number;
  memoryPercentage: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pidsCurrent: number;
  /** Set after an error: every value prints as "--". */
  invalid: boolean;
}

export function cpuPercent(previous: StatsCpu | undefined, current: StatsCpu): number {
  const cpuDelta = (current.cpu_usage?.total_usage ?? 0) - (previous?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (current.system_cpu_usage ?? 0) - (previous?.system_cpu_usage ?? 0);
  let online = current.online_cpus ?? 0;
  if (online === 0) online = current.cpu_usage?.percpu_usage?.length ?? 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
}

/** Usage minus inactive file pages (cgroup v1: total_inactive_file, v2: inactive_file). */
export function memUsageNoCache(mem: StatsResponse['memory_stats']): number {
  const usage = mem.usage ?? 0;
  const stats = mem.stats ?? {};
  const v1 = stats.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file ?? 0;
  if (v2 < usage) return usage - v2;
  return usage;
}

export function memPercent(limit: number, used: number): number {
  return limit !== 0 ? (used / limit) * 100 : 0;
}

export function blockIo(blkio: StatsResponse['blkio_stats']): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const e of blkio?.io_service_bytes_recursive ?? []) {
    const op = e.op?.[0];
    if (op === 'r' || op === 'R') read += e.value;
    else if (op === 'w' || op === 'W') write += e.value;
  }
  return { read, write };
}

export function networkIo(networks: StatsResponse['networks']): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(networks ?? {})) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  return { rx, tx };
}

export function entryFrom(container: string, v: StatsResponse): StatsEntry {
  const memory = memUsageNoCache(v.memory_stats ?? {});
  const limit = v.memory_stats?.limit ?? 0;
  const net = networkIo(v.networks);
  const blk = blockIo(v.blkio_stats);
  return {
    container, name: v.name ?? '', id: v.id ?? '',
    cpuPercentage: cpuPercent(v.precpu_stats, v.cpu_stats),
    memory, memoryLimit: limit, memoryPercentage: memPercent(limit, memory),
    networkRx: net.rx, networkTx: net.tx, blockRead: blk.read, blockWrite: blk.write,
    pidsCurrent: v.pids_stats?.current ?? 0, invalid: false,
  };
}

export function invalidEntry(container: string, previous?: StatsEntry): StatsEntry {
  return {
    container, name: previous?.name ?? '', id: previous?.id ?? '', cpuPercentage: 0, memory: 0, memoryLimit: 0,
    memoryPercentage: 0, networkRx: 0, networkTx: 0, blockRead: 0, blockWrite: 0, pidsCurrent: 0, invalid: true,
  };
}
