export type * from './types';
import type { ContentStore } from '../content/types';
import type { EventBus } from '../events';
import type { LayerStore } from '../snapshot/types';
import type { MetadataDb } from '../store';
import { ImageRepository } from './repository';
import { DefaultImageService } from './service';
import type { ImageService, RegistryImageStore } from './types';

export function createImageService(deps: { db: MetadataDb; content: ContentStore; layers: LayerStore; events: EventBus; tmpDir: string }): ImageService & RegistryImageStore {
  const repo = new ImageRepository(deps.db);
  return new DefaultImageService({ ...deps, repo, usage: () => undefined });
}

export { buildBusyboxRootfsTar, seedBusybox } from './busybox-seed';
export {
  parseReference, normalizeReference, familiarName, familiarString, fullString, repositoryName, withDefaultTag,
  DEFAULT_DOMAIN, DEFAULT_TAG, type ImageReference,
} from './reference';
export { applyChanges } from './changes';
export { hostPlatform } from './import';
