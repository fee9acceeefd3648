// Records an image whose config and layer blobs are in the content store and whose
// layers are unpacked: writes the manifest, retains the chain, inserts the record.
// On failure it removes the blobs it wrote itself; the caller undoes the rest.
import { NotFoundError } from '../errors';
import { sha256Digest } from '../util/ids';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import { rollbackAdded, settleLayers } from './rollback';
import type { ImageConfigFile, ImageLayer } from './types';
import type { StoredImage } from './repository';

export interface CommitOptions {
  parentId?: string;
  /** Chain IDs the caller unpacked for this image (settled when the image already exists). */
  applied?: string[];
}

export async function commitImage(ctx: ImageContext, configBytes: Buffer, layers: ImageLayer[], options: CommitOptions = {}): Promise<StoredImage> {
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfigFile;
  const id = sha256Digest(configBytes);
  const existing = ctx.repo.byId(id);
  if (existing) {
    await settleLayers(ctx, options.applied ?? []);
    return existing;
  }
  const chainIds = ctx.layers.chainIds(layers.map((l) => l.diffId));
  for (const chain of chainIds) if (!ctx.layers.has(chain)) throw new NotFoundError(`layer ${chain} is not unpacked`);
  const chainId = chainIds.length ? chainIds[chainIds.length - 1] : null;
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: id, size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
  const manifestDigest = sha256Digest(manifest);
  try {
    await ctx.content.put(configBytes, id);
    await ctx.content.put(manifest, manifestDigest);
    const stored: StoredImage = {
      id, config, layers, chainId, manifestDigest,
      size: chainId ? ctx.layers.chainSize(chainId) : 0,
      createdAt: new Date().toISOString(),
      parentId: options.parentId,
    };
    ctx.repo.transaction(() => {
      ctx.layers.retain(chainIds);
      ctx.repo.insert(stored);
    });
    return stored;
  } catch (err) {
    await rollbackAdded(ctx, { chainIds: [], blobs: [id, manifestDigest] }).catch(() => undefined);
    throw err;
  }
}
