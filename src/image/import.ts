// docker import: one rootfs tar → a one-layer image. The body is streamed once:
// into the content store (as the uncompressed layer blob) and into the layer store.
import type { Readable } from 'node:stream';
import { maybeDecompress } from '../archive';
import { InvalidArgumentError } from '../errors';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import { applyChanges } from './changes';
import { commitImage } from './commit-image';
import { ingestLayer } from './ingest-layer';
import { rollbackAdded } from './rollback';
import { parseTagTarget, setTag } from './tagging';
import type { ImageConfigFile, ImageImportOptions, ImageRuntimeConfig } from './types';
import type { StoredImage } from './repository';

type Platform = { os: string; architecture: string; variant?: string };

export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

function parsePlatform(platform: string | undefined): Platform {
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

  const layer = await ingestLayer(ctx, null, maybeDecompress(source), 'importing');
  try {
    const stored = await commitImage(ctx, buildConfig(options, platform, runtimeConfig, layer.diffId), [
      { digest: layer.digest, mediaType: MEDIA.ociLayer, size: layer.size, diffId: layer.diffId },
    ], { applied: layer.added.chainIds });
    ctx.events.publish('image', 'import', stored.id, { name: stored.id });
    if (target) setTag(ctx, stored.id, target);
    return stored;
  } catch (err) {
    await rollbackAdded(ctx, layer.added).catch(() => undefined);
    throw err;
  }
}

/** Docker's import config: host platform, one history entry, the message as comment. */
function buildConfig(options: ImageImportOptions, platform: Platform, runtimeConfig: ImageRuntimeConfig, diffId: string): Buffer {
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
    rootfs: { type: 'layers', diff_ids: [diffId] },
  };
  return Buffer.from(JSON.stringify(config));
}
