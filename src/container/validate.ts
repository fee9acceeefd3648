// Create-time validation of Config and HostConfig with Docker's messages
// (moby daemon/container.go validateContainerConfig/validateHostConfig and
// daemon_unix.go verifyPlatformContainerResources). All are 400s.
import { InvalidArgumentError, NotFoundError } from '../errors';
import { checkOomScoreAdj, checkUlimits } from '../runtime';
import { validateResources } from './validate-resources';
import { parseSignal } from './signals';
import { validateExtraHosts } from './etc-files';
import type { ContainerConfig, HostConfig, RestartPolicy } from './types';

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

export function validateRestartPolicy(policy: RestartPolicy): void {
  if (!RESTART_POLICIES.includes(policy.Name)) {
    fail(`invalid restart policy: unknown policy '${policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }
  // moby ValidateRestartPolicy; "" (pre-v25 clients' default) takes any count.
  const count = policy.MaximumRetryCount ?? 0;
  if (policy.Name === 'on-failure' && count < 0) fail('invalid restart policy: maximum retry count cannot be negative');
  if (policy.Name !== 'on-failure' && policy.Name !== '' && count !== 0) {
    fail("invalid restart policy: maximum retry count can only be used with 'on-failure'" + (count < 0 ? ' and cannot be negative' : ''));
  }
}

/** Validates and normalizes in place (Docker's adaptContainerSettings); returns warnings. */
export function validateHostConfig(hc: HostConfig): string[] {
  const warnings: string[] = [];
  const policy = hc.RestartPolicy;
  validateRestartPolicy(policy);
  if (hc.AutoRemove && policy.Name !== '' && policy.Name !== 'no') fail("can't create 'AutoRemove' container with restart policy");
  const extra = validateExtraHosts(hc.ExtraHosts);
  if (extra) fail(extra);
  if (!NETWORK_MODES.includes(hc.NetworkMode)) throw new NotFoundError(`network ${hc.NetworkMode} not found`);

  warnings.push(...validateResources(hc, false));
  checkUlimits(hc.Ulimits);
  if (hc.ShmSize < 0) fail('SHM size can not be less than 0');
  if (hc.OomScoreAdj < -1000 || hc.OomScoreAdj > 1000) fail(`Invalid value ${hc.OomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  checkOomScoreAdj(hc.OomScoreAdj);
  return warnings;
}
