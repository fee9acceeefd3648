// docker commit, image side: the container's changes (a layer tar) on top of its
// image. The tar is streamed once, into the content store (the layer blob) and
// the layer store (unpacked on the parent chain); an empty diff adds no layer,
// only a history entry marked empty_layer, as Docker does.
import { NotFoundError } from '../errors';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import { commitImage } from './commit-image';
import { ingestLayer } from './ingest-layer';
import { hostPlatform } from './import';
import { rollbackAdded } from './rollback';
import { parseTagTarget, setTag } from './tagging';
import type { ImageCommitRequest, ImageConfigFile, ImageHistoryEntry } from './types';
import type { StoredImage } from './repository';

/** Diff ID of a tar holding no entries (two zero blocks). */
export const EMPTY_LAYER_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

export async function commitContainerLayer(ctx: ImageContext, req: ImageCommitRequest): Promise<StoredImage> {
  const target = req.reference ? parseTagTarget(req.reference) : undefined;
  // No parent: the first layer of an image built FROM scratch.
  const parent = req.parentId === '' ? scratchParent(req.platform) : ctx.repo.byId(req.parentId);
  if (!parent) {
    req.layer.destroy();
    throw new NotFoundError(`No such image: ${req.parentId}`);
  }
  const layer = await ingestLayer(ctx, parent.chainId, req.layer, 'committing');
  try {
    const empty = layer.diffId === EMPTY_LAYER_DIFF_ID;
    const layers = empty ? parent.layers : [...parent.layers, { digest: layer.digest, mediaType: MEDIA.ociLayer, size: layer.size, diffId: layer.diffId }];
    const stored = await commitImage(ctx, childConfig(parent.config, req, empty ? undefined : layer.diffId), layers, {
      parentId: parent.id || undefined, applied: empty ? [] : layer.added.chainIds,
    });
    if (empty) await rollbackAdded(ctx, layer.added);
    ctx.events.publish('image', 'create', stored.id, { name: stored.id });
    if (target) setTag(ctx, stored.id, target);
    return stored;
  } catch (err) {
    await rollbackAdded(ctx, layer.added).catch(() => undefined);
    throw err;
  }
}

function scratchParent(platform: { os: string; architecture: string; variant?: string } | undefined): StoredImage {
  const p = platform ?? hostPlatform();
  const config: ImageConfigFile = { ...p, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
  return { id: '', config, layers: [], chainId: null, size: 0, createdAt: '' };
}

/** moby's NewChildImage: the parent's platform, rootfs and history plus one entry. */
function childConfig(parent: ImageConfigFile, req: ImageCommitRequest, diffId: string | undefined): Buffer {
  const created = req.created ?? new Date().toISOString();
  const entry: ImageHistoryEntry = {
    created,
    ...(req.author ? { author: req.author } : {}),
    created_by: (req.containerConfig.Cmd ?? []).join(' '),
    ...(req.comment ? { comment: req.comment } : {}),
    ...(diffId ? {} : { empty_layer: true }),
  };
  const config: ImageConfigFile = {
    architecture: parent.architecture,
    ...(parent.variant ? { variant: parent.variant } : {}),
    ...(req.author ? { author: req.author } : {}),
    config: req.config,
    container: req.containerId,
    container_config: req.containerConfig,
    created,
    ...(req.comment ? { comment: req.comment } : {}),
    os: parent.os,
    rootfs: { type: 'layers', diff_ids: diffId ? [...parent.rootfs.diff_ids, diffId] : [...parent.rootfs.diff_ids] },
    history: [...(parent.history ?? []), entry],
  };
  return Buffer.from(JSON.stringify(config));
}
