// Resource limits checks shared by create and update (moby verifyPlatformContainerResources).
// On update the request is checked on its own (zero = unchanged), so the swap default and
// "memory limit required with memoryswap" only apply at create.
import { cpus } from 'node:os';
import { InvalidArgumentError } from '../errors';
import { swapLimitSupported } from '../runtime';

export const MIN_MEMORY = 6 * 1024 * 1024;

export interface ResourceRequest {
  Memory: number;
  MemorySwap: number;
  MemoryReservation: number;
  NanoCpus: number;
  CpuShares: number;
  CpuPeriod: number;
  CpuQuota: number;
  CpusetCpus: string;
  CpusetMems: string;
  BlkioWeight?: number;
  OomKillDisable?: boolean | null;
  PidsLimit?: number | null;
}

function fail(message: string): never {
  throw new InvalidArgumentError(message);
}

/** Validates and normalizes `r` in place; returns warnings. */
export function validateResources(r: ResourceRequest, update: boolean): string[] {
  const warnings: string[] = [];
  if (!update && r.Memory > 0 && r.MemorySwap === 0) r.MemorySwap = r.Memory * 2;
  if (r.Memory !== 0 && r.Memory < MIN_MEMORY) fail('Minimum memory limit allowed is 6MB');
  if (r.Memory > 0 && r.MemorySwap !== -1 && !swapLimitSupported()) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    r.MemorySwap = -1;
  }
  if (r.Memory > 0 && r.MemorySwap > 0 && r.MemorySwap < r.Memory) fail('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (!update && r.Memory === 0 && r.MemorySwap > 0) fail('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (r.MemoryReservation > 0 && r.MemoryReservation < MIN_MEMORY) fail('Minimum memory reservation allowed is 6MB');
  if (r.Memory > 0 && r.MemoryReservation > 0 && r.Memory < r.MemoryReservation) fail('Minimum memory limit can not be less than memory reservation limit, see usage');
  if (r.OomKillDisable && r.Memory === 0) warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  if (r.NanoCpus > 0 && r.CpuPeriod > 0) fail('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (r.NanoCpus > 0 && r.CpuQuota > 0) fail('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  const nc = cpus().length;
  if (r.NanoCpus !== 0 && (r.NanoCpus < 0 || r.NanoCpus > nc * 1e9)) fail(`range of CPUs is from 0.01 to ${nc}.00, as there are only ${nc} CPUs available`);
  if (r.CpuPeriod !== 0 && (r.CpuPeriod < 1000 || r.CpuPeriod > 1000000)) fail('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if (r.CpuQuota > 0 && r.CpuQuota < 1000) fail('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (r.CpusetCpus && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(r.CpusetCpus)) fail(`Invalid value ${r.CpusetCpus} for cpuset cpus`);
  if (r.CpusetCpus) {
    const max = Math.max(...r.CpusetCpus.split(/[,-]/).map(Number));
    if (max >= nc) fail(`Requested CPUs are not available - requested ${r.CpusetCpus}, available: 0-${nc - 1}`);
  }
  if (r.CpusetMems && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(r.CpusetMems)) fail(`Invalid value ${r.CpusetMems} for cpuset mems`);
  if (r.BlkioWeight && r.BlkioWeight > 0 && (r.BlkioWeight < 10 || r.BlkioWeight > 1000)) fail('Range of blkio weight is from 10 to 1000');
  return warnings;
}
