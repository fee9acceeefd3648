// docker save: one tar in both formats `docker load` understands — manifest.json
// (+ repositories) for Docker 20.10+, and an OCI layout (oci-layout, index.json,
// blobs/sha256/*) as Docker 25+ writes. Streamed; each blob is written once.
import * as fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { errorMessage } from '../errors';
import { log } from '../util/logger';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import { fullString, parseReference } from './reference';
import type { Image } from './types';

interface Selected { image: Image; tags: string[] }

export function saveImages(ctx: ImageContext, selected: Selected[]): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  pack.on('error', (err) => out.destroy(err));
  // A reader that goes away (client disconnect) stops the writer and its open files.
  let done = false;
  out.on('close', () => { if (!done) pack.destroy(new Error('save stream closed by the reader')); });
  writeAll(ctx, pack, selected).then(() => { done = true; }, (err: unknown) => {
    done = true;
    if (out.destroyed) return;
    log.warn('image save failed', { error: errorMessage(err) });
    pack.destroy(err as Error);
    out.destroy(err as Error);
  });
  return out;
}

const MTIME = new Date(0);

function addBuffer(pack: tar.Pack, name: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: data.length, mode: 0o644, mtime: MTIME }, data, (err) => (err ? reject(err) : resolve()));
  });
}

async function addFile(pack: tar.Pack, name: string, file: string): Promise<void> {
  const { size } = await fs.promises.stat(file);
  const entry = pack.entry({ name, size, mode: 0o644, mtime: MTIME });
  await pipeline(fs.createReadStream(file), entry);
}

async function writeAll(ctx: ImageContext, pack: tar.Pack, selected: Selected[]): Promise<void> {
  const written = new Set<string>();
  const blob = async (digest: string) => {
    if (written.has(digest)) return;
    written.add(digest);
    await addFile(pack, `blobs/sha256/${digest.slice(7)}`, ctx.content.blobPath(digest));
  };
  await addBuffer(pack, 'oci-layout', Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  const manifestJson: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
  const index: Array<Record<string, unknown>> = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const { image, tags } of selected) {
    await blob(image.id);
    for (const layer of image.layers) await blob(layer.digest);
    let manifestDigest = image.manifestDigest;
    if (!manifestDigest || !ctx.content.has(manifestDigest)) {
      const manifest = Buffer.from(JSON.stringify({
        schemaVersion: 2, mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, digest: image.id, size: ctx.content.info(image.id)?.size ?? 0 },
        layers: image.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      }));
      manifestDigest = (await ctx.content.put(manifest)).digest;
    }
    await blob(manifestDigest);
    const manifestSize = ctx.content.info(manifestDigest)?.size ?? 0;
    manifestJson.push({
      Config: `blobs/sha256/${image.id.slice(7)}`,
      RepoTags: tags,
      Layers: image.layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
    });
    const descriptor = { mediaType: MEDIA.ociManifest, digest: manifestDigest, size: manifestSize };
    if (tags.length === 0) index.push(descriptor);
    for (const tag of tags) {
      const ref = parseReference(tag);
      index.push({ ...descriptor, annotations: { 'io.containerd.image.name': fullString(ref), 'org.opencontainers.image.ref.name': ref.tag ?? 'latest' } });
      const repo = tag.slice(0, tag.lastIndexOf(':'));
      (repositories[repo] ??= {})[ref.tag ?? 'latest'] = image.id.slice(7);
    }
  }
  await addBuffer(pack, 'index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: index })));
  await addBuffer(pack, 'manifest.json', Buffer.from(JSON.stringify(manifestJson)));
  if (Object.keys(repositories).length > 0) await addBuffer(pack, 'repositories', Buffer.from(JSON.stringify(repositories)));
  pack.finalize();
}
