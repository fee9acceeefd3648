// docker pull: resolve the reference (an index narrows to the wanted platform),
// fetch the config, then the layers — at most N at once, each verified against
// its digest while it streams and unpacked while it downloads (published only
// once its parent is unpacked and its digest checked). Layers already unpacked
// are never fetched again; blobs already stored are only unpacked. What a failed
// pull verified stays for the next attempt.
import { PassThrough } from 'node:stream';
import type { ContentStore } from '../content/types';
import { InvalidArgumentError, NotFoundError, errorMessage } from '../errors';
import { hostPlatform } from '../image';
import { familiarName, familiarString, withDefaultTag, type ImageReference } from '../image/reference';
import type { ImageConfigFile, ImageLayer, ImageService, RegistryImageStore } from '../image/types';
import type { LayerStore } from '../snapshot/types';
import { deferred } from '../util/deferred';
import { log } from '../util/logger';
import { blobStream } from './blob-stream';
import { fetchLayerInWorker } from './layer-worker/fetch';
import type { LayerWorkerPool } from './layer-worker/pool';
import { pullEndpoints } from './endpoints';
import { limiter } from './limit';
import { formatPlatform, parseManifest, selectPlatform, type Descriptor, type ImageManifest } from './manifest';
import { LayerProgress, layerId } from './progress';
import { RepositoryClient } from './repository-client';
import { RegistrySession } from './session';
import type { PullOptions, ProgressSink, RegistryOptions } from './types';

export interface DistributionDeps {
  content: ContentStore;
  layers: LayerStore;
  images: ImageService & RegistryImageStore;
  options: RegistryOptions;
  /** Worker threads for big layers; without it every layer is fetched on the main thread. */
  layerWorkers?: LayerWorkerPool;
}

/** Layers at least this big go to a worker thread (below it, the hand-off costs more than it saves). */
const WORKER_MIN_SIZE = 1 << 20;

const MAX_CONFIG = 8 << 20;

export async function pull(deps: DistributionDeps, ref: ImageReference, opts: PullOptions, sink: ProgressSink): Promise<void> {
  const endpoints = pullEndpoints(ref.domain, deps.options);
  for (let i = 0; ; i++) {
    const session = new RegistrySession(endpoints[i], opts.auth, new Set([`repository:${ref.path}:pull`]));
    try {
      await pullFrom(deps, new RepositoryClient(session, ref.path), ref, opts, new LayerProgress(sink));
      return;
    } catch (err) {
      // A mirror that fails sends the pull on to the next endpoint, as dockerd does.
      if (!endpoints[i].mirror || opts.signal?.aborted) throw err;
      log.info('registry mirror failed, trying the next endpoint', { mirror: endpoints[i].base, error: errorMessage(err) });
    }
  }
}

async function pullFrom(deps: DistributionDeps, client: RepositoryClient, ref: ImageReference, opts: PullOptions, progress: LayerProgress): Promise<void> {
  if (opts.allTags && !ref.tag && !ref.digest) {
    let updated = false;
    for (const tag of await client.tags(opts.signal)) {
      updated = (await pullOne(deps, client, { ...ref, tag }, opts, progress)) || updated;
    }
    progress.status(undefined, `Status: ${updated ? 'Downloaded newer image for' : 'Image is up to date for'} ${familiarName(ref)}`);
    return;
  }
  const target = withDefaultTag(ref);
  const updated = await pullOne(deps, client, target, opts, progress);
  progress.status(undefined, `Status: ${updated ? 'Downloaded newer image for' : 'Image is up to date for'} ${familiarString(target)}`);
}

