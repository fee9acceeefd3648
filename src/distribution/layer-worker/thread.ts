// A layer worker thread: downloads one blob (resuming with Range), writes it to the
// content store's temp file while hashing it, and unpacks it into the layer store's
// temp dir at the same time — all off the daemon's main thread, with this thread's
// own small heap. The daemon verifies and publishes what this reports.
import { PassThrough } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { extractLayer } from '../../archive';
import { writeHashed } from '../../content/write-hashed';
import { isBerthError, errorMessage, type ErrorKind } from '../../errors';
import { blobStream } from '../blob-stream';
import { unexpectedResponse } from '../registry-errors';
import { send } from '../registry-http';
import type { LayerJob, WorkerMessage } from './protocol';

const PROGRESS_EVERY = 512 << 10;

function post(m: WorkerMessage): void {
  parentPort!.postMessage(m);
}

async function runJob(job: LayerJob): Promise<void> {
  let reported = 0;
  const body = blobStream(async (offset, signal) => {
    const headers = offset > 0 ? { ...job.headers, Range: `bytes=${offset}-` } : job.headers;
    const res = await send({ method: 'GET', url: job.url, headers, insecure: job.insecure, signal });
    if (res.statusCode !== 200 && res.statusCode !== 206) await unexpectedResponse(res, 'registry');
    return res;
  }, {
    digest: job.digest, size: job.size, verify: false,
    onBytes: (n) => {
      if (n - reported >= PROGRESS_EVERY || n === job.size) { reported = n; post({ type: 'bytes', received: n }); }
    },
  });
  const toBlob = new PassThrough({ highWaterMark: 1 << 20 });
  const toLayer = new PassThrough({ highWaterMark: 1 << 20 });
  const stopAll = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    body.destroy(e);
    toBlob.destroy(e);
    toLayer.destroy(e);
  };
  body.on('error', stopAll);
  body.pipe(toBlob);
  body.pipe(toLayer);
  const blob = writeHashed(toBlob, job.blobPath).then((info) => { post({ type: 'blob', digest: info.digest, size: info.size }); });
  const layer = extractLayer(toLayer, job.diffDir).then((r) => { post({ type: 'layer', diffId: r.diffId, size: r.size }); });
  blob.catch(stopAll);
  layer.catch(stopAll);
  const [b, l] = await Promise.allSettled([blob, layer]);
  if (b.status === 'rejected') throw b.reason;
  if (l.status === 'rejected') throw l.reason;
}

parentPort!.on('message', (job: LayerJob) => {
  runJob(job).then(() => post({ type: 'done' }), (err: unknown) => {
    const kind: ErrorKind = isBerthError(err) ? err.kind : 'internal';
    post({ type: 'error', kind, message: errorMessage(err) });
  });
});
