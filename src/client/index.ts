// Public surface of the Engine API client (used by the CLI, later by compose).
import { EngineClient, type ClientOptions } from './http-client';
import { ContainerApi } from './containers';
import { ImageApi } from './images';
import { SystemApi } from './system';
import { BuildApi } from './build';

export { EngineClient, CLIENT_API_VERSION, compareVersions, encodeQuery, readBody } from './http-client';
export type { ClientOptions, RequestOptions, QueryInit, PingResult, HijackedConnection } from './http-client';
export { ApiError, ConnectionError } from './errors';
export { DEFAULT_HOST, parseHost, resolveHost, type DaemonAddress } from './host';
export { FrameDecoder, encodeFrame, demuxStream, jsonLines, textLines, type StdStream } from './streams';
export { parseFilters, addFilter, encodeFilters, FilterFormatError } from './filters';
export { ContainerApi, type ListOptions, type LogsOptions, type AttachOptions, type WaitCondition, type ExecCreateConfig, type ExecInspectResponse } from './containers';
export { ImageApi, type ImportOptions } from './images';
export { SystemApi } from './system';
export { BuildApi, type BuildOptions, type BuildCachePruneReport } from './build';
export { ContainerFsApi, decodePathStat, isGoDir, isGoSymlink, type ContainerPathStat, type ContainerChange, type CommitOptions } from './container-fs';
export { encodeRegistryAuth, type RegistryAuth, type DistributionInspect } from './registry-auth';
export type * from './types';
export type * from './stats-types';

/** One daemon connection with its typed endpoint groups. */
export class BerthClient {
  readonly engine: EngineClient;
  readonly containers: ContainerApi;
  readonly images: ImageApi;
  readonly system: SystemApi;
  readonly build: BuildApi;

  constructor(options: ClientOptions) {
    this.engine = new EngineClient(options);
    this.containers = new ContainerApi(this.engine);
    this.images = new ImageApi(this.engine);
    this.system = new SystemApi(this.engine);
    this.build = new BuildApi(this.engine);
  }

  close(): void {
    this.engine.close();
  }
}
