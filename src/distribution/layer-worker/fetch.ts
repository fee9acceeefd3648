// One layer fetched by a worker thread: the stores hand out their temp paths, the
// worker fills both from a single download, and the stores verify and publish as
// they do for in-process streams (blob: digest and size; layer: after its parent
// and the verified blob). Any failure rejects both sides, so both clean up.
import type { ContentStore } from '../../content/types';
import { deferred } from '../../util/deferred';
import type { LayerStore } from '../../snapshot/types';
import type { RepositoryClient } from '../repository-client';
import type { Descriptor } from '../manifest';
import type { LayerWorkerPool } from './pool';


export interface WorkerFetchOptions {
  pool: LayerWorkerPool;
  content: ContentStore;
  layers: LayerStore;
  client: RepositoryClient;
  desc: Descriptor;
  parent: string | null;
  parentReady: Promise<void>;
  signal: AbortSignal;
  onBytes(received: number): void;
  onVerified(): void;
}

/**
 * Downloads, verifies and unpacks one layer in a worker. Resolves once the worker is
 * done (the download slot can go to the next layer); `published` then settles with
 * the chain ID after the blob is synced and the layer published on its parent.
 */
export async function fetchLayerInWorker(o: WorkerFetchOptions): Promise<{ published: Promise<string> }> {
  const request = await o.client.prepareBlobGet(o.desc.digest, o.signal);
  const blob = deferred<{ digest: string; size: number }>();
  const layer = deferred<{ diffId: string; size: number }>();
  const blobPath = deferred<string>();
  const diffDir = deferred<string>();
  const failAll = (err: unknown) => {
    for (const d of [blob, layer, blobPath, diffDir]) d.reject(err);
  };
  const stored = o.content.ingestFile((tmp) => { blobPath.resolve(tmp); return blob.promise; }, { digest: o.desc.digest, size: o.desc.size })
    .then((info) => { o.onVerified(); return info; });
  const unpacked = o.layers.applyExtracted(o.parent, (dir) => { diffDir.resolve(dir); return layer.promise; }, {
    publishAfter: Promise.all([o.parentReady, stored]),
  });
  // A store that fails stops the worker first; its files are removed only after the thread is gone.
  const stopJob = new AbortController();
  let started = false;
  const stop = (err: unknown) => { if (started) stopJob.abort(err); else failAll(err); };
  stored.catch(stop);
  unpacked.catch(stop);
  let job: Promise<void> = Promise.resolve();
  try {
    const [bp, dd] = await Promise.all([blobPath.promise, diffDir.promise]);
    job = o.pool.run({ ...request, digest: o.desc.digest, size: o.desc.size, blobPath: bp, diffDir: dd }, {
      onBytes: o.onBytes,
      onBlob: (info) => blob.resolve(info),
      onLayer: (info) => layer.resolve(info),
    }, AbortSignal.any([o.signal, stopJob.signal]));
    started = true;
    job.catch(failAll);
  } catch (err) {
    failAll(err);
  }
  await job.catch(() => undefined);
  const published = Promise.allSettled([job, stored, unpacked]).then(([j, s, u]) => {
    if (j.status === 'rejected') throw j.reason;
    if (s.status === 'rejected') throw s.reason;
    if (u.status === 'rejected') throw u.reason;
    return u.value.chainId;
  });
  published.catch(() => undefined); // observed by the caller
  return { published };
}