/** Pulls one tag or digest; true when a reference changed (Docker's "Downloaded newer image"). */
async function pullOne(deps: DistributionDeps, client: RepositoryClient, ref: ImageReference, opts: PullOptions, progress: LayerProgress): Promise<boolean> {
  const tagOrDigest = ref.digest ?? ref.tag ?? 'latest';
  const described = familiarString(ref);
  const top = await client.getManifest(tagOrDigest, described, opts.signal);
  let parsed = parseManifest(top.bytes, top.mediaType);
  let manifestBytes = top.bytes;
  if (parsed.kind === 'index') {
    const want = opts.platform ?? hostPlatform();
    const entry = selectPlatform(parsed, want);
    if (!entry) throw new NotFoundError(`no matching manifest for ${formatPlatform(want)} in the manifest list entries`);
    const inner = await client.getManifest(entry.digest, described, opts.signal);
    parsed = parseManifest(inner.bytes, inner.mediaType);
    if (parsed.kind !== 'manifest') throw new InvalidArgumentError(`invalid manifest: index ${top.digest} points at another index`);
    manifestBytes = inner.bytes;
  }
  const manifest: ImageManifest = parsed;
  progress.status(tagOrDigest, `Pulling from ${ref.path}`);

  const configBytes = deps.content.has(manifest.config.digest)
    ? await deps.content.read(manifest.config.digest)
    : await client.readBlob(manifest.config.digest, MAX_CONFIG, opts.signal);
  const config = parseConfig(configBytes);
  if (opts.platform && top.bytes === manifestBytes && (config.os !== opts.platform.os || config.architecture !== opts.platform.architecture)) {
    throw new NotFoundError(`image with reference ${described} was found but its platform (${config.os}/${config.architecture}) does not match the specified platform (${formatPlatform(opts.platform)})`);
  }
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length) {
    throw new InvalidArgumentError(`invalid image: the manifest lists ${manifest.layers.length} layers, the config ${diffIds.length} diff IDs`);
  }
  // An image stored already needs nothing but its references (dockerd prints no layer lines then).
  const stored = deps.images.find(manifest.config.digest);
  const applied = stored ? [] : await fetchLayers(deps, client, manifest.layers, diffIds, opts, progress);
  const layers: ImageLayer[] = manifest.layers.map((d, i) => ({ digest: d.digest, size: d.size, mediaType: d.mediaType, diffId: diffIds[i] }));
  const { updated } = await deps.images.recordPulled({
    configBytes, manifestBytes, layers, applied, repository: ref, repoDigest: top.digest, tag: ref.digest ? undefined : ref,
  });
  progress.status(undefined, `Digest: ${top.digest}`);
  return updated;
}

function parseConfig(bytes: Buffer): ImageConfigFile {
  let config: ImageConfigFile;
  try { config = JSON.parse(bytes.toString('utf8')) as ImageConfigFile; } catch { throw new InvalidArgumentError('invalid image config: not JSON'); }
  if (!config?.rootfs || !Array.isArray(config.rootfs.diff_ids) || !config.rootfs.diff_ids.every((d) => typeof d === 'string' && /^sha256:[a-f0-9]{64}$/.test(d))) {
    throw new InvalidArgumentError('invalid image config: bad rootfs.diff_ids');
  }
  return config;
}

/** Downloads and unpacks the missing layers; returns the chain IDs it unpacked. */
async function fetchLayers(deps: DistributionDeps, client: RepositoryClient, descs: Descriptor[], diffIds: string[], opts: PullOptions, progress: LayerProgress): Promise<string[]> {
  const chainIds = deps.layers.chainIds(diffIds);
  const ready = descs.map(() => deferred());
  const applied: string[] = [];
  const abort = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, abort.signal]) : abort.signal;
  const run = limiter(deps.options.maxConcurrentDownloads);
  const jobs: Array<Promise<void>> = [];
  const todo: number[] = [];
  for (let i = 0; i < descs.length; i++) {
    const unpacked = deps.layers.has(chainIds[i]);
    if (unpacked && (deps.content.has(descs[i].digest) || deps.images.findLayerBlob(diffIds[i]))) {
      progress.status(layerId(descs[i].digest), 'Already exists');
      ready[i].resolve();
    } else {
      progress.status(layerId(descs[i].digest), 'Pulling fs layer');
      todo.push(i);
    }
  }
  for (const i of todo) {
    const id = layerId(descs[i].digest);
    // The slot is held while the layer downloads; syncing and publishing happen outside it.
    const job = run(async () => {
      if (signal.aborted) throw signal.reason;
      const parentReady = i === 0 ? Promise.resolve() : ready[i - 1].promise;
      const needUnpack = !deps.layers.has(chainIds[i]);
      return fetchLayer(deps, client, descs[i], i === 0 ? null : chainIds[i - 1], parentReady, needUnpack, signal, progress);
    }, () => progress.status(id, 'Waiting')).then(async ({ published }) => {
      const chain = await published;
      if (chain !== undefined) {
        applied.push(chain);
        if (chain !== chainIds[i]) {
          throw new InvalidArgumentError(`layer ${descs[i].digest} does not match the image config: unexpected diff ID`);
        }
      }
      progress.status(id, 'Pull complete');
    });
    jobs.push(job.then(() => ready[i].resolve(), (err: unknown) => {
      ready[i].reject(err);
      abort.abort(err);
      throw err;
    }));
  }
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // The first real cause, not the aborts it triggered in the other jobs.
    const cause = results.map((r) => (r.status === 'rejected' ? r.reason as unknown : undefined)).find((e) => e !== undefined && !(e instanceof Error && e.name === 'AbortError'));
    throw cause ?? failed.reason;
  }
  return applied;
}

