// The fetch half of a layer job (in a worker thread): downloads the blob (resuming
// with Range), hashes it, writes it to the content store's temp file in ~1 MiB
// batches and hands each batch to the unpack half. Batches unacknowledged by the
// unpack half are bounded, so a slow disk on that side slows the download. The
// blob file bypasses the page cache: it is rarely read back (push, save), and
// filling the cache with it cost more CPU than the unpacked files themselves.
import { createHash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import { DirectFile } from '../../native';
import { blobStream } from '../blob-stream';
import { unexpectedResponse } from '../registry-errors';
import { send } from '../registry-http';
import type { LayerJob, PipeMessage, WorkerMessage } from './protocol';

/** Bytes gathered per file write and per message to the unpack half. */
const BATCH = 1 << 20;
/** Batch buffers are this big (a batch ends with the chunk that crosses BATCH) and are reused. */
const CAPACITY = BATCH + (256 << 10);
/** Sent but not yet consumed by the unpack half before the download pauses. */
const MAX_UNACKED = 6 << 20;
/** Progress goes to the daemon at most this often: each message wakes its main thread. */
const PROGRESS_INTERVAL_MS = 100;

export async function runFetchHalf(job: LayerJob, port: MessagePort, post: (m: WorkerMessage) => void, signal: AbortSignal): Promise<void> {
  const file = new DirectFile(job.blobPath);
  try {
    await new Promise<void>((resolve, reject) => {
      let reportedAt = 0;
      const body = blobStream(async (offset, sig) => {
        const headers = offset > 0 ? { ...job.headers, Range: `bytes=${offset}-` } : job.headers;
        const res = await send({ method: 'GET', url: job.url, headers, insecure: job.insecure, signal: sig });
        if (res.statusCode !== 200 && res.statusCode !== 206) await unexpectedResponse(res, 'registry');
        return res;
      }, {
        digest: job.digest, size: job.size, verify: false, signal,
        onBytes: (n) => {
          const now = performance.now();
          if (now - reportedAt >= PROGRESS_INTERVAL_MS || n === job.size) { reportedAt = now; post({ type: 'bytes', received: n }); }
        },
      });
      const hash = createHash('sha256');
      let size = 0;
      let batch: Buffer[] = [];
      let batched = 0;
      let unacked = 0;
      let paused = false;
      const onAbort = () => body.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
      body.on('close', () => signal.removeEventListener('abort', onAbort));

      // Batches are gathered into buffers that travel to the unpack half and back:
      // moved, not copied, and reused rather than freshly allocated (page faults).
      const spare: ArrayBuffer[] = [];
      const forward = () => {
        if (batched === 0) return;
        const memory = batched <= CAPACITY ? spare.pop() ?? new ArrayBuffer(CAPACITY) : new ArrayBuffer(batched);
        const buf = Buffer.from(memory, 0, batched);
        let at = 0;
        for (const c of batch) at += c.copy(buf, at);
        batch = [];
        batched = 0;
        file.write(buf);
        unacked += buf.length;
        port.postMessage({ type: 'data', chunk: buf } satisfies PipeMessage, [memory]);
        if (unacked >= MAX_UNACKED && !paused) { paused = true; body.pause(); }
      };
      port.on('message', (m: PipeMessage) => {
        if (m.type !== 'ack') return;
        unacked -= m.bytes;
        if (m.buffer?.byteLength === CAPACITY) spare.push(m.buffer);
        if (paused && unacked < MAX_UNACKED) { paused = false; body.resume(); }
      });
      body.on('data', (chunk: Buffer) => {
        try {
          hash.update(chunk);
          size += chunk.length;
          batch.push(chunk);
          batched += chunk.length;
          if (batched >= BATCH) forward();
        } catch (err) {
          body.destroy(err instanceof Error ? err : new Error(String(err)));
        }
      });
      body.on('end', () => {
        try {
          forward();
          file.close();
          port.postMessage({ type: 'end' } satisfies PipeMessage);
          post({ type: 'blob', digest: 'sha256:' + hash.digest('hex'), size });
          resolve();
        } catch (err) {
          reject(err);
        }
      });
      body.on('error', reject);
    });
  } finally {
    file.discard();
    port.removeAllListeners('message'); // the unpack half closes the channel when it is done
  }
}
