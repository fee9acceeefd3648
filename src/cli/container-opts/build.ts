// Turn run/create flags and arguments into the container create request (what
// Docker's CLI sends as Config + HostConfig).
import type { ContainerCreateBody, HostConfigBody } from '../../client/types';
import type { FlagValues } from '../flags';
import { ramInBytes } from '../format/units';
import { healthConfigFrom } from './health';
import { addExpose, addPublish, type PortConfig } from './ports';
import {
  labelsFrom, parseAttach, parseDevice, parseNanoCpus, parseRestartPolicy, parseUlimit, readKeyValueFile, resolveEnv,
} from './values';

export interface CreatePlan {
  body: ContainerCreateBody;
  name: string | undefined;
  platform: string | undefined;
  pull: 'missing' | 'always' | 'never';
  quiet: boolean;
  cidfile: string;
  /** Streams the CLI attaches to (run without -d). */
  attach: { stdin: boolean; stdout: boolean; stderr: boolean };
}

function bytesOrUndefined(flags: FlagValues, name: string): number | undefined {
  if (!flags.changed(name)) return undefined;
  const v = flags.string(name);
  return v === '-1' ? -1 : ramInBytes(v);
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

export function buildCreatePlan(flags: FlagValues, args: string[], mode: 'run' | 'create'): CreatePlan {
  const [image, ...cmd] = args;
  const detach = mode === 'run' && flags.bool('detach');
  const attachList = flags.list('attach');
  if (detach && attachList.length > 0) throw new Error('conflicting options: cannot specify both --attach and --detach');
  const interactive = flags.bool('interactive');
  let attach = attachList.length > 0 ? parseAttach(attachList) : { stdin: interactive, stdout: true, stderr: true };
  if (detach) attach = { stdin: false, stdout: false, stderr: false };

  const pull = flags.string('pull');
  if (pull !== 'missing' && pull !== 'always' && pull !== 'never') {
    throw new Error(`invalid pull option: '${pull}': must be one of "always", "missing" or "never"`);
  }

  const env = [
    ...flags.list('env-file').flatMap((f) => readKeyValueFile(f, 'env')),
    ...flags.list('env').map((e) => resolveEnv(e)),
  ];
  const labels = labelsFrom([...flags.list('label-file').flatMap((f) => readKeyValueFile(f, 'label')), ...flags.list('label')]);

  const ports: PortConfig = { exposed: {}, bindings: {} };
  flags.list('expose').forEach((s) => addExpose(ports, s));
  flags.list('publish').forEach((s) => addPublish(ports, s));

  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const v of flags.list('volume')) {
    // "src:dst[:opts]" is a bind or named volume; a lone path is an anonymous volume.
    if (v.includes(':')) binds.push(v);
    else volumes[v] = {};
  }

  const restart = parseRestartPolicy(flags.string('restart'));
  const autoRemove = flags.bool('rm');
  if (autoRemove && restart.Name !== '' && restart.Name !== 'no') {
    throw new Error('conflicting options: cannot specify both --restart and --rm');
  }

  const tmpfs: Record<string, string> = {};
  for (const t of flags.list('tmpfs')) {
    const colon = t.indexOf(':');
    tmpfs[colon >= 0 ? t.slice(0, colon) : t] = colon >= 0 ? t.slice(colon + 1) : '';
  }
  const logOpts: Record<string, string> = {};
  for (const o of flags.list('log-opt')) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new Error(`invalid key/value pair format in logging opts: ${o}`);
    logOpts[o.slice(0, eq)] = o.slice(eq + 1);
  }

  const network = flags.string('network') || flags.string('net') || 'default';
  const hostConfig: HostConfigBody = {
    Binds: nonEmpty(binds),
    NetworkMode: network,
    PortBindings: Object.keys(ports.bindings).length ? ports.bindings : undefined,
    PublishAllPorts: flags.bool('publish-all') || undefined,
    RestartPolicy: { Name: restart.Name === '' ? 'no' : restart.Name, MaximumRetryCount: restart.MaximumRetryCount },
    AutoRemove: autoRemove,
    Privileged: flags.bool('privileged'),
    ReadonlyRootfs: flags.bool('read-only'),
    CapAdd: nonEmpty(flags.list('cap-add')),
    CapDrop: nonEmpty(flags.list('cap-drop')),
    Dns: nonEmpty(flags.list('dns')),
    DnsOptions: nonEmpty(flags.list('dns-option')),
    DnsSearch: nonEmpty(flags.list('dns-search')),
    ExtraHosts: nonEmpty(flags.list('add-host')),
    GroupAdd: nonEmpty(flags.list('group-add')),
    IpcMode: flags.string('ipc') || undefined,
    PidMode: flags.string('pid') || undefined,
    UTSMode: flags.string('uts') || undefined,
    UsernsMode: flags.string('userns') || undefined,
    SecurityOpt: nonEmpty(flags.list('security-opt')),
    Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    ShmSize: bytesOrUndefined(flags, 'shm-size'),
    Init: flags.changed('init') ? flags.bool('init') : undefined,
    LogConfig: flags.changed('log-driver') || Object.keys(logOpts).length
      ? { Type: flags.string('log-driver'), Config: logOpts } : undefined,
    Memory: bytesOrUndefined(flags, 'memory'),
    MemorySwap: bytesOrUndefined(flags, 'memory-swap'),
    MemoryReservation: bytesOrUndefined(flags, 'memory-reservation'),
    NanoCpus: flags.changed('cpus') ? parseNanoCpus(flags.string('cpus')) : undefined,
    CpuShares: flags.changed('cpu-shares') ? flags.int('cpu-shares') : undefined,
    CpuPeriod: flags.changed('cpu-period') ? flags.int('cpu-period') : undefined,
    CpuQuota: flags.changed('cpu-quota') ? flags.int('cpu-quota') : undefined,
    BlkioWeight: flags.changed('blkio-weight') ? flags.int('blkio-weight') : undefined,
    CpusetCpus: flags.string('cpuset-cpus') || undefined,
    CpusetMems: flags.string('cpuset-mems') || undefined,
    PidsLimit: flags.changed('pids-limit') ? flags.int('pids-limit') : undefined,
    Ulimits: nonEmpty(flags.list('ulimit').map(parseUlimit)),
    OomKillDisable: flags.changed('oom-kill-disable') ? flags.bool('oom-kill-disable') : undefined,
    OomScoreAdj: flags.changed('oom-score-adj') ? flags.int('oom-score-adj') : undefined,
    Devices: nonEmpty(flags.list('device').map(parseDevice)),
    CgroupParent: flags.string('cgroup-parent') || undefined,
  };

  const entrypoint = flags.optionalString('entrypoint');
  const body: ContainerCreateBody = {
    Hostname: flags.string('hostname'),
    Domainname: flags.string('domainname'),
    User: flags.string('user'),
    AttachStdin: attach.stdin,
    AttachStdout: attach.stdout,
    AttachStderr: attach.stderr,
    ExposedPorts: Object.keys(ports.exposed).length ? ports.exposed : undefined,
    Tty: flags.bool('tty'),
    OpenStdin: interactive,
    StdinOnce: mode === 'run' && interactive && attach.stdin,
    Env: env,
    Cmd: cmd.length > 0 ? cmd : null,
    Image: image,
    Volumes: Object.keys(volumes).length ? volumes : undefined,
    WorkingDir: flags.string('workdir'),
    Entrypoint: entrypoint === undefined ? null : [entrypoint],
    Labels: labels,
    StopSignal: flags.string('stop-signal') || undefined,
    StopTimeout: flags.changed('stop-timeout') ? flags.int('stop-timeout') : undefined,
    Healthcheck: healthConfigFrom(flags),
    HostConfig: JSON.parse(JSON.stringify(hostConfig)) as HostConfigBody, // drops the undefined fields
    NetworkingConfig: { EndpointsConfig: {} },
  };
  return {
    body,
    name: flags.string('name') || undefined,
    platform: flags.string('platform') || undefined,
    pull,
    quiet: flags.bool('quiet'),
    cidfile: flags.string('cidfile'),
    attach,
  };
}
