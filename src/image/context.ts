// Shared dependencies of the image service's parts.
import type { ContentStore } from '../content/types';
import type { LayerStore } from '../snapshot/types';
import type { EventBus } from '../events';
import type { ImageRepository } from './repository';
import type { ImageUsageChecker } from './types';

export interface ImageContext {
  content: ContentStore;
  layers: LayerStore;
  events: EventBus;
  repo: ImageRepository;
  tmpDir: string;
  usage: ImageUsageChecker;
}

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;
