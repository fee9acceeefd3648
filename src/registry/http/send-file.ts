// Stream a byte range of an open file to a response with a small pool of reused buffers:
// no per-chunk allocation (a fs.ReadStream allocates every chunk, which costs throughput at
// GB/s; 4 MiB reads halve the server's CPU per GB against 1 MiB), memory bounded by the
// pool (8 MiB per download), and backpressure from the client through the pool (a
// buffer returns to it only once the socket took its bytes).
import type { FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const CHUNK = 4 << 20;
const POOL = 2;

export async function sendFileRange(fh: FileHandle, start: number, end: number, res: ServerResponse): Promise<void> {
  const free: Buffer[] = Array.from({ length: POOL }, () => Buffer.allocUnsafeSlow(CHUNK));
  let wake: (() => void) | undefined;
  let closed = false;
  const onClose = () => {
    closed = true;
    wake?.();
  };
  res.once('close', onClose);
  try {
    let pos = start;
    while (pos <= end) {
      while (!free.length && !closed) await new Promise<void>((resolve) => { wake = resolve; });
      if (closed) throw new Error('client went away');
      const buf = free.pop() as Buffer;
      const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, end - pos + 1), pos);
      if (bytesRead === 0) throw new Error('file shorter than expected');
      pos += bytesRead;
      res.write(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead), () => {
        free.push(buf);
        const w = wake;
        wake = undefined;
        w?.();
      });
    }
    await new Promise<void>((resolve, reject) => {
      res.end(() => resolve());
      res.once('error', reject);
    });
  } finally {
    res.off('close', onClose);
  }
}
