// docker push: every layer is sent once per registry — skipped when the registry
// has the blob (HEAD), mounted from another repository of the same registry that
// holds it, else uploaded. Compressed blobs (gzip, zstd) go as stored; a layer stored only
// uncompressed (import, commit) is gzipped on the fly and the gzip blob is kept,
// so the next push sends the same digest. The image ID (config digest) never changes.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, NotFoundError } from '../errors';
import { MEDIA } from '../image/context';
import { familiarName, parseReference, repositoryName, type ImageReference } from '../image/reference';
import type { Image, ImageLayer } from '../image/types';
import { adaptiveGzip } from './adaptive-gzip';
import { pushEndpoint } from './endpoints';
import { limiter } from './limit';
import { isCompressedMedia, isGzipMedia, isZstdMedia, parseManifest } from './manifest';
import { DirectWriteStream } from '../native';
import type { DistributionDeps } from './pull';
import { LayerProgress, layerId } from './progress';
import { RepositoryClient } from './repository-client';
import { RegistrySession } from './session';
import type { ProgressSink, PushOptions } from './types';

interface Target { tag: string; image: Image }

export async function push(deps: DistributionDeps, ref: ImageReference, opts: PushOptions, sink: ProgressSink): Promise<void> {
  if (ref.digest) throw new InvalidArgumentError('cannot push a digest reference');
  const targets = pushTargets(deps, ref);
  const progress = new LayerProgress(sink);
  progress.status(undefined, `The push refers to repository [${repositoryName(ref)}]`);
  const session = new RegistrySession(pushEndpoint(ref.domain, deps.options), opts.auth, new Set([`repository:${ref.path}:pull,push`]));
  const client = new RepositoryClient(session, ref.path);
  for (const target of targets) await pushOne(deps, client, ref, target, opts, progress);
}

function pushTargets(deps: DistributionDeps, ref: ImageReference): Target[] {
  const name = familiarName(ref);
  const missing = () => new NotFoundError(`An image does not exist locally with the tag: ${name}`);
  if (ref.tag) {
    const image = deps.images.find(`${repositoryName(ref)}:${ref.tag}`);
    if (!image) throw missing();
    return [{ tag: ref.tag, image }];
  }
  const targets: Target[] = [];
  for (const image of deps.images.list()) {
    for (const t of image.repoTags) {
      const parsed = parseReference(t);
      if (parsed.domain === ref.domain && parsed.path === ref.path && parsed.tag) targets.push({ tag: parsed.tag, image });
    }
  }
  if (targets.length === 0) throw missing();
  return targets.sort((a, b) => a.tag.localeCompare(b.tag));
}

async function pushOne(deps: DistributionDeps, client: RepositoryClient, ref: ImageReference, target: Target, opts: PushOptions, progress: LayerProgress): Promise<void> {
  const { image, tag } = target;
  const run = limiter(deps.options.maxConcurrentUploads);
  for (const l of image.layers) progress.status(layerId(l.diffId), 'Preparing');
  const pending: Array<Promise<unknown>> = [];
  const pushed = await Promise.all(image.layers.map((layer) => run(
    () => pushLayer(deps, client, ref, layer, opts.signal, progress, pending),
    () => progress.status(layerId(layer.diffId), 'Waiting'),
  )));
  const configBytes = await deps.content.read(image.id);
  if (await client.statBlob(image.id, opts.signal) === undefined) {
    const location = await client.startUpload(opts.signal);
    const body = new PassThrough();
    body.end(configBytes);
    await client.upload(location, body, () => image.id, opts.signal);
  }
  const { bytes, mediaType } = await manifestFor(deps, image, pushed, configBytes.length);
  const digest = await client.putManifest(tag, bytes, mediaType, opts.signal);
  progress.status(undefined, `${tag}: digest: ${digest} size: ${bytes.length}`);
  progress.aux({ Tag: tag, Digest: digest, Size: bytes.length });
  await Promise.all(pending);
  await deps.images.recordPushed(image.id, { layers: pushed, manifestBytes: bytes, repository: ref });
}

/** The stored manifest when it describes exactly what was pushed (same digest as before), else a new schema 2 one. */
async function manifestFor(deps: DistributionDeps, image: Image, pushed: ImageLayer[], configSize: number): Promise<{ bytes: Buffer; mediaType: string }> {
  if (image.manifestDigest && deps.content.has(image.manifestDigest)) {
    const bytes = await deps.content.read(image.manifestDigest);
    try {
      const m = parseManifest(bytes, '');
      if (m.kind === 'manifest' && m.config.digest === image.id && m.layers.length === pushed.length && m.layers.every((l, i) => l.digest === pushed[i].digest)) {
        return { bytes, mediaType: m.mediaType };
      }
    } catch { /* not reusable: a new one is written below */ }
  }
  // Docker's schema 2 has no zstd layer type: images with zstd layers get an OCI manifest.
  if (pushed.some((l) => isZstdMedia(l.mediaType))) {
    const oci = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, size: configSize, digest: image.id },
      layers: pushed.map((l) => ({ mediaType: isZstdMedia(l.mediaType) ? MEDIA.ociLayerZstd : isGzipMedia(l.mediaType) ? MEDIA.ociLayerGzip : MEDIA.ociLayer, size: l.size, digest: l.digest })),
    };
    return { bytes: Buffer.from(JSON.stringify(oci)), mediaType: MEDIA.ociManifest };
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.dockerManifest,
    config: { mediaType: MEDIA.dockerConfig, size: configSize, digest: image.id },
    layers: pushed.map((l) => ({ mediaType: isGzipMedia(l.mediaType) ? MEDIA.dockerLayerGzip : MEDIA.dockerLayer, size: l.size, digest: l.digest })),
  };
  return { bytes: Buffer.from(JSON.stringify(manifest, null, 3)), mediaType: MEDIA.dockerManifest };
}

