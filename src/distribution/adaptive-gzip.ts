// gzip for layer pushes, pigz-style: the input is cut into windows, each window
// becomes its own gzip member (a multi-member gzip file is valid and every
// decoder — Go's, containerd's, zlib's — reads it as one stream), members are
// compressed on the libuv thread pool in parallel and written out in order.
// A sample of each window is test-compressed first: incompressible windows
// (media, archives, random data) are stored instead of burning a core on them.
import { Transform, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

const gzipAsync = promisify(zlib.gzip);
const WINDOW = 4 << 20;
const SAMPLE = 64 << 10;
const IN_FLIGHT = 4;
/** Stored when a level-1 sample keeps more than this share of its bytes. */
const INCOMPRESSIBLE = 0.95;
const LEVEL = zlib.constants.Z_BEST_SPEED;

function levelFor(window: Buffer): number {
  const sample = window.subarray(0, SAMPLE);
  if (sample.length < 4096) return LEVEL;
  const ratio = zlib.deflateRawSync(sample, { level: LEVEL }).length / sample.length;
  return ratio > INCOMPRESSIBLE ? zlib.constants.Z_NO_COMPRESSION : LEVEL;
}

export function adaptiveGzip(): Transform {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  const inFlight: Array<Promise<Buffer>> = [];
  const start = () => {
    const window = Buffer.concat(pending, pendingSize);
    pending = [];
    pendingSize = 0;
    const p = gzipAsync(window, { level: levelFor(window), chunkSize: 256 << 10 });
    p.catch(() => undefined);
    inFlight.push(p);
  };
  const drainTo = async (stream: Transform, max: number) => {
    while (inFlight.length > max) stream.push(await inFlight.shift()!);
  };
  return new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let rest = chunk;
      while (pendingSize + rest.length >= WINDOW) {
        const take = WINDOW - pendingSize;
        pending.push(rest.subarray(0, take));
        pendingSize += take;
        rest = rest.subarray(take);
        start();
      }
      if (rest.length) { pending.push(rest); pendingSize += rest.length; }
      drainTo(this, IN_FLIGHT - 1).then(() => done(), done);
    },
    flush(done: TransformCallback) {
      if (pendingSize > 0 || inFlight.length === 0) start();
      drainTo(this, 0).then(() => done(), done);
    },
  });
}
