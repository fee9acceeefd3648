// Engine API wire types (Docker's JSON field names), the subset Berth's clients use.
// Objects the daemon may extend keep an index signature so nothing is lost in transit.

export type Labels = Record<string, string>;

/** POST /containers/create body: Config fields plus HostConfig and NetworkingConfig. */
export interface ContainerCreateBody {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[] | null;
  Image: string;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  Labels?: Labels;
  StopSignal?: string;
  StopTimeout?: number;
  HostConfig?: HostConfigBody;
  NetworkingConfig?: { EndpointsConfig?: Record<string, unknown> };
  [extra: string]: unknown;
}

export interface HostConfigBody {
  Binds?: string[];
  NetworkMode?: string;
  PortBindings?: Record<string, Array<{ HostIp: string; HostPort: string }>>;
  RestartPolicy?: { Name: string; MaximumRetryCount?: number };
  AutoRemove?: boolean;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  Dns?: string[];
  DnsOptions?: string[];
  DnsSearch?: string[];
  ExtraHosts?: string[];
  Init?: boolean;
  Memory?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpusetCpus?: string;
  PidsLimit?: number;
  ShmSize?: number;
  [extra: string]: unknown;
}

export interface CreateResponse { Id: string; Warnings: string[] | null }
export interface WaitResponse { StatusCode: number; Error?: { Message: string } | null }

export interface PortSummary { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number; // unix seconds
  Ports: PortSummary[] | null;
  SizeRw?: number;
  SizeRootFs?: number;
  Labels: Labels | null;
  State: string;
  Status: string;
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: { Networks?: Record<string, unknown> } | null;
  Mounts?: Array<{ Name?: string; Source?: string; Driver?: string }> | null;
  [extra: string]: unknown;
}

export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  State: { Status: string; Running: boolean; Paused: boolean; ExitCode: number; [k: string]: unknown };
  Image: string;
  Config: { Tty: boolean; Image: string; [k: string]: unknown };
  HostConfig: { AutoRemove?: boolean; [k: string]: unknown };
  [extra: string]: unknown;
}

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
  Labels: Labels | null;
  Containers: number;
  [extra: string]: unknown;
}

export interface ImageInspect { Id: string; RepoTags: string[]; [extra: string]: unknown }

export interface HistoryItem { Id: string; Created: number; CreatedBy: string; Tags: string[] | null; Size: number; Comment: string }

export interface DeleteItem { Untagged?: string; Deleted?: string }

export interface ContainerPruneReport { ContainersDeleted: string[] | null; SpaceReclaimed: number }
export interface ImagePruneReport { ImagesDeleted: DeleteItem[] | null; SpaceReclaimed: number }

export interface EventMessage {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  scope?: string;
  time?: number;
  timeNano?: number;
  status?: string;
  id?: string;
  from?: string;
}

/** One message of a JSON progress stream (load, import, pull). */
export interface JsonMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: unknown;
}

export interface VersionResponse {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  GitCommit?: string;
  GoVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  BuildTime?: string;
  Experimental?: boolean;
  Platform?: { Name: string };
  Components?: Array<{ Name: string; Version: string; Details?: Record<string, string> }>;
  [extra: string]: unknown;
}

export type InfoResponse = Record<string, unknown>;

export interface VolumeSummary { Name: string; Driver: string; Mountpoint?: string; UsageData?: { Size: number; RefCount: number } | null; [k: string]: unknown }
export interface BuildCacheRecord { ID: string; Type: string; Size: number; InUse: boolean; Shared: boolean; CreatedAt?: string; LastUsedAt?: string | null; UsageCount?: number; [k: string]: unknown }

export interface DiskUsageResponse {
  LayersSize?: number;
  Images?: ImageSummary[] | null;
  Containers?: ContainerSummary[] | null;
  Volumes?: VolumeSummary[] | null;
  BuildCache?: BuildCacheRecord[] | null;
}

/** Docker's filter wire form: {"key": {"value": true}}. */
export type Filters = Record<string, Record<string, boolean>>;