/**
 * One layer: blob into the content store and (when not unpacked yet) into the layer
 * store. Resolves when the download is over; `published` gives the chain unpacked.
 */
async function fetchLayer(deps: DistributionDeps, client: RepositoryClient, desc: Descriptor, parent: string | null,
  parentReady: Promise<void>, needUnpack: boolean, signal: AbortSignal, progress: LayerProgress): Promise<{ published: Promise<string | undefined> }> {
  if (needUnpack && deps.layerWorkers && desc.size >= WORKER_MIN_SIZE) {
    const id = layerId(desc.digest);
    const { published } = await fetchLayerInWorker({
      pool: deps.layerWorkers, content: deps.content, layers: deps.layers, client, desc, parent, parentReady, signal,
      onBytes: (n) => progress.bytes(id, 'Downloading', n, desc.size, n === desc.size),
      onVerified: () => { progress.status(id, 'Verifying Checksum'); progress.status(id, 'Download complete'); },
    });
    return { published: published.then((chainId) => { progress.bytes(id, 'Extracting', desc.size, desc.size, true); return chainId; }) };
  }
  return { published: Promise.resolve(await fetchLayerHere(deps, client, desc, parent, parentReady, needUnpack, signal, progress)) };
}

/** fetchLayer on the main thread (small layers, blobs stored already, unpacked layers). */
async function fetchLayerHere(deps: DistributionDeps, client: RepositoryClient, desc: Descriptor, parent: string | null,
  parentReady: Promise<void>, needUnpack: boolean, signal: AbortSignal, progress: LayerProgress): Promise<string | undefined> {
  const id = layerId(desc.digest);
  const unpack = (source: NodeJS.ReadableStream, verified: Promise<unknown>) => deps.layers.applyLayer(parent, source as PassThrough, { publishAfter: Promise.all([parentReady, verified]) });
  if (deps.content.has(desc.digest)) {
    if (!needUnpack) return undefined;
    // Verified by an earlier, interrupted pull: only the unpacking is left.
    progress.bytes(id, 'Extracting', desc.size, desc.size, true);
    const info = await unpack(deps.content.createReadStream(desc.digest), Promise.resolve());
    return info.chainId;
  }
  // The content store checks digest and size; the layer is published only after that.
  const body = blobStream((offset, s) => client.openBlob(desc.digest, offset, s), { digest: desc.digest, size: desc.size, signal, verify: false, onBytes: (n) => progress.bytes(id, 'Downloading', n, desc.size, n === desc.size) });
  const toStore = new PassThrough({ highWaterMark: 1 << 20 });
  const toLayer = new PassThrough({ highWaterMark: 1 << 20 });
  const stopAll = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    body.destroy(e);
    toStore.destroy(e);
    toLayer.destroy(e);
  };
  body.on('error', stopAll);
  body.pipe(toStore);
  const stored = deps.content.ingest(toStore, { digest: desc.digest, size: desc.size }).then((info) => {
    progress.status(id, 'Verifying Checksum');
    progress.status(id, 'Download complete');
    return info;
  });
  stored.catch(stopAll);
  if (!needUnpack) {
    // Unpacked already, only the blob was missing (kept for push and save).
    await stored;
    return undefined;
  }
  body.pipe(toLayer);
  const unpacked = unpack(toLayer, stored);
  unpacked.catch(stopAll);
  const [s, u] = await Promise.allSettled([stored, unpacked]);
  if (s.status === 'rejected') throw s.reason;
  if (u.status === 'rejected') throw u.reason;
  progress.bytes(id, 'Extracting', desc.size, desc.size, true);
  return u.value.chainId;
}
