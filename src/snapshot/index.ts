export type { LayerInfo, LayerStore, RootfsStore } from './types';
import type { MetadataDb } from '../store';
import { OverlayLayerStore } from './layer-store';
import { OverlayRootfsStore } from './rootfs-store';
import type { LayerStore, RootfsStore } from './types';

export function createLayerStore(root: string, db: MetadataDb): LayerStore & { emptyDir(): string } {
  return new OverlayLayerStore(root, db);
}

export function createRootfsStore(root: string, layers: LayerStore): RootfsStore {
  const withEmpty = layers as LayerStore & { emptyDir?: () => string };
  if (typeof withEmpty.emptyDir !== 'function') throw new Error('rootfs store needs the overlay layer store');
  return new OverlayRootfsStore(root, withEmpty as LayerStore & { emptyDir(): string });
}

export { isMountPoint, mountPoints } from './mountinfo';
