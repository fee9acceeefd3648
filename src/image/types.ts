// Image service contract. Image ID = digest of the config blob.
import type { Readable } from 'node:stream';
import type { ImageReference } from './reference';

/** Docker's container-config part of an image config ("config" in the OCI image config). */
export interface ImageRuntimeConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
  OnBuild?: string[] | null;
  Shell?: string[];
}

export interface ImageHistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** The image config blob (OCI image config; Docker adds a few fields we keep verbatim). */
export interface ImageConfigFile {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  author?: string;
  comment?: string;
  docker_version?: string;
  config?: ImageRuntimeConfig;
  container_config?: ImageRuntimeConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: ImageHistoryEntry[];
  [extra: string]: unknown;
}

export interface ImageLayer {
  digest: string; // blob digest in the content store (compressed or not, per mediaType)
  mediaType: string;
  size: number; // blob size
  diffId: string;
}

export interface Image {
  id: string; // "sha256:<config digest hex>"
  config: ImageConfigFile;
  layers: ImageLayer[]; // bottom first; rootfs.diff_ids[i] === layers[i].diffId
  chainId: string | null; // top chain ID (null for an image without layers)
  manifestDigest?: string; // digest of the stored manifest blob, if any
  repoTags: string[]; // familiar form, e.g. "busybox:latest", "127.0.0.1:5000/x/y:1"
  repoDigests: string[]; // e.g. "busybox@sha256:..."
  size: number; // total unpacked size of its layers
  createdAt: string; // when this engine stored it (RFC 3339)
  parentId?: string; // image built from (builder/commit), "" otherwise
}

/** One entry of DELETE /images/{name}'s response. */
export type ImageDeleteItem = { Untagged: string } | { Deleted: string };

export interface ImageHistoryItem {
  Id: string; // image ID for the top entry of each image, "<missing>" otherwise
  Created: number; // seconds
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export interface ImageListOptions {
  all?: boolean;
  /** Docker filter map: reference, dangling, label, before, since. Unknown keys → InvalidArgumentError. */
  filters?: Record<string, string[]>;
}

export interface ImageImportOptions {
  /** "repo[:tag]" to tag the result with, or undefined. */
  reference?: string;
  /** Dockerfile-style changes: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL, ONBUILD. */
  changes?: string[];
  message?: string;
  platform?: string; // "os/arch[/variant]"
  /** Creation time recorded in the config (default now); fixed for reproducible seeds. */
  created?: string;
}

/** docker commit: a container's changes as a new image on top of the container's image. */
export interface ImageCommitRequest {
  parentId: string; // the container's image ID; '' for a first layer on scratch
  /** Platform of a scratch-based image (default: the host's). */
  platform?: { os: string; architecture: string; variant?: string };
  layer: Readable; // uncompressed layer tar of the container's changes (AUFS whiteouts)
  /** The new image's runtime config (Docker keeps the container's whole Config). */
  config: ImageRuntimeConfig & Record<string, unknown>;
  containerConfig: ImageRuntimeConfig & Record<string, unknown>;
  containerId: string;
  author?: string;
  comment?: string;
  /** "repo[:tag]" to tag the result with. */
  reference?: string;
  /** Creation time for the config and its history entry (default now): SOURCE_DATE_EPOCH builds. */
  created?: string;
}

/** Answers whether a container uses an image (for 409 on delete). */
export type ImageUsageChecker = (imageId: string) => { containerId: string; running: boolean } | undefined;

export interface ImageService {
  /** Resolve a reference (name[:tag], name@digest, full or short ID). NotFoundError "No such image: <ref>". */
  get(ref: string): Image;
  find(ref: string): Image | undefined;
  list(options?: ImageListOptions): Image[];
  importTar(source: Readable, options: ImageImportOptions): Promise<Image>;
  /** docker-save and OCI image-layout tars. Messages are Docker's: "Loaded image: x:y" / "Loaded image ID: sha256:..". */
  load(source: Readable): Promise<{ images: Image[]; messages: string[] }>;
  /** New image from a container's changes (docker commit); the parent must exist. */
  commit(request: ImageCommitRequest): Promise<Image>;
  /** The stored blob of one of an image's layers (as stored: possibly compressed). */
  layerBlob(digest: string): Readable;
  /** A tar `docker load` accepts (docker save format + OCI layout index.json). */
  save(refs: string[]): Readable;
  tag(source: string, repo: string, tag?: string): Promise<void>;
  remove(ref: string, options?: { force?: boolean; noprune?: boolean }): Promise<ImageDeleteItem[]>;
  history(ref: string): ImageHistoryItem[];
  prune(options: { filters?: Record<string, string[]> }): Promise<{ deleted: ImageDeleteItem[]; spaceReclaimed: number }>;
  setUsageChecker(checker: ImageUsageChecker): void;
  /** Start-up repair (images whose layers or config are missing, unreferenced blobs). */
  repair(): Promise<void>;
}

/** What the registry client records in the image store (implemented by the image service). */
export interface RegistryImageStore {
  /** Registry client: store a pulled image and point its tag/digest references at it. */
  recordPulled(input: PulledImageInput): Promise<{ image: Image; updated: boolean }>;
  /** Registry client: remember the blobs and manifest an image was pushed with. */
  recordPushed(imageId: string, pushed: { layers: ImageLayer[]; manifestBytes: Buffer; repository: ImageReference }): Promise<void>;
  /** A stored blob of the layer with this diff ID (gzip ones first when asked). */
  findLayerBlob(diffId: string, preferCompressed?: boolean): ImageLayer | undefined;
}

export interface PulledImageInput {
  configBytes: Buffer;
  manifestBytes: Buffer;
  layers: ImageLayer[];
  /** Chain IDs this pull unpacked (settled whatever happens). */
  applied: string[];
  repository: ImageReference;
  /** The digest the reference resolved to (an index's digest when pulled through one). */
  repoDigest: string;
  tag?: ImageReference;
}