/** Other repositories of the same registry known to hold a blob (through local references). */
function mountSources(deps: DistributionDeps, ref: ImageReference, digest: string): string[] {
  const out = new Set<string>();
  for (const image of deps.images.list()) {
    if (!image.layers.some((l) => l.digest === digest)) continue;
    for (const r of [...image.repoTags, ...image.repoDigests]) {
      const parsed = parseReference(r);
      if (parsed.domain === ref.domain && parsed.path !== ref.path) out.add(parsed.path);
    }
  }
  return [...out].slice(0, 3);
}

async function pushLayer(deps: DistributionDeps, client: RepositoryClient, ref: ImageReference, layer: ImageLayer, signal: AbortSignal | undefined,
  progress: LayerProgress, pending: Array<Promise<unknown>>): Promise<ImageLayer> {
  const id = layerId(layer.diffId);
  const compressed = deps.content.has(layer.digest) && isCompressedMedia(layer.mediaType) ? layer : deps.images.findLayerBlob(layer.diffId, true);
  if (compressed && isCompressedMedia(compressed.mediaType)) {
    if (await client.statBlob(compressed.digest, signal) !== undefined) {
      progress.status(id, 'Layer already exists');
      return compressed;
    }
    let location: string | undefined;
    for (const from of mountSources(deps, ref, compressed.digest)) {
      client.session.addScope(`repository:${from}:pull`);
      const mounted = await client.mountBlob(compressed.digest, from, signal);
      if (mounted === true) {
        progress.status(id, `Mounted from ${from}`);
        return compressed;
      }
      location = mounted;
      break;
    }
    location ??= await client.startUpload(signal);
    const body = counted(blobReader(deps, compressed.digest), compressed.size, id, progress);
    await client.upload(location, body, () => compressed.digest, signal);
    progress.status(id, 'Pushed');
    return compressed;
  }
  const plain = deps.content.has(layer.digest) ? layer : deps.images.findLayerBlob(layer.diffId);
  if (!plain) throw new NotFoundError(`no stored blob for layer ${layer.diffId}: the image cannot be pushed`);
  return pushCompressing(deps, client, plain, signal, progress, pending);
}

/**
 * Gzips an uncompressed layer blob while uploading it, keeping the gzip blob in the
 * content store. The upload is committed with the digest hashed on the way; the
 * store's own write (verified, fsynced) finishes in the background and is awaited
 * through `pending` before the image record points at it.
 */
async function pushCompressing(deps: DistributionDeps, client: RepositoryClient, plain: ImageLayer, signal: AbortSignal | undefined,
  progress: LayerProgress, pending: Array<Promise<unknown>>): Promise<ImageLayer> {
  const id = layerId(plain.diffId);
  const location = await client.startUpload(signal);
  const gzip = adaptiveGzip();
  const hash = createHash('sha256');
  let size = 0;
  const hasher = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) { hash.update(chunk); size += chunk.length; done(null, chunk); },
  });
  const toUpload = new PassThrough({ highWaterMark: 1 << 20 });
  const toStore = new PassThrough({ highWaterMark: 1 << 20 });
  const source = counted(blobReader(deps, plain.digest), plain.size, id, progress);
  const stop = (err: Error) => { for (const s of [source, gzip, hasher, toUpload, toStore]) s.destroy(err); };
  for (const s of [source, gzip, hasher]) s.on('error', stop);
  source.pipe(gzip).pipe(hasher);
  hasher.pipe(toUpload);
  hasher.pipe(toStore);
  let digest: string | undefined;
  const finish = () => (digest ??= `sha256:${hash.digest('hex')}`);
  // The digest hashed on the way is the one the store checks: no second hash pass.
  // The blob bypasses the page cache: it is read again only by a later push.
  const stored = deps.content.ingestFile(async (tmp) => {
    await pipeline(toStore, new DirectWriteStream(tmp));
    return { digest: finish(), size };
  });
  stored.catch((err: Error) => stop(err));
  await client.upload(location, toUpload, finish, signal).catch((err: Error) => { stop(err); throw err; });
  const check = stored.then((blob) => {
    if (blob.digest !== finish()) throw new InvalidArgumentError('layer blob changed while it was pushed');
  });
  check.catch(() => undefined); // observed through `pending`
  pending.push(check);
  progress.status(id, 'Pushed');
  return { digest: finish(), size, mediaType: MEDIA.dockerLayerGzip, diffId: plain.diffId };
}

/** A stored blob in 1 MiB reads (the 64 KiB default costs measurably at registry speeds). */
function blobReader(deps: DistributionDeps, digest: string): Readable {
  if (!deps.content.has(digest)) throw new NotFoundError(`blob ${digest} not found`);
  return fs.createReadStream(deps.content.blobPath(digest), { highWaterMark: 1 << 20 });
}

function counted(source: NodeJS.ReadableStream, total: number, id: string, progress: LayerProgress): Transform {
  let sent = 0;
  const meter = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      progress.bytes(id, 'Pushing', sent, total, sent === total);
      done(null, chunk);
    },
  });
  source.on('error', (err: Error) => meter.destroy(err));
  source.pipe(meter);
  return meter;
}
