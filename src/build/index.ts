// Builder: Dockerfile + context tar → image (legacy builder's API and stream).
import * as path from 'node:path';
import type { ContainerService } from '../container/types';
import type { SharedRootfsStore } from '../container/fs';
import type { ImageService } from '../image/types';
import type { MetadataDb } from '../store';
import { BuildCache } from './cache';
import { Builder } from './service';
import type { BuildService, ImagePuller } from './types';

export type * from './types';
export { RunFailedError } from './exec/run-step';

export interface BuildServiceDeps {
  db: MetadataDb;
  dataRoot: string;
  images: ImageService;
  containers: ContainerService;
  rootfs: SharedRootfsStore;
  /** The registry client, for base images not stored locally and for --pull. */
  pull?: ImagePuller;
}

export function createBuildService(deps: BuildServiceDeps): BuildService {
  return new Builder({
    images: deps.images, containers: deps.containers, rootfs: deps.rootfs,
    cache: new BuildCache(deps.db), root: path.join(deps.dataRoot, 'build'), pull: deps.pull,
  });
}
