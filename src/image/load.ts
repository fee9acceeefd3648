// docker load: `docker save` archives (manifest.json) and OCI image layouts (index.json).
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, errorMessage } from '../errors';
import { sha256Digest, isDigest } from '../util/ids';
import type { ImageContext } from './context';
import { MEDIA } from './context';
import { commitImage } from './commit-image';
import { hostPlatform } from './import';
import { familiarString, parseReference, withDefaultTag, type ImageReference } from './reference';
import type { StoredImage } from './repository';
import { spoolArchive, type Spool } from './spool';
import { setTag } from './tagging';
import type { ImageConfigFile, ImageLayer } from './types';

interface Candidate { configFile: string; layerFiles: Array<{ file: string; digest?: string; mediaType?: string }>; tags: ImageReference[] }

export async function loadArchive(ctx: ImageContext, source: Readable): Promise<{ images: StoredImage[]; messages: string[] }> {
  const dir = path.join(ctx.tmpDir, `load-${randomBytes(8).toString('hex')}`);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    const spool = await spoolArchive(source, dir);
    const candidates = spool.resolve('manifest.json') ? dockerCandidates(spool) : spool.resolve('index.json') ? ociCandidates(spool) : undefined;
    if (!candidates) throw new InvalidArgumentError('invalid archive: it has neither manifest.json nor index.json');
    const images: StoredImage[] = [];
    const messages: string[] = [];
    for (const cand of candidates) {
      const stored = await loadOne(ctx, cand);
      images.push(stored);
      ctx.events.publish('image', 'load', stored.id, { name: stored.id });
      if (cand.tags.length === 0) messages.push(`Loaded image ID: ${stored.id}`);
      for (const tag of cand.tags) {
        const previous = setTag(ctx, stored.id, tag);
        if (previous) messages.push(`The image ${familiarString(tag)} already exists, renaming the old one with ID ${previous} to empty string`);
        messages.push(`Loaded image: ${familiarString(tag)}`);
      }
    }
    return { images, messages };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

function readJson<T>(spool: Spool, name: string): T {
  const file = spool.resolve(name);
  if (!file) throw new InvalidArgumentError(`invalid archive: ${name} is missing`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new InvalidArgumentError(`invalid archive: ${name}: ${errorMessage(err)}`);
  }
}

function must(spool: Spool, name: string): string {
  const file = spool.resolve(name);
  if (!file) throw new InvalidArgumentError(`invalid archive: ${name} is missing`);
  return file;
}

function parseTags(names: string[]): ImageReference[] {
  return names.map((n) => {
    const ref = withDefaultTag(parseReference(n));
    if (ref.digest) throw new InvalidArgumentError(`invalid tag in archive: ${n}`);
    return ref;
  });
}

function dockerCandidates(spool: Spool): Candidate[] {
  const manifest = readJson<Array<{ Config: string; RepoTags?: string[] | null; Layers: string[] }>>(spool, 'manifest.json');
  if (!Array.isArray(manifest)) throw new InvalidArgumentError('invalid archive: manifest.json is not a list');
  return manifest.map((m) => ({
    configFile: must(spool, m.Config),
    layerFiles: (m.Layers ?? []).map((l) => ({ file: must(spool, l) })),
    tags: parseTags(m.RepoTags ?? []),
  }));
}

interface Descriptor { mediaType?: string; digest: string; size?: number; annotations?: Record<string, string>; platform?: { os?: string; architecture?: string } }

function blobFile(spool: Spool, desc: Descriptor): string {
  if (!isDigest(desc.digest)) throw new InvalidArgumentError(`invalid archive: unsupported digest ${desc.digest}`);
  const file = must(spool, `blobs/sha256/${desc.digest.slice(7)}`);
  if (sha256Digest(fs.readFileSync(file)) !== desc.digest && desc.mediaType?.includes('json')) {
    throw new InvalidArgumentError(`invalid archive: digest mismatch for ${desc.digest}`);
  }
  return file;
}

function ociCandidates(spool: Spool): Candidate[] {
  const out: Candidate[] = [];
  const host = hostPlatform();
  const visit = (desc: Descriptor, name: string | undefined) => {
    const doc = JSON.parse(fs.readFileSync(blobFile(spool, desc), 'utf8')) as { mediaType?: string; manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
    if (doc.manifests) {
      const pick = doc.manifests.find((m) => m.platform?.os === host.os && m.platform?.architecture === host.architecture) ?? doc.manifests[0];
      if (!pick) throw new InvalidArgumentError('invalid archive: empty image index');
      visit(pick, name);
      return;
    }
    if (!doc.config) throw new InvalidArgumentError(`invalid archive: ${desc.digest} is not an image manifest`);
    out.push({
      configFile: blobFile(spool, { ...doc.config, mediaType: 'json' }),
      layerFiles: (doc.layers ?? []).map((l) => ({ file: blobFile(spool, l), digest: l.digest, mediaType: l.mediaType })),
      tags: name ? parseTags([name]) : [],
    });
  };
  const index = readJson<{ manifests?: Descriptor[] }>(spool, 'index.json');
  for (const desc of index.manifests ?? []) {
    const ann = desc.annotations ?? {};
    let name = ann['io.containerd.image.name'];
    const refName = ann['org.opencontainers.image.ref.name'];
    if (!name && refName && /[:/]/.test(refName)) name = refName;
    visit(desc, name);
  }
  return out;
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    await fh.read(buf, 0, 2, 0);
    return buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

async function loadOne(ctx: ImageContext, cand: Candidate): Promise<StoredImage> {
  const configBytes = fs.readFileSync(cand.configFile);
  let config: ImageConfigFile;
  try {
    config = JSON.parse(configBytes.toString('utf8')) as ImageConfigFile;
  } catch (err) {
    throw new InvalidArgumentError(`invalid archive: image config: ${errorMessage(err)}`);
  }
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== cand.layerFiles.length) throw new InvalidArgumentError('invalid archive: layer count does not match the image config');
  const existing = ctx.repo.byId(sha256Digest(configBytes));
  if (existing) return existing;
  const chainIds = ctx.layers.chainIds(diffIds);
  const layers: ImageLayer[] = [];
  for (let i = 0; i < diffIds.length; i++) {
    const { file, mediaType, digest } = cand.layerFiles[i];
    const gzip = await isGzip(file);
    if (!ctx.layers.has(chainIds[i])) {
      const info = await ctx.layers.applyLayer(i === 0 ? null : chainIds[i - 1], fs.createReadStream(file));
      if (info.diffId !== diffIds[i]) throw new InvalidArgumentError(`invalid archive: layer ${i} has diff ID ${info.diffId}, the config says ${diffIds[i]}`);
    }
    const blob = await ctx.content.ingest(fs.createReadStream(file), digest ? { digest } : undefined);
    if (!gzip && blob.digest !== diffIds[i]) throw new InvalidArgumentError(`invalid archive: layer ${i} does not match its diff ID ${diffIds[i]}`);
    layers.push({ digest: blob.digest, size: blob.size, diffId: diffIds[i], mediaType: mediaType ?? (gzip ? MEDIA.ociLayerGzip : MEDIA.ociLayer) });
  }
  return commitImage(ctx, configBytes, layers);
}
