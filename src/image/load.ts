// docker load: spool the archive (entries come in any order), read every image
// it describes, then store them one by one. Each layer blob is verified as it is
// ingested before it is unpacked; a failure rolls back what that image added.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, errorMessage } from '../errors';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import { commitImage } from './commit-image';
import { dockerCandidates, ociCandidates, type Candidate } from './load-formats';
import { familiarString, fullString } from './reference';
import type { StoredImage } from './repository';
import { rollbackAdded } from './rollback';
import { spoolArchive } from './spool';
import { setTag } from './tagging';
import type { ImageLayer } from './types';

export async function loadArchive(ctx: ImageContext, source: Readable): Promise<{ images: StoredImage[]; messages: string[] }> {
  const dir = path.join(ctx.tmpDir, `load-${randomBytes(8).toString('hex')}`);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    const spool = await spoolArchive(source, dir);
    // Read and check every image of the archive before storing any of them.
    let candidates: Candidate[];
    if (spool.resolve('manifest.json')) candidates = dockerCandidates(spool);
    else if (spool.resolve('index.json')) candidates = ociCandidates(spool);
    else throw new InvalidArgumentError('invalid archive: it has neither manifest.json nor index.json');
    const images: StoredImage[] = [];
    const messages: string[] = [];
    for (const cand of candidates) {
      const stored = await storeOne(ctx, cand);
      images.push(stored);
      ctx.events.publish('image', 'load', stored.id, { name: stored.id });
      if (cand.tags.length === 0) messages.push(`Loaded image ID: ${stored.id}`);
      for (const tag of cand.tags) {
        const previous = ctx.repo.refTarget(fullString(tag));
        if (previous !== stored.id) {
          if (previous) messages.push(`The image ${familiarString(tag)} already exists, renaming the old one with ID ${previous} to empty string`);
          setTag(ctx, stored.id, tag, { event: previous !== undefined });
        }
        messages.push(`Loaded image: ${familiarString(tag)}`);
      }
    }
    return { images, messages };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** gzip or zstd by the first bytes, else undefined (a plain tar). */
async function compressionOf(file: string): Promise<'gzip' | 'zstd' | undefined> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await fh.read(buf, 0, 4, 0);
    if (bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && buf.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return undefined;
  } finally {
    await fh.close();
  }
}

async function storeOne(ctx: ImageContext, cand: Candidate): Promise<StoredImage> {
  const existing = ctx.repo.byId(cand.id);
  if (existing) return existing;
  const diffIds = cand.config.rootfs.diff_ids;
  const chainIds = ctx.layers.chainIds(diffIds);
  const blobs: string[] = [];
  const applied: string[] = [];
  try {
    const layers: ImageLayer[] = [];
    for (let i = 0; i < diffIds.length; i++) {
      const { name, file, size } = cand.layers[i];
      const compression = await compressionOf(file);
      // An uncompressed layer's blob digest is its diff ID.
      const digest = cand.layers[i].digest ?? (compression ? undefined : diffIds[i]);
      let blob;
      try {
        blob = await ctx.content.ingest(fs.createReadStream(file), { digest, size });
      } catch (err) {
        if (err instanceof InvalidArgumentError) throw new InvalidArgumentError(`invalid archive: layer ${name}: ${err.message}`);
        throw err;
      }
      blobs.push(blob.digest);
      if (!ctx.layers.has(chainIds[i])) {
        const info = await ctx.layers.applyLayer(i === 0 ? null : chainIds[i - 1], ctx.content.createReadStream(blob.digest));
        applied.push(info.chainId);
        if (info.diffId !== diffIds[i]) {
          throw new InvalidArgumentError(`invalid archive: layer ${name} has diff ID ${info.diffId}, the image config says ${diffIds[i]}`);
        }
      }
      const mediaType = cand.layers[i].mediaType ?? (compression === 'gzip' ? MEDIA.ociLayerGzip : compression === 'zstd' ? MEDIA.ociLayerZstd : MEDIA.ociLayer);
      layers.push({ digest: blob.digest, size: blob.size, diffId: diffIds[i], mediaType });
    }
    return await commitImage(ctx, cand.configBytes, layers, { applied });
  } catch (err) {
    await rollbackAdded(ctx, { chainIds: applied, blobs: [...blobs, cand.id] }).catch(() => undefined);
    throw err instanceof Error ? err : new InvalidArgumentError(`invalid archive: ${errorMessage(err)}`);
  }
}
