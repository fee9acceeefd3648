// Per-request context handed to every handler, and the backend the API adapts.
import type * as http from 'node:http';
import type * as net from 'node:net';
import type { ContainerService } from '../container/types';
import type { ContainerFsService } from '../container/fs/types';
import type { BuildService } from '../build/types';
import type { ImageService } from '../image/types';
import type { LayerStore, RootfsStore } from '../snapshot/types';
import type { EventBus } from '../events';
import type { SystemInfo } from './system-info';
import type { DistributionService } from '../distribution/types';

/** Everything the API layer talks to; wired by src/daemon. */
export interface ApiBackend {
  containers: ContainerService;
  containerFs: ContainerFsService;
  builder: BuildService;
  images: ImageService;
  layers: LayerStore;
  rootfs: RootfsStore;
  events: EventBus;
  system: SystemInfo;
  /** Registry client (pull, push, login); absent in API-only test set-ups. */
  distribution?: DistributionService;
}

export interface RequestContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** The raw connection; attach hijacks it. */
  socket: net.Socket;
  /** True when the client asked for `Upgrade: tcp` (the socket is already detached from node's parser). */
  upgrade: boolean;
  params: Record<string, string>;
  query: URLSearchParams;
  /** API version the request speaks (from /v1.NN/, or ours when unversioned). */
  version: string;
  /** Aborted when the client disconnects; long waits and streams listen to it. */
  signal: AbortSignal;
  backend: ApiBackend;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;
