// Container model and lifecycle service contract. Config and HostConfig keep Docker's
// field names: they are what users send and what inspect returns.
import type { Readable } from 'node:stream';
import type { AttachOptions, AttachSession } from './attach';
import type { ExecService } from './exec-types';

export type { AttachOptions, AttachSession } from './attach';
export type * from './exec-types';
import type { ContainerStats, StatsOptions, TopResult } from './stats/types';
import type { ContainerUpdateRequest } from './update';

export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[];
  Cmd: string[] | null;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
  ArgsEscaped?: boolean;
  Image: string; // as the user wrote it
  Volumes?: Record<string, Record<string, never>> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  NetworkDisabled?: boolean;
  OnBuild: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Shell?: string[];
}

export interface RestartPolicy { Name: '' | 'no' | 'always' | 'on-failure' | 'unless-stopped'; MaximumRetryCount: number }
export interface Ulimit { Name: string; Soft: number; Hard: number }

export interface HostConfig {
  Binds: string[] | null;
  NetworkMode: string; // "default" | "bridge" | "none" | "host" | ...
  PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> | null;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  Privileged: boolean;
  ReadonlyRootfs: boolean;
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  Dns: string[] | null;
  DnsOptions: string[] | null;
  DnsSearch: string[] | null;
  ExtraHosts: string[] | null;
  GroupAdd: string[] | null;
  IpcMode: string;
  PidMode: string;
  UTSMode: string;
  SecurityOpt: string[] | null;
  Tmpfs?: Record<string, string>;
  ShmSize: number;
  Init?: boolean | null;
  LogConfig: { Type: string; Config: Record<string, string> };
  // Resources
  Memory: number;
  MemorySwap: number;
  MemoryReservation: number;
  NanoCpus: number;
  CpuShares: number;
  CpuPeriod: number;
  CpuQuota: number;
  CpusetCpus: string;
  CpusetMems: string;
  PidsLimit: number | null;
  BlkioWeight?: number;
  Ulimits: Ulimit[] | null;
  OomKillDisable: boolean | null;
  OomScoreAdj: number;
  Devices: Array<{ PathOnHost: string; PathInContainer: string; CgroupPermissions: string }> | null;
  Mounts?: unknown[];
  [extra: string]: unknown; // other Docker fields are kept and echoed back verbatim
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';
/** One probe run, as Docker's HealthcheckResult (times RFC 3339 nano). */
export interface HealthLogEntry { Start: string; End: string; ExitCode: number; Output: string }
export interface HealthState { Status: HealthStatus; FailingStreak: number; Log: HealthLogEntry[] }

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string; // RFC 3339 nano, "0001-01-01T00:00:00Z" when never
  FinishedAt: string;
  /** Present once a container with a healthcheck has started (kept after it exits, as dockerd). */
  Health?: HealthState;
}

export interface Container {
  id: string; // 64 hex
  name: string; // without the leading "/"
  created: string; // RFC 3339 nano
  path: string; // argv[0]
  args: string[]; // argv[1..]
  config: ContainerConfig;
  hostConfig: HostConfig;
  imageId: string; // "sha256:..."
  state: ContainerState;
  restartCount: number;
  logPath: string;
  resolvConfPath: string;
  hostnamePath: string;
  hostsPath: string;
  /** Set when the user explicitly stopped it (restart policy unless-stopped / always). */
  manuallyStopped: boolean;
}

export interface CreateContainerRequest {
  name?: string;
  config: Partial<ContainerConfig> & { Image: string };
  hostConfig?: Partial<HostConfig>;
  platform?: string;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export interface LogOptions {
  stdout: boolean;
  stderr: boolean;
  since?: number; // unix seconds (fractional allowed)
  until?: number;
  timestamps?: boolean;
  tail?: number | 'all';
  follow?: boolean;
  details?: boolean;
}

/** One chunk of container output. */
export interface LogRecord {
  stream: 'stdout' | 'stderr';
  time: string; // RFC 3339 nano as written by conmon
  data: Buffer; // bytes, including the trailing "\n" when the line was complete
  attrs?: string; // logs --details: the log-opt attributes ("k=v,k2=v2", may be empty)
}

export interface ContainerListOptions {
  all?: boolean;
  limit?: number;
  size?: boolean;
  /** Docker filters: id, name, label, status, ancestor, exited, before, since (others → InvalidArgumentError). */
  filters?: Record<string, string[]>;
}

export interface ContainerService {
  create(request: CreateContainerRequest): Promise<{ container: Container; warnings: string[] }>;
  /** By full ID, unique ID prefix, or name (with or without "/"). NotFoundError "No such container: X". */
  get(idOrName: string): Container;
  list(options?: ContainerListOptions): Container[];
  /** NotModifiedError when already running. */
  start(idOrName: string): Promise<void>;
  /** NotModifiedError when not running. `timeout` seconds, -1 = wait forever. */
  stop(idOrName: string, options?: { timeout?: number; signal?: string }): Promise<void>;
  kill(idOrName: string, signal?: string): Promise<void>;
  pause(idOrName: string): Promise<void>;
  unpause(idOrName: string): Promise<void>;
  restart(idOrName: string, options?: { timeout?: number; signal?: string }): Promise<void>;
  /**
   * Resolves when the condition is met with Docker's wait body fields.
   * The condition is registered synchronously before the returned promise is awaited,
   * so `wait(next-exit)` then `start` never misses the exit.
   */
  wait(idOrName: string, condition?: WaitCondition, signal?: AbortSignal): Promise<{ StatusCode: number; Error?: { Message: string } }>;
  remove(idOrName: string, options?: { force?: boolean; volumes?: boolean }): Promise<void>;
  rename(idOrName: string, newName: string): Promise<void>;
  prune(filters?: Record<string, string[]>): Promise<{ deleted: string[]; spaceReclaimed: number }>;
  /** Log records; with follow, the stream ends when the container stops (or the signal aborts). */
  logs(idOrName: string, options: LogOptions, signal?: AbortSignal): Readable; // object mode, LogRecord
  /**
   * Attaches to the container's stdio through conmon; when it is not running the session
   * waits for the next start and sees all of its output.
   */
  attach(idOrName: string, options: AttachOptions): Promise<AttachSession>;
  /** Resizes the container's terminal. ConflictError when it is not running. */
  resize(idOrName: string, height: number, width: number): void;
  /** Exec instances (docker exec). */
  readonly exec: ExecService;
  /** Bytes in the container's upper dir and of its image chain (ps -s). */
  sizes(idOrName: string): Promise<{ sizeRw: number; sizeRootFs: number }>;
  /** Containers using an image (for image delete). */
  usingImage(imageId: string): Container[];
  /** Docker's stats records (one, or one per second while streaming); NotFoundError first. */
  stats(idOrName: string, options: StatsOptions, signal?: AbortSignal): AsyncIterable<ContainerStats>;
  /** ps output for the container's processes; ConflictError when it is not running. */
  top(idOrName: string, psArgs: string): Promise<TopResult>;
  /** docker update: resources and restart policy, applied live when running. */
  update(idOrName: string, request: ContainerUpdateRequest): Promise<{ warnings: string[] }>;
  /** Start-up reconciliation with conmon/runc/exit files; restart policies. */
  recover(): Promise<void>;
  /** Stop watchers (daemon shutdown); containers keep running. */
  close(): Promise<void>;
}
