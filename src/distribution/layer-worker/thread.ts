// A layer worker thread: downloads one blob (resuming with Range), writes it to the
// content store's temp file while hashing it, and unpacks it into the layer store's
// temp dir at the same time — all off the daemon's main thread, with this thread's
// own small heap. Every step after the socket read is synchronous on this thread
// (hash, batched blob write, inflate, tar, file writes): on two cores, handing each
// chunk to libuv's pool and back cost more CPU than the work itself. The daemon
// verifies and publishes what this reports.
import { PassThrough } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { InlineDecompressor, extractTar } from '../../archive';
import { HashedFileWriter } from '../../content/write-hashed';
import type { BlobInfo } from '../../content/types';
import { isBerthError, errorMessage, type ErrorKind } from '../../errors';
import { blobStream } from '../blob-stream';
import { unexpectedResponse } from '../registry-errors';
import { send } from '../registry-http';
import type { LayerJob, WorkerMessage } from './protocol';

/** Progress goes to the daemon at most this often: each message wakes its main thread. */
const PROGRESS_INTERVAL_MS = 100;

function post(m: WorkerMessage): void {
  parentPort!.postMessage(m);
}

async function runJob(job: LayerJob): Promise<void> {
  const file = new HashedFileWriter(job.blobPath);
  try {
    await fetchInto(job, file);
  } finally {
    file.close();
  }
}

/** One download feeding the blob file and the unpacking; settles when both are done. */
async function fetchInto(job: LayerJob, file: HashedFileWriter): Promise<void> {
  let reportedAt = 0;
  const body = blobStream(async (offset, signal) => {
    const headers = offset > 0 ? { ...job.headers, Range: `bytes=${offset}-` } : job.headers;
    const res = await send({ method: 'GET', url: job.url, headers, insecure: job.insecure, signal });
    if (res.statusCode !== 200 && res.statusCode !== 206) await unexpectedResponse(res, 'registry');
    return res;
  }, {
    digest: job.digest, size: job.size, verify: false,
    onBytes: (n) => {
      const now = performance.now();
      if (now - reportedAt >= PROGRESS_INTERVAL_MS || n === job.size) { reportedAt = now; post({ type: 'bytes', received: n }); }
    },
  });
  const plain = new PassThrough({ highWaterMark: 4 << 20 });
  const stopAll = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    body.destroy(e);
    plain.destroy(e);
  };
  const decompressor = new InlineDecompressor();
  const blob = new Promise<BlobInfo>((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      try {
        file.write(chunk);
        let room = true;
        for (const out of decompressor.push(chunk)) room = plain.write(out) && room;
        if (!room) { body.pause(); plain.once('drain', () => body.resume()); }
      } catch (err) { stopAll(err); }
    });
    body.on('end', () => {
      try {
        const info = file.finish();
        for (const out of decompressor.end()) plain.write(out);
        plain.end();
        resolve(info);
      } catch (err) { stopAll(err); reject(err); }
    });
    body.on('error', (err) => { stopAll(err); reject(err); });
  }).then((info) => { post({ type: 'blob', digest: info.digest, size: info.size }); });
  const layer = extractTar(plain, job.diffDir, { syncWrites: true }).then((r) => { post({ type: 'layer', diffId: r.diffId, size: r.size }); });
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
