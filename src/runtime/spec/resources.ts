// cgroup resources from HostConfig (moby WithResources). runc maps these onto cgroup v1
// files or their v2 equivalents, so the spec is the same for both hierarchies.
import { existsSync } from 'node:fs';
import type { HostConfig } from '../../container/types';
import type { OciResources } from './types';
import { defaultDeviceRules } from './defaults';

const CFS_PERIOD_US = 100000;

export type ResourceFields = Pick<HostConfig, 'Memory' | 'MemorySwap' | 'MemoryReservation' | 'NanoCpus' | 'CpuShares' | 'CpuPeriod' | 'CpuQuota' | 'CpusetCpus' | 'CpusetMems' | 'PidsLimit' | 'OomKillDisable' | 'BlkioWeight'>;

let swapSupported: boolean | undefined;
/** cgroup v1 needs swap accounting (memory.memsw.*) for a swap limit; v2 always has it. */
export function swapLimitSupported(): boolean {
  if (swapSupported === undefined) {
    swapSupported = existsSync('/sys/fs/cgroup/memory')
      ? existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes')
      : true;
  }
  return swapSupported;
}

export function buildResources(hc: Partial<ResourceFields>, privileged: boolean): OciResources {
  const res: OciResources = {
    devices: privileged ? [{ allow: true, access: 'rwm' }] : defaultDeviceRules(),
  };
  const memory: NonNullable<OciResources['memory']> = {};
  if (hc.Memory && hc.Memory > 0) memory.limit = hc.Memory;
  if (hc.MemoryReservation && hc.MemoryReservation > 0) memory.reservation = hc.MemoryReservation;
  if (hc.MemorySwap && hc.MemorySwap !== 0 && memory.limit !== undefined && swapLimitSupported()) memory.swap = hc.MemorySwap;
  if (hc.OomKillDisable) memory.disableOOMKiller = true;
  if (Object.keys(memory).length > 0) res.memory = memory;

  const cpu: NonNullable<OciResources['cpu']> = {};
  if (hc.CpuShares && hc.CpuShares > 0) cpu.shares = hc.CpuShares;
  if (hc.NanoCpus && hc.NanoCpus > 0) {
    cpu.period = CFS_PERIOD_US;
    cpu.quota = Math.floor((hc.NanoCpus * CFS_PERIOD_US) / 1e9);
  } else {
    if (hc.CpuPeriod && hc.CpuPeriod > 0) cpu.period = hc.CpuPeriod;
    if (hc.CpuQuota && hc.CpuQuota !== 0) cpu.quota = hc.CpuQuota;
  }
  if (hc.CpusetCpus) cpu.cpus = hc.CpusetCpus;
  if (hc.CpusetMems) cpu.mems = hc.CpusetMems;
  if (Object.keys(cpu).length > 0) res.cpu = cpu;

  if (hc.PidsLimit !== null && hc.PidsLimit !== undefined && hc.PidsLimit !== 0) {
    res.pids = { limit: hc.PidsLimit < 0 ? -1 : hc.PidsLimit };
  }
  if (hc.BlkioWeight && hc.BlkioWeight > 0) res.blockIO = { weight: hc.BlkioWeight };
  return res;
}
