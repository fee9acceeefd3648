// The unpack half of a layer job (in a worker thread): inflates the batches the
// fetch half sends, computes the diff ID and writes the files with sync calls
// into the layer store's temp dir; a batch is acknowledged once it is consumed.
import { PassThrough } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { InlineDecompressor, extractTar } from '../../archive';
import type { LayerJob, PipeMessage, WorkerMessage } from './protocol';

export async function runUnpackHalf(job: LayerJob, port: MessagePort, post: (m: WorkerMessage) => void, signal: AbortSignal): Promise<void> {
  const plain = new PassThrough({ highWaterMark: 4 << 20 });
  const decompressor = new InlineDecompressor();
  const fail = (err: unknown) => plain.destroy(err instanceof Error ? err : new Error(String(err)));
  const onAbort = () => fail(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  port.on('message', (m: PipeMessage) => {
    if (plain.destroyed) return;
    try {
      if (m.type === 'data') {
        const input = Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength);
        let room = true;
        for (const out of decompressor.push(input)) room = plain.write(out) && room;
        // Inflated output is a copy: the batch's memory can go back. Plain tar still refers to it.
        const memory = decompressor.inflating ? m.chunk.buffer as ArrayBuffer : undefined;
        const ack = () => port.postMessage({ type: 'ack', bytes: input.length, buffer: memory } satisfies PipeMessage, memory ? [memory] : []);
        if (room) ack();
        else plain.once('drain', ack);
      } else if (m.type === 'end') {
        for (const out of decompressor.end()) plain.write(out);
        plain.end();
      }
    } catch (err) {
      fail(err);
    }
  });
  try {
    const r = await extractTar(plain, job.diffDir, { syncWrites: true });
    post({ type: 'layer', diffId: r.diffId, size: r.size });
  } finally {
    signal.removeEventListener('abort', onAbort);
    port.close();
  }
}
