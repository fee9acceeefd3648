// Builder: Dockerfile + context tar → image (legacy builder's API and stream).
import * as path from 'node:path';
import type { ContainerService } from '../container/types';
import type { SharedRootfsStore } from '../container/fs';
import type { ImageService } from '../image/types';
import type { MetadataDb } from '../store';
import { BuildCache } from './cache';
import { Builder } from './service';
import type { BuildService } from './types';

export type * from './types';
export { RunFailedError } from './exec/run-step';

export function createBuildService(deps: { db: MetadataDb; dataRoot: string; images: ImageService; containers: ContainerService; rootfs: SharedRootfsStore }): BuildService {
  return new Builder({
    images: deps.images, containers: deps.containers, rootfs: deps.rootfs,
    cache: new BuildCache(deps.db), root: path.join(deps.dataRoot, 'build'),
  });
}
