// Create-time validation of Config and HostConfig with Docker's messages
// (moby daemon/container.go validateContainerConfig/validateHostConfig and
// daemon_unix.go verifyPlatformContainerResources). All are 400s.
import { cpus } from 'node:os';
import { InvalidArgumentError, NotFoundError } from '../errors';
import { swapLimitSupported } from '../runtime';
import { parseSignal } from './signals';
import { validateExtraHosts } from './etc-files';
import type { ContainerConfig, HostConfig } from './types';

const MIN_MEMORY = 6 * 1024 * 1024;
const RESTART_POLICIES = ['', 'no', 'always', 'on-failure', 'unless-stopped'];
const NETWORK_MODES = ['default', 'bridge', 'none', 'host'];

function fail(message: string): never {
  throw new InvalidArgumentError(message);
}

export function validateConfig(config: ContainerConfig): void {
  if (config.WorkingDir && !config.WorkingDir.startsWith('/')) {
    fail(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  }
  if (config.StopSignal) parseSignal(config.StopSignal);
  for (const env of config.Env ?? []) {
    if (typeof env !== 'string' || env === '' || env.startsWith('=')) fail(`invalid environment variable: ${String(env)}`);
  }
  const hc = config.Healthcheck;
  const minNs = 1e6; // 1ms
  if (hc) {
    for (const key of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval'] as const) {
      const v = hc[key];
      if (v && v !== 0 && v < minNs) fail(`${key} in Healthcheck cannot be less than 1ms`);
    }
    if (hc.Retries !== undefined && hc.Retries < 0) fail('Retries in Healthcheck cannot be negative');
  }
}

/** Validates and normalizes in place (Docker's adaptContainerSettings); returns warnings. */
export function validateHostConfig(hc: HostConfig): string[] {
  const warnings: string[] = [];
  const policy = hc.RestartPolicy;
  if (!RESTART_POLICIES.includes(policy.Name)) {
    fail(`invalid restart policy: unknown policy '${policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  // moby ValidateRestartPolicy; "" (pre-v25 clients' default) takes any count.
  const count = policy.MaximumRetryCount ?? 0;
  if (policy.Name === 'on-failure' && count < 0) fail('invalid restart policy: maximum retry count cannot be negative');
  if (policy.Name !== 'on-failure' && policy.Name !== '' && count !== 0) {
    fail("invalid restart policy: maximum retry count can only be used with 'on-failure'" + (count < 0 ? ' and cannot be negative' : ''));
  }
  if (hc.AutoRemove && policy.Name !== '' && policy.Name !== 'no') fail("can't create 'AutoRemove' container with restart policy");
  const extra = validateExtraHosts(hc.ExtraHosts);
  if (extra) fail(extra);
  if (!NETWORK_MODES.includes(hc.NetworkMode)) throw new NotFoundError(`network ${hc.NetworkMode} not found`);

  if (hc.Memory > 0 && hc.MemorySwap === 0) hc.MemorySwap = hc.Memory * 2;
  if (hc.Memory !== 0 && hc.Memory < MIN_MEMORY) fail('Minimum memory limit allowed is 6MB');
  if (hc.Memory > 0 && hc.MemorySwap !== -1 && !swapLimitSupported()) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    hc.MemorySwap = -1;
  }
  if (hc.Memory > 0 && hc.MemorySwap > 0 && hc.MemorySwap < hc.Memory) fail('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (hc.Memory === 0 && hc.MemorySwap > 0) fail('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (hc.MemoryReservation > 0 && hc.MemoryReservation < MIN_MEMORY) fail('Minimum memory reservation allowed is 6MB');
  if (hc.Memory > 0 && hc.MemoryReservation > 0 && hc.Memory < hc.MemoryReservation) fail('Minimum memory limit can not be less than memory reservation limit, see usage');
  if (hc.OomKillDisable && hc.Memory === 0) warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  if (hc.NanoCpus > 0 && hc.CpuPeriod > 0) fail('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (hc.NanoCpus > 0 && hc.CpuQuota > 0) fail('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  const nc = cpus().length;
  if (hc.NanoCpus !== 0 && (hc.NanoCpus < 0 || hc.NanoCpus > nc * 1e9)) fail(`range of CPUs is from 0.01 to ${nc}.00, as there are only ${nc} CPUs available`);
  if (hc.CpuPeriod !== 0 && (hc.CpuPeriod < 1000 || hc.CpuPeriod > 1000000)) fail('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if (hc.CpuQuota > 0 && hc.CpuQuota < 1000) fail('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (hc.CpusetCpus && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(hc.CpusetCpus)) fail(`Invalid value ${hc.CpusetCpus} for cpuset cpus`);
  if (hc.CpusetCpus) {
    const max = Math.max(...hc.CpusetCpus.split(/[,-]/).map(Number));
    if (max >= nc) fail(`Requested CPUs are not available - requested ${hc.CpusetCpus}, available: 0-${nc - 1}`);
  }
  if (hc.ShmSize < 0) fail('SHM size can not be less than 0');
  if (hc.OomScoreAdj < -1000 || hc.OomScoreAdj > 1000) fail(`Invalid value ${hc.OomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  return warnings;
}
