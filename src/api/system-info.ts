// Static facts about the daemon and its host, gathered once at start-up by
// src/daemon and shown by /version, /info, /_ping and /networks.

export interface SystemInfo {
  /** Berth release, e.g. "0.1.0". */
  version: string;
  gitCommit: string;
  buildTime: string;
  /** When this daemon process started (RFC 3339). */
  startedAt: string;
  /** Stable daemon ID (persisted in the data root). */
  id: string;
  name: string; // host name
  dataRoot: string;
  execRoot: string;
  debug: boolean;
  kernelVersion: string;
  operatingSystem: string;
  osVersion: string;
  /** uname -m style ("x86_64"). */
  architecture: string;
  /** Go-style ("amd64") for /version. */
  goArch: string;
  ncpu: number;
  memTotal: number;
  cgroupVersion: '1' | '2';
  cgroupDriver: 'cgroupfs';
  cgroup: {
    memoryLimit: boolean;
    swapLimit: boolean;
    cpuCfsPeriod: boolean;
    cpuCfsQuota: boolean;
    cpuShares: boolean;
    cpuSet: boolean;
    pidsLimit: boolean;
    oomKillDisable: boolean;
  };
  runtime: { name: string; path: string; version: string; commit: string };
  conmonVersion: string;
  initBinary: string;
  /** --insecure-registry and --registry-mirror values, for /info's RegistryConfig. */
  registry?: { insecureRegistries: string[]; mirrors: string[] };
  loggingDriver: string;
  securityOptions: string[];
  warnings: string[];
}

/** Node's process.arch → Go's GOARCH names used by Docker. */
export function goArch(nodeArch: string): string {
  switch (nodeArch) {
    case 'x64': return 'amd64';
    case 'ia32': return '386';
    case 'ppc64': return 'ppc64le';
    default: return nodeArch;
  }
}
