// docker import: one rootfs tar → a one-layer image. The body is streamed once:
// into the content store (as the uncompressed layer blob) and into the layer store.
import { PassThrough, type Readable } from 'node:stream';
import { maybeDecompress } from '../archive';
import { InvalidArgumentError } from '../errors';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import { applyChanges } from './changes';
import { commitImage } from './commit-image';
import { parseTagTarget, setTag } from './tagging';
import type { ImageConfigFile, ImageImportOptions } from './types';
import type { StoredImage } from './repository';

export function hostPlatform(): { os: string; architecture: string; variant?: string } {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

function parsePlatform(platform: string | undefined): { os: string; architecture: string; variant?: string } {
  if (!platform) return hostPlatform();
  const [osName, architecture, variant] = platform.split('/');
  if (!osName || !architecture) throw new InvalidArgumentError(`invalid platform: ${platform}`);
  return variant ? { os: osName, architecture, variant } : { os: osName, architecture };
}

export async function importRootfs(ctx: ImageContext, source: Readable, options: ImageImportOptions & { created?: string }): Promise<StoredImage> {
  // Validate everything cheap before consuming the body.
  const target = options.reference ? parseTagTarget(options.reference) : undefined;
  const platform = parsePlatform(options.platform);
  const runtimeConfig = applyChanges({}, options.changes ?? []);

  const plain = maybeDecompress(source);
  const toBlob = new PassThrough({ highWaterMark: 1 << 20 });
  const toLayer = new PassThrough({ highWaterMark: 1 << 20 });
  plain.on('error', (err) => { toBlob.destroy(err); toLayer.destroy(err); });
  plain.pipe(toBlob);
  plain.pipe(toLayer);
  const [blobResult, layerResult] = await Promise.allSettled([ctx.content.ingest(toBlob), ctx.layers.applyLayer(null, toLayer)]);
  if (blobResult.status === 'rejected' || layerResult.status === 'rejected') {
    // Nothing half-stored: drop a blob no image uses. (An unpacked layer with no
    // references is collected by the layer store.)
    if (blobResult.status === 'fulfilled' && !isBlobUsed(ctx, blobResult.value.digest)) await ctx.content.delete(blobResult.value.digest);
    throw layerResult.status === 'rejected' ? layerResult.reason : (blobResult as PromiseRejectedResult).reason;
  }
  const blob = blobResult.value;
  const layer = layerResult.value;
  if (blob.digest !== layer.diffId) throw new InvalidArgumentError('layer digest changed while importing');

  const created = options.created ?? new Date().toISOString();
  const comment = options.message || 'Imported from -';
  const config: ImageConfigFile = {
    architecture: platform.architecture,
    ...(platform.variant ? { variant: platform.variant } : {}),
    comment,
    config: runtimeConfig,
    created,
    history: [{ created, comment }],
    os: platform.os,
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  };
  const stored = await commitImage(ctx, Buffer.from(JSON.stringify(config)), [
    { digest: blob.digest, mediaType: MEDIA.ociLayer, size: blob.size, diffId: layer.diffId },
  ]);
  ctx.events.publish('image', 'import', stored.id, { name: stored.id });
  if (target) setTag(ctx, stored.id, target);
  return stored;
}


function isBlobUsed(ctx: ImageContext, digest: string): boolean {
  return ctx.repo.all().some((img) => img.id === digest || img.manifestDigest === digest || img.layers.some((l) => l.digest === digest));
}
