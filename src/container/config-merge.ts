// Container Config/HostConfig as Docker stores them: request fields with Docker's
// defaults, merged with the image config (moby daemon/commit.go merge).
import { hostname as osHostname } from 'node:os';
import { InvalidArgumentError } from '../errors';
import type { ImageRuntimeConfig } from '../image/types';
import { DEFAULT_SHM_SIZE } from '../runtime';
import type { ContainerConfig, CreateContainerRequest, HostConfig } from './types';

export function defaultHostConfig(): HostConfig {
  return {
    Binds: null, ContainerIDFile: '', LogConfig: { Type: 'json-file', Config: {} }, NetworkMode: 'default',
    PortBindings: {}, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false, VolumeDriver: '',
    VolumesFrom: null, ConsoleSize: [0, 0], CapAdd: null, CapDrop: null, CgroupnsMode: 'host', Dns: [], DnsOptions: [],
    DnsSearch: [], ExtraHosts: null, GroupAdd: null, IpcMode: 'private', Cgroup: '', Links: null, OomScoreAdj: 0,
    PidMode: '', Privileged: false, PublishAllPorts: false, ReadonlyRootfs: false, SecurityOpt: null, UTSMode: '',
    UsernsMode: '', ShmSize: DEFAULT_SHM_SIZE, Runtime: 'runc', Isolation: '', CpuShares: 0, Memory: 0, NanoCpus: 0,
    CgroupParent: '', BlkioWeight: 0, BlkioWeightDevice: [], BlkioDeviceReadBps: [], BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [], BlkioDeviceWriteIOps: [], CpuPeriod: 0, CpuQuota: 0, CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0, CpusetCpus: '', CpusetMems: '', Devices: [], DeviceCgroupRules: null, DeviceRequests: null,
    MemoryReservation: 0, MemorySwap: 0, MemorySwappiness: null, OomKillDisable: null, PidsLimit: null, Ulimits: null,
    CpuCount: 0, CpuPercent: 0, IOMaximumIOps: 0, IOMaximumBandwidth: 0,
  };
}

/** Request HostConfig over the defaults; null/absent fields keep the default. */
export function buildHostConfig(requested: Partial<HostConfig> | undefined, defaultCgroupns: 'host' | 'private'): HostConfig {
  const hc = defaultHostConfig();
  hc.CgroupnsMode = defaultCgroupns;
  for (const [key, value] of Object.entries(requested ?? {})) {
    if (value === undefined) continue;
    if (value === null && hc[key] !== null && hc[key] !== undefined && typeof hc[key] !== 'object') continue;
    hc[key] = value;
  }
  if (!hc.NetworkMode) hc.NetworkMode = 'default';
  if (!hc.IpcMode) hc.IpcMode = 'private';
  if (!hc.ShmSize) hc.ShmSize = DEFAULT_SHM_SIZE;
  if (!hc.CgroupnsMode) hc.CgroupnsMode = defaultCgroupns;
  if (!hc.RestartPolicy || typeof hc.RestartPolicy !== 'object') hc.RestartPolicy = { Name: 'no', MaximumRetryCount: 0 };
  hc.RestartPolicy = { Name: hc.RestartPolicy.Name || 'no', MaximumRetryCount: hc.RestartPolicy.MaximumRetryCount ?? 0 };
  // Clients (docker-py's run) read logs only for json-file/journald: report Docker's default driver name; conmon writes the file.
  if (!hc.LogConfig?.Type) hc.LogConfig = { Type: 'json-file', Config: hc.LogConfig?.Config ?? {} };
  for (const k of ['Memory', 'MemorySwap', 'MemoryReservation', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'OomScoreAdj', 'ShmSize'] as const) {
    if (typeof hc[k] !== 'number' || !Number.isFinite(hc[k])) hc[k] = 0;
  }
  return hc;
}

function strings(value: unknown, field: string): string[] | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new InvalidArgumentError(`invalid JSON: ${field} must be a string array`);
}

