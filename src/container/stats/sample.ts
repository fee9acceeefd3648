// One stats record for a container from its cgroup, or Docker's zeroed record
// when it is not running.
import { totalmem } from 'node:os';
import { ZERO_TIME, nowRfc3339Nano, containerCgroupsPath } from '../../runtime';
import { locateCgroupsPath, locateProcess, readCgroup, systemCpu, type BlkioCounters, type CgroupLocation } from '../../runtime/cgroups';
import type { Container } from '../types';
import type { ContainerStats, CpuStats } from './types';

export function zeroCpuStats(): CpuStats {
  return {
    cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

function nullBlkio(): BlkioCounters {
  return {
    io_service_bytes_recursive: null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null,
    io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
  };
}

/** What dockerd sends for a container that is not running: only name and ID set. */
export function zeroStats(c: Container): ContainerStats {
  return {
    read: ZERO_TIME, preread: ZERO_TIME, pids_stats: {}, blkio_stats: nullBlkio(), num_procs: 0, storage_stats: {},
    cpu_stats: zeroCpuStats(), precpu_stats: zeroCpuStats(), memory_stats: {}, name: '/' + c.name, id: c.id, os_type: 'linux',
  };
}

/** The container's cgroup: from its init process, else where runc was told to put it. */
export function containerCgroup(c: Container, cgroupParent: string): CgroupLocation | undefined {
  return (c.state.Pid > 0 ? locateProcess(c.state.Pid) : undefined) ?? locateCgroupsPath(containerCgroupsPath(cgroupParent, c.id));
}

/** A sample of a running container; undefined when its cgroup is gone (it just exited). */
export function sampleStats(c: Container, cgroupParent: string): ContainerStats | undefined {
  const loc = containerCgroup(c, cgroupParent);
  if (!loc) return undefined;
  const read = nowRfc3339Nano();
  const cg = readCgroup(loc);
  // Sampled right after the container's counters so that the CPU ratio is not skewed.
  const sys = systemCpu();
  const out = zeroStats(c);
  out.read = read;
  if (cg.cpu) {
    out.cpu_stats = {
      cpu_usage: {
        total_usage: cg.cpu.totalUsage,
        ...(cg.cpu.perCpu && cg.cpu.perCpu.length > 0 ? { percpu_usage: cg.cpu.perCpu } : {}),
        usage_in_kernelmode: cg.cpu.kernelUsage,
        usage_in_usermode: cg.cpu.userUsage,
      },
      throttling_data: { periods: cg.cpu.periods, throttled_periods: cg.cpu.throttledPeriods, throttled_time: cg.cpu.throttledTime },
    };
  }
  if (sys.systemUsage > 0) out.cpu_stats.system_cpu_usage = sys.systemUsage;
  if (sys.onlineCpus > 0) out.cpu_stats.online_cpus = sys.onlineCpus;
  if (cg.memory) {
    const m = cg.memory;
    const machine = totalmem();
    const limit = m.limit !== undefined && m.limit > machine ? machine : m.limit;
    out.memory_stats = {
      ...(m.usage ? { usage: m.usage } : {}),
      ...(m.maxUsage ? { max_usage: m.maxUsage } : {}),
      stats: m.stats,
      ...(m.failcnt ? { failcnt: m.failcnt } : {}),
      ...(limit ? { limit } : {}),
    };
  }
  if (cg.pids) {
    out.pids_stats = { ...(cg.pids.current ? { current: cg.pids.current } : {}), ...(cg.pids.limit ? { limit: cg.pids.limit } : {}) };
  }
  if (cg.blkio) out.blkio_stats = cg.blkio;
  return out;
}
