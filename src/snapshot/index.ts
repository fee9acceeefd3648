// Layer and container-rootfs storage on overlayfs (contract: ./types.ts).
export type { LayerInfo, LayerStore, RootfsStore } from './types';
import type { MetadataDb } from '../store';
import { OverlayLayerStore } from './layer-store';
import { OverlayRootfsStore } from './rootfs-store';
import type { LayerStore, RootfsStore } from './types';

export function createLayerStore(root: string, db: MetadataDb): LayerStore {
  return new OverlayLayerStore(root, db);
}

/** `layers` must come from createLayerStore: container references live in its tables. */
export function createRootfsStore(root: string, layers: LayerStore): RootfsStore {
  if (!(layers instanceof OverlayLayerStore)) throw new TypeError('createRootfsStore needs the layer store made by createLayerStore');
  return new OverlayRootfsStore(root, layers);
}

export { isMountPoint, mountPoints, mountsUnder } from './mountinfo';
export { diskUsage } from './disk-usage';
