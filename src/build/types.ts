// Builder contract: a Dockerfile and its context (a tar) → an image, reported as
// the legacy builder's JSON message stream.
import type { Readable } from 'node:stream';
import type { AuthConfig, Platform, ProgressMessage } from '../distribution/types';

export type { AuthConfig, Platform, ProgressMessage };

export interface BuildRequest {
  /** The context: a tar, plain or gzip. */
  context: Readable;
  /** Path of the Dockerfile inside the context (default "Dockerfile"). */
  dockerfile?: string;
  tags: string[];
  /** --build-arg: null means "take it from the environment" (Docker sends it so when no value was given). */
  buildArgs: Record<string, string | null>;
  labels: Record<string, string>;
  target?: string;
  noCache: boolean;
  quiet: boolean;
  /** Remove intermediate containers (always done here; kept for the API's sake). */
  remove: boolean;
  forceRemove: boolean;
  pull: boolean;
  platform?: string;
  networkMode?: string;
  /** IDs of the secrets sent as `.berth-secrets/<id>` context entries (see context/secrets.ts). */
  secrets?: string[];
  /** --cache-from: images whose history may satisfy steps. */
  cacheFrom?: string[];
  /** ?remote=URL: the daemon fetches the context (context/remote.ts); the body is then ignored. */
  remote?: string;
  /** Berth extension (build --ssh): ssh-agent socket paths on the daemon host by ID, bound for RUN --mount=type=ssh. */
  sshSockets?: Record<string, string>;
  /** X-Registry-Config: credentials by registry server address, for base images the build pulls. */
  registryAuths?: Record<string, AuthConfig>;
}

/** Fetches an image into the local store (the daemon's registry client), reporting Docker's pull progress. */
export type ImagePuller = (
  ref: string,
  options: { platform?: Platform; auths?: Record<string, AuthConfig>; signal?: AbortSignal },
  progress: (message: ProgressMessage) => void,
) => Promise<void>;

/** One message of the build stream, in Docker's JSON shapes. */
export type BuildMessage =
  | { stream: string }
  | { aux: { ID: string } }
  | ProgressMessage;

export interface BuildResult {
  imageId: string;
}

export interface BuildCachePruneResult {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

export interface BuildService {
  /**
   * Runs a build. Progress goes to `emit`; the promise rejects with a typed error
   * (its message is what Docker prints) after a failed step, with nothing tagged
   * and every container and mount of the build removed.
   */
  build(request: BuildRequest, emit: (message: BuildMessage) => void, signal?: AbortSignal): Promise<BuildResult>;
  /** Drops the build cache (the intermediate images that only the cache kept). */
  prune(options?: { all?: boolean }): Promise<BuildCachePruneResult>;
  /** Start-up: remove the scratch dirs of builds a crash interrupted. */
  repair(): Promise<void>;
}
