// berthd configuration (dockerd-like flags) and the on-disk layout derived from it.
import * as path from 'node:path';

export interface DaemonConfig {
  dataRoot: string; // --data-root, default /var/lib/berth
  execRoot: string; // --exec-root, default /run/berth
  hosts: string[]; // -H/--host, unix:///path; default unix:///run/berth/berth.sock
  runtime: string; // --runtime, default "runc"
  logLevel: string; // --log-level
  pidfile: string; // --pidfile, default <execRoot>/berthd.pid
  cgroupParent: string; // --cgroup-parent, default "berth"
  seedBusybox: boolean; // --seed-busybox: import busybox:latest from the host's busybox-static when missing
  init?: boolean; // --init: containers without HostConfig.Init run an init (tini) as PID 1
  initPath?: string; // --init-path: the init binary (default: tini-static, docker-init or tini from PATH)
  logDriver: string; // --log-driver, default "json-file"
  logOpts: Record<string, string>; // --log-opt key=value (repeatable): defaults for containers of that driver
  insecureRegistries?: string[]; // --insecure-registry
  registryMirrors?: string[]; // --registry-mirror (normalized to scheme://host)
  maxConcurrentDownloads?: number; // --max-concurrent-downloads, default 3
  maxConcurrentUploads?: number; // --max-concurrent-uploads, default 5
}

/** Where each component keeps its files. */
export interface DataLayout {
  metadataDb: string;
  contentRoot: string;
  layersRoot: string;
  containersRoot: string; // per-container persistent dirs (upper/work/rootfs, bundle, logs, hosts...)
  runtimeRoot: string; // runc --root
  conmonRoot: string; // exit dir, persist dirs, attach sockets
}

export function dataLayout(config: DaemonConfig): DataLayout {
  return {
    metadataDb: path.join(config.dataRoot, 'berth.db'),
    contentRoot: path.join(config.dataRoot, 'content'),
    layersRoot: path.join(config.dataRoot, 'layers'),
    containersRoot: path.join(config.dataRoot, 'containers'),
    runtimeRoot: path.join(config.execRoot, 'runc'),
    conmonRoot: path.join(config.execRoot, 'conmon'),
  };
}
