// /_ping, /version, /info.
import type { RequestContext } from '../context';
import type { SystemInfo } from '../system-info';
import { sendJson } from '../http-util';
import { API_VERSION, MIN_API_VERSION } from '../version';

/** GET/HEAD /_ping: "OK" plus the headers clients negotiate with. */
export function ping(ctx: RequestContext): void {
  const { res, req } = ctx;
  res.setHeader('Builder-Version', '1');
  res.setHeader('Docker-Experimental', 'false');
  res.setHeader('Swarm', 'inactive');
  res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  if (req.method === 'HEAD') {
    res.setHeader('Content-Length', '0');
    res.writeHead(200);
    res.end();
    return;
  }
  res.setHeader('Content-Length', '2');
  res.writeHead(200);
  res.end('OK');
}

export function versionBody(sys: SystemInfo): Record<string, unknown> {
  return {
    Platform: { Name: 'Berth' },
    Components: [
      {
        Name: 'Engine',
        Version: sys.version,
        Details: {
          ApiVersion: API_VERSION,
          Arch: sys.goArch,
          BuildTime: sys.buildTime,
          Experimental: 'false',
          GitCommit: sys.gitCommit,
          GoVersion: `node${process.versions.node}`,
          KernelVersion: sys.kernelVersion,
          MinAPIVersion: MIN_API_VERSION,
          Os: 'linux',
        },
      },
      { Name: 'conmon', Version: sys.conmonVersion, Details: { GitCommit: '' } },
      { Name: sys.runtime.name, Version: sys.runtime.version, Details: { GitCommit: sys.runtime.commit } },
    ],
    Version: sys.version,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: sys.gitCommit,
    GoVersion: `node${process.versions.node}`,
    Os: 'linux',
    Arch: sys.goArch,
    KernelVersion: sys.kernelVersion,
    BuildTime: sys.buildTime,
  };
}

export function version(ctx: RequestContext): void {
  sendJson(ctx.res, 200, versionBody(ctx.backend.system));
}

export function info(ctx: RequestContext): void {
  const { containers, images, system: sys } = ctx.backend;
  const all = containers.list({ all: true });
  const running = all.filter((c) => c.state.Running && !c.state.Paused).length;
  const paused = all.filter((c) => c.state.Paused).length;
  const body = {
    ID: sys.id,
    Containers: all.length,
    ContainersRunning: running,
    ContainersPaused: paused,
    ContainersStopped: all.length - running - paused,
    Images: images.list({ all: true }).length,
    Driver: 'overlayfs',
    DriverStatus: [],
    Plugins: { Volume: null, Network: ['host', 'null'], Authorization: null, Log: [sys.loggingDriver] },
    MemoryLimit: sys.cgroup.memoryLimit,
    SwapLimit: sys.cgroup.swapLimit,
    CpuCfsPeriod: sys.cgroup.cpuCfsPeriod,
    CpuCfsQuota: sys.cgroup.cpuCfsQuota,
    CPUShares: sys.cgroup.cpuShares,
    CPUSet: sys.cgroup.cpuSet,
    PidsLimit: sys.cgroup.pidsLimit,
    IPv4Forwarding: false,
    BridgeNfIptables: false,
    BridgeNfIp6tables: false,
    Debug: sys.debug,
    NFd: 0,
    OomKillDisable: sys.cgroup.oomKillDisable,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: sys.loggingDriver,
    CgroupDriver: sys.cgroupDriver,
    CgroupVersion: sys.cgroupVersion,
    NEventsListener: 0,
    KernelVersion: sys.kernelVersion,
    OperatingSystem: sys.operatingSystem,
    OSVersion: sys.osVersion,
    OSType: 'linux',
    Architecture: sys.architecture,
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: null,
      AllowNondistributableArtifactsHostnames: null,
      ...registryConfig(sys.registry),
    },
    NCPU: sys.ncpu,
    MemTotal: sys.memTotal,
    GenericResources: null,
    DockerRootDir: sys.dataRoot,
    HttpProxy: process.env.HTTP_PROXY ?? process.env.http_proxy ?? '',
    HttpsProxy: process.env.HTTPS_PROXY ?? process.env.https_proxy ?? '',
    NoProxy: process.env.NO_PROXY ?? process.env.no_proxy ?? '',
    Name: sys.name,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: sys.version,
    Runtimes: { [sys.runtime.name]: { path: sys.runtime.path } },
    DefaultRuntime: sys.runtime.name,
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: sys.initBinary,
    ContainerdCommit: { ID: '' },
    RuncCommit: { ID: sys.runtime.commit },
    InitCommit: { ID: '' },
    SecurityOptions: sys.securityOptions,
    CDISpecDirs: [],
    Warnings: sys.warnings.length > 0 ? sys.warnings : null,
  };
  sendJson(ctx.res, 200, body);
}

/** /info's RegistryConfig: 127.0.0.0/8 and --insecure-registry CIDRs, per-registry index configs, mirrors. */
function registryConfig(reg: { insecureRegistries: string[]; mirrors: string[] } | undefined): Record<string, unknown> {
  const insecure = reg?.insecureRegistries ?? [];
  const mirrors = reg?.mirrors ?? [];
  const cidrs = ['127.0.0.0/8', ...insecure.filter((e) => /^[0-9.]+\/\d+$/.test(e))];
  const indexConfigs: Record<string, unknown> = { 'docker.io': { Name: 'docker.io', Mirrors: mirrors.map((m) => `${m}/`), Secure: true, Official: true } };
  for (const name of insecure.filter((e) => !e.includes('/'))) indexConfigs[name] = { Name: name, Mirrors: [], Secure: false, Official: false };
  return { InsecureRegistryCIDRs: cidrs, IndexConfigs: indexConfigs, Mirrors: mirrors.length ? mirrors.map((m) => `${m}/`) : null };
}
