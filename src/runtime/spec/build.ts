// OCI config.json for a container: Docker's default profile plus what the container's
// Config and HostConfig ask for. Built at start time because the user is resolved
// through the mounted rootfs.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';
import type { ContainerConfig, HostConfig } from '../../container/types';
import { DEFAULT_SHM_SIZE, READONLY_PATHS, defaultMounts, maskedPaths } from './defaults';
import { buildCapabilities, buildEnv, oomScoreAdj } from './process';
import { buildResources } from './resources';
import { buildRlimits } from './rlimits';
import { containerCgroupsPath } from './cgroups-path';
import { hostDevices, mappedDevices } from './devices';
import { applyInit, initApplies } from './init';
import { resolveUser, type ExecUser } from './user';
import { hostConfigMounts } from './host-mounts';
import type { OciMount, OciNamespace, OciSpec } from './types';

export interface SpecInput {
  id: string;
  rootfs: string; // mounted rootfs (absolute)
  path: string; // argv[0]
  args: string[];
  config: ContainerConfig;
  hostConfig: HostConfig;
  hostsPath: string;
  hostnamePath: string;
  resolvConfPath: string;
  cgroupParent: string;
  /** Host path of the init binary when the container runs with --init. */
  initBinary?: string;
}

export interface BuiltSpec { spec: OciSpec; user: ExecUser }

const cgroupV2Only = existsSync('/sys/fs/cgroup/cgroup.controllers');

export function buildSpec(input: SpecInput): BuiltSpec {
  const { config, hostConfig: hc } = input;
  const privileged = hc.Privileged === true;
  const user = resolveUser(input.rootfs, config.User ?? '', hc.GroupAdd ?? []);
  const cwd = config.WorkingDir || '/';
  if (!cwd.startsWith('/')) throw new InvalidArgumentError(`the working directory '${cwd}' is invalid, it needs to be an absolute path`);

  const hostNet = hc.NetworkMode === 'host';
  const namespaces: OciNamespace[] = [{ type: 'mount' }];
  // NetworkDisabled keeps an empty private namespace even with NetworkMode host (as moby).
  if (!hostNet || config.NetworkDisabled) namespaces.push({ type: 'network' });
  if (hc.UTSMode !== 'host') namespaces.push({ type: 'uts' });
  if (hc.PidMode !== 'host') namespaces.push({ type: 'pid' });
  if (hc.IpcMode !== 'host') namespaces.push({ type: 'ipc' });
  // Docker's default cgroupns mode: private on cgroup v2, host on v1/hybrid.
  const cgroupns = hc.CgroupnsMode === 'private' || (hc.CgroupnsMode !== 'host' && cgroupV2Only);
  if (cgroupns) namespaces.push({ type: 'cgroup' });

  const mounts = buildMounts(input, privileged);
  const resources = buildResources(hc, privileged);
  const devices = privileged ? hostDevices() : [];
  for (const d of hc.Devices ?? []) {
    const mapped = mappedDevices(d.PathOnHost, d.PathInContainer, d.CgroupPermissions);
    devices.push(...mapped.devices);
    if (!privileged) resources.devices.push(...mapped.rules);
  }

  const sysctl: Record<string, string> = {};
  if (namespaces.some((n) => n.type === 'network')) {
    // Docker's safe defaults for a private network namespace.
    if (existsSync('/proc/sys/net/ipv4/ping_group_range')) sysctl['net.ipv4.ping_group_range'] = '0 2147483647';
    if (existsSync('/proc/sys/net/ipv4/ip_unprivileged_port_start')) sysctl['net.ipv4.ip_unprivileged_port_start'] = '0';
  }
  for (const [k, v] of Object.entries((hc.Sysctls as Record<string, string> | undefined) ?? {})) sysctl[k] = v;

  const securityOpt = hc.SecurityOpt ?? [];
  const noNewPrivileges = securityOpt.some((o) => o === 'no-new-privileges' || o === 'no-new-privileges:true' || o === 'no-new-privileges=true');

  const spec: OciSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: config.Tty === true,
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
      args: [input.path, ...input.args],
      env: buildEnv(config.Hostname, config.Tty === true, config.Env, user.home),
      cwd: path.posix.normalize(cwd),
      capabilities: buildCapabilities(privileged, hc.CapAdd, hc.CapDrop),
      rlimits: buildRlimits(hc.Ulimits),
      noNewPrivileges,
      oomScoreAdj: oomScoreAdj(hc.OomScoreAdj),
    },
    root: { path: input.rootfs, readonly: hc.ReadonlyRootfs === true },
    mounts,
    linux: {
      namespaces,
      devices,
      resources,
      cgroupsPath: containerCgroupsPath(input.cgroupParent, input.id),
      maskedPaths: privileged ? [] : stringList(hc.MaskedPaths) ?? maskedPaths(),
      readonlyPaths: privileged ? [] : stringList(hc.ReadonlyPaths) ?? [...READONLY_PATHS],
      sysctl,
    },
  };
  if (input.initBinary && initApplies(hc.PidMode)) applyInit(spec, input.initBinary);
  const consoleSize = hc.ConsoleSize as [number, number] | undefined;
  if (spec.process.terminal && Array.isArray(consoleSize) && consoleSize[0] > 0 && consoleSize[1] > 0) {
    spec.process.consoleSize = { height: consoleSize[0], width: consoleSize[1] };
  }
  if (hc.UTSMode !== 'host') {
    spec.hostname = config.Hostname;
    if (config.Domainname) spec.domainname = config.Domainname;
  }
  return { spec, user };
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

function buildMounts(input: SpecInput, privileged: boolean): OciMount[] {
  const hc = input.hostConfig;
  const shmSize = hc.ShmSize && hc.ShmSize > 0 ? hc.ShmSize : DEFAULT_SHM_SIZE;
  let mounts = defaultMounts(shmSize);
  if (privileged) {
    // Docker leaves /sys and its cgroup mount writable for privileged containers.
    mounts = mounts.map((m) => (m.type === 'sysfs' || m.type === 'cgroup' ? { ...m, options: m.options.filter((o) => o !== 'ro') } : m));
  }
  if (hc.IpcMode === 'host') {
    mounts = mounts.filter((m) => m.destination !== '/dev/shm' && m.destination !== '/dev/mqueue');
    mounts.push({ destination: '/dev/shm', type: 'bind', source: '/dev/shm', options: ['rbind', 'rprivate'] });
  }
  for (const [dest, opts] of Object.entries(hc.Tmpfs ?? {})) {
    if (!dest.startsWith('/')) throw new InvalidArgumentError(`invalid mount path: '${dest}' mount path must be absolute`);
    const extra = opts ? opts.split(',').filter(Boolean) : [];
    mounts = mounts.filter((m) => m.destination !== dest);
    mounts.push({ destination: dest, type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', ...extra] });
  }
  for (const m of hostConfigMounts(hc.Mounts)) {
    mounts = mounts.filter((x) => x.destination !== m.destination);
    mounts.push(m);
  }
  const bind = (destination: string, source: string): OciMount => ({
    destination, type: 'bind', source, options: ['rbind', 'rprivate', ...(hc.ReadonlyRootfs ? ['ro'] : [])],
  });
  mounts.push(bind('/etc/resolv.conf', input.resolvConfPath));
  mounts.push(bind('/etc/hostname', input.hostnamePath));
  mounts.push(bind('/etc/hosts', input.hostsPath));
  return mounts;
}
