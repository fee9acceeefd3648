// Records what the registry client did: a pulled image (its manifest kept byte for
// byte so the repo digest matches the registry's), and a pushed one (the blobs it
// was pushed with, the manifest digest and the repo digest reference).
import { InvalidArgumentError } from '../errors';
import { sha256Digest } from '../util/ids';
import type { ImageContext } from './context';
import { familiarString, type ImageReference } from './reference';
import type { StoredImage } from './repository';
import { rollbackAdded, settleLayers } from './rollback';
import { setTag } from './tagging';
import type { ImageConfigFile, ImageLayer, PulledImageInput } from './types';


/** A stored layer blob with this diff ID (any compression), if one exists. */
export function findLayerBlob(ctx: ImageContext, diffId: string, preferCompressed = false): ImageLayer | undefined {
  let found: ImageLayer | undefined;
  for (const img of ctx.repo.all()) {
    for (const l of img.layers) {
      if (l.diffId !== diffId || !ctx.content.has(l.digest)) continue;
      if (!preferCompressed || l.mediaType.endsWith('gzip')) return l;
      found ??= l;
    }
  }
  return found;
}

/** Stores a pulled image (or finds it stored) and points its tag and digest at it; `updated` as Docker's "Downloaded newer image". */
export async function recordPulled(ctx: ImageContext, input: PulledImageInput): Promise<{ image: StoredImage; updated: boolean }> {
  const id = sha256Digest(input.configBytes);
  const manifestDigest = sha256Digest(input.manifestBytes);
  let stored = ctx.repo.byId(id);
  const written: string[] = [];
  try {
    if (stored) {
      await settleLayers(ctx, input.applied);
    } else {
      const config = JSON.parse(input.configBytes.toString('utf8')) as ImageConfigFile;
      const chainIds = ctx.layers.chainIds(input.layers.map((l) => l.diffId));
      for (const chain of chainIds) if (!ctx.layers.has(chain)) throw new InvalidArgumentError(`layer ${chain} is not unpacked`);
      // A layer skipped because it was unpacked already may have its blob under another digest.
      const layers = input.layers.map((l) => (ctx.content.has(l.digest) ? l : findLayerBlob(ctx, l.diffId) ?? l));
      await ctx.content.put(input.configBytes, id);
      written.push(id);
      await ctx.content.put(input.manifestBytes, manifestDigest);
      written.push(manifestDigest);
      const chainId = chainIds.length ? chainIds[chainIds.length - 1] : null;
      stored = {
        id, config, layers, chainId, manifestDigest,
        size: chainId ? ctx.layers.chainSize(chainId) : 0,
        createdAt: new Date().toISOString(),
      };
      const record = stored;
      ctx.repo.transaction(() => {
        ctx.layers.retain(chainIds);
        ctx.repo.insert(record);
      });
      await settleLayers(ctx, input.applied);
    }
  } catch (err) {
    await rollbackAdded(ctx, { chainIds: input.applied, blobs: written }).catch(() => undefined);
    throw err;
  }
  const digestRef = { ...input.repository, tag: undefined, digest: input.repoDigest };
  const digestKey = `${digestRef.domain}/${digestRef.path}@${input.repoDigest}`;
  const hadDigest = ctx.repo.refTarget(digestKey) === id;
  ctx.repo.setRef(digestKey, id, 'digest');
  let updated = !input.tag && !hadDigest;
  if (input.tag) {
    const target = `${input.tag.domain}/${input.tag.path}:${input.tag.tag}`;
    if (ctx.repo.refTarget(target) !== id) {
      setTag(ctx, id, input.tag);
      updated = true;
    }
  }
  ctx.events.publish('image', 'pull', id, { name: familiarString(input.tag ?? digestRef) });
  return { image: stored, updated };
}

/** After a push: the image's layers point at the blobs that were pushed, and the repo digest is recorded. */
export async function recordPushed(ctx: ImageContext, imageId: string, pushed: { layers: ImageLayer[]; manifestBytes: Buffer; repository: ImageReference }): Promise<void> {
  const stored = ctx.repo.byId(imageId);
  if (!stored) return; // removed meanwhile: nothing to record
  const manifestDigest = sha256Digest(pushed.manifestBytes);
  await ctx.content.put(pushed.manifestBytes, manifestDigest);
  const same = pushed.layers.length === stored.layers.length && pushed.layers.every((l, i) => l.diffId === stored.layers[i].diffId);
  if (same) ctx.repo.insert({ ...stored, layers: pushed.layers, manifestDigest });
  ctx.repo.setRef(`${pushed.repository.domain}/${pushed.repository.path}@${manifestDigest}`, imageId, 'digest');
  ctx.events.publish('image', 'push', imageId, { name: familiarString(pushed.repository) });
}
