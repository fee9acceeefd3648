// Records an image whose config and layer blobs are in the content store and whose
// layers are unpacked: writes the manifest, retains the chain, inserts the record.
import { NotFoundError } from '../errors';
import { sha256Digest } from '../util/ids';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import type { ImageConfigFile, ImageLayer } from './types';
import type { StoredImage } from './repository';

export async function commitImage(ctx: ImageContext, configBytes: Buffer, layers: ImageLayer[], parentId?: string): Promise<StoredImage> {
  const config = JSON.parse(configBytes.toString('utf8')) as ImageConfigFile;
  const id = sha256Digest(configBytes);
  const existing = ctx.repo.byId(id);
  if (existing) return existing;
  await ctx.content.put(configBytes, id);
  const diffIds = layers.map((l) => l.diffId);
  const chainIds = ctx.layers.chainIds(diffIds);
  for (const chain of chainIds) if (!ctx.layers.has(chain)) throw new NotFoundError(`layer ${chain} is not unpacked`);
  const chainId = chainIds.length ? chainIds[chainIds.length - 1] : null;
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: id, size: configBytes.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
  const { digest: manifestDigest } = await ctx.content.put(manifest);
  const stored: StoredImage = {
    id, config, layers, chainId, manifestDigest,
    size: chainId ? ctx.layers.chainSize(chainId) : 0,
    createdAt: new Date().toISOString(),
    parentId,
  };
  ctx.repo.transaction(() => {
    ctx.layers.retain(chainIds);
    ctx.repo.insert(stored);
  });
  return stored;
}