/** Config with Docker's defaults and the image merged in; Hostname defaults from the ID (or the host). */
export function buildConfig(request: CreateContainerRequest, image: ImageRuntimeConfig, id: string, hc: HostConfig): ContainerConfig {
  const r = request.config;
  const config: ContainerConfig = {
    Hostname: r.Hostname ?? '', Domainname: r.Domainname ?? '', User: r.User ?? '',
    AttachStdin: r.AttachStdin ?? false, AttachStdout: r.AttachStdout ?? false, AttachStderr: r.AttachStderr ?? false,
    Tty: r.Tty ?? false, OpenStdin: r.OpenStdin ?? false, StdinOnce: r.StdinOnce ?? false,
    Env: strings(r.Env, 'Env') ?? [], Cmd: strings(r.Cmd, 'Cmd'), Image: r.Image,
    Volumes: r.Volumes ?? null, WorkingDir: r.WorkingDir ?? '', Entrypoint: strings(r.Entrypoint, 'Entrypoint'),
    OnBuild: null, Labels: { ...(r.Labels ?? {}) },
  };
  if (r.ExposedPorts) config.ExposedPorts = { ...r.ExposedPorts };
  if (r.Healthcheck) config.Healthcheck = { ...r.Healthcheck };
  if (r.StopSignal) config.StopSignal = r.StopSignal;
  if (r.StopTimeout !== undefined && r.StopTimeout !== null) config.StopTimeout = r.StopTimeout;
  if (r.Shell) config.Shell = r.Shell;
  if (r.NetworkDisabled) config.NetworkDisabled = true;
  if (r.ArgsEscaped) config.ArgsEscaped = r.ArgsEscaped;

  mergeImageConfig(config, image);
  if (config.Entrypoint && config.Entrypoint.length === 1 && config.Entrypoint[0] === '') config.Entrypoint = null;
  if (!config.Entrypoint?.length && !config.Cmd?.length) throw new InvalidArgumentError('no command specified');
  if (config.WorkingDir) config.WorkingDir = normalizeAbs(config.WorkingDir);
  if (!config.Hostname) config.Hostname = hc.NetworkMode === 'host' ? osHostname() : id.slice(0, 12);
  return config;
}

function normalizeAbs(p: string): string {
  if (!p.startsWith('/')) return p; // rejected by validateConfig with Docker's message
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop(); else parts.push(seg);
  }
  return '/' + parts.join('/');
}

export function mergeImageConfig(config: ContainerConfig, image: ImageRuntimeConfig): void {
  if (!config.User) config.User = image.User ?? '';
  if (image.ExposedPorts) config.ExposedPorts = { ...image.ExposedPorts, ...(config.ExposedPorts ?? {}) };
  if (config.Env.length === 0) config.Env = [...(image.Env ?? [])];
  else {
    const keys = new Set(config.Env.map((e) => e.split('=')[0]));
    for (const e of image.Env ?? []) if (!keys.has(e.split('=')[0])) config.Env.push(e);
  }
  for (const [k, v] of Object.entries(image.Labels ?? {})) if (!(k in config.Labels)) config.Labels[k] = v;
  if (!config.Entrypoint?.length) {
    if (!config.Cmd?.length) config.Cmd = image.Cmd ? [...image.Cmd] : null;
    if (config.Entrypoint === null) config.Entrypoint = image.Entrypoint ? [...image.Entrypoint] : null;
  }
  if (image.Healthcheck) {
    const u = config.Healthcheck;
    if (!u) config.Healthcheck = { ...image.Healthcheck };
    else {
      if (!u.Test?.length) u.Test = image.Healthcheck.Test;
      for (const key of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
        if (!u[key]) u[key] = image.Healthcheck[key];
      }
    }
  }
  if (!config.WorkingDir) config.WorkingDir = image.WorkingDir ?? '';
  if (image.Volumes) config.Volumes = { ...(config.Volumes ?? {}), ...image.Volumes };
  if (!config.StopSignal && image.StopSignal) config.StopSignal = image.StopSignal;
  if (image.Shell && !config.Shell) config.Shell = image.Shell;
}

/** Docker's Path/Args split of Entrypoint + Cmd. */
export function entrypointAndArgs(config: ContainerConfig): { path: string; args: string[] } {
  const cmd = config.Cmd ?? [];
  if (!config.Entrypoint?.length) return { path: cmd[0], args: cmd.slice(1) };
  return { path: config.Entrypoint[0], args: [...config.Entrypoint.slice(1), ...cmd] };
}
