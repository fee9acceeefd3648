// Registry client contract: pull, push, login check and distribution inspect,
// with Docker's progress messages reported through a callback.
import type { ImageReference } from '../image/reference';

/** Credentials as the Docker API carries them (X-Registry-Auth, POST /auth body). */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64("user:password"), as config.json stores it. */
  auth?: string;
  serveraddress?: string;
  /** OAuth refresh token from an earlier login. */
  identitytoken?: string;
  /** A bearer token to send as is. */
  registrytoken?: string;
  email?: string;
}

/** Daemon-wide registry settings (dockerd's --insecure-registry, --registry-mirror). */
export interface RegistryOptions {
  insecureRegistries: string[];
  mirrors: string[];
  /** Layers fetched at once (dockerd's --max-concurrent-downloads, default 3). */
  maxConcurrentDownloads: number;
  /** Layers sent at once (dockerd's --max-concurrent-uploads, default 5). */
  maxConcurrentUploads: number;
}

/** One JSON message of Docker's progress stream (jsonmessage.JSONMessage). */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  aux?: unknown;
}

export type ProgressSink = (message: ProgressMessage) => void;

export interface Platform { os: string; architecture: string; variant?: string }

export interface PullOptions {
  auth?: AuthConfig;
  platform?: Platform;
  /** Pull every tag of the repository (docker pull -a). */
  allTags?: boolean;
  signal?: AbortSignal;
}

export interface PushOptions {
  auth?: AuthConfig;
  /** Push every tag of the repository when the reference has no tag. */
  allTags?: boolean;
  signal?: AbortSignal;
}

/** GET /distribution/{name}/json. */
export interface DistributionInspect {
  Descriptor: { mediaType: string; digest: string; size: number };
  Platforms: Array<{ architecture: string; os: string; variant?: string; 'os.version'?: string; 'os.features'?: string[] }>;
}

export interface DistributionService {
  pull(ref: ImageReference, options: PullOptions, progress: ProgressSink): Promise<void>;
  push(ref: ImageReference, options: PushOptions, progress: ProgressSink): Promise<void>;
  /** Checks credentials against the registry; returns Docker's login status and an identity token if one was issued. */
  login(auth: AuthConfig): Promise<{ Status: string; IdentityToken?: string }>;
  inspect(ref: ImageReference, auth?: AuthConfig): Promise<DistributionInspect>;
}
