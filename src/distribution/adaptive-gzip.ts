// gzip for layer pushes, pigz-style: the input is cut into windows, each window
// becomes its own gzip member (a multi-member gzip file is valid and every
// decoder — Go's, containerd's, zlib's — reads it as one stream), members are
// compressed on the libuv thread pool in parallel and written out in order.
// The start of each window is test-compressed first: incompressible windows
// (media, archives, random data) are stored instead of burning a core on them.
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';

const WINDOW = 4 << 20;
const SAMPLE = 32 << 10;
const IN_FLIGHT = 4;
/** Stored when a level-1 sample keeps more than this share of its bytes. */
const INCOMPRESSIBLE = 0.95;
const LEVEL = zlib.constants.Z_BEST_SPEED;

function levelFor(head: Buffer): number {
  const sample = head.subarray(0, SAMPLE);
  if (sample.length < 4096) return LEVEL;
  const ratio = zlib.deflateRawSync(sample, { level: LEVEL }).length / sample.length;
  return ratio > INCOMPRESSIBLE ? zlib.constants.Z_NO_COMPRESSION : LEVEL;
}

/** One gzip member being compressed; `done` gives its output in order. */
interface Member { gzip: zlib.Gzip; size: number; done: Promise<Buffer[]> }

function openMember(head: Buffer): Member {
  const gzip = zlib.createGzip({ level: levelFor(head), chunkSize: 256 << 10 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => { out.push(c); });
  const done = new Promise<Buffer[]>((resolve, reject) => { gzip.once('end', () => resolve(out)); gzip.once('error', reject); });
  done.catch(() => undefined); // observed when its turn comes
  return { gzip, size: 0, done };
}

export function adaptiveGzip(): Transform {
  const members: Member[] = []; // oldest first; the last one may still take input
  let current: Member | undefined;
  const flushTo = async (stream: Transform, keep: number) => {
    while (members.length > keep) {
      const m = members.shift()!;
      for (const c of await m.done) stream.push(c);
    }
  };
  return new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let rest = chunk;
      while (rest.length > 0) {
        if (!current) {
          current = openMember(rest);
          members.push(current);
        }
        const take = Math.min(rest.length, WINDOW - current.size);
        current.gzip.write(rest.subarray(0, take));
        current.size += take;
        rest = rest.subarray(take);
        if (current.size >= WINDOW) {
          current.gzip.end();
          current = undefined;
        }
      }
      // Keep at most IN_FLIGHT members compressing: wait for the oldest beyond that.
      flushTo(this, IN_FLIGHT).then(() => done(), done);
    },
    flush(done: TransformCallback) {
      if (!current && members.length === 0) members.push(current = openMember(Buffer.alloc(0)));
      current?.gzip.end();
      current = undefined;
      flushTo(this, 0).then(() => done(), done);
    },
    destroy(err, callback) {
      for (const m of members) m.gzip.destroy();
      callback(err);
    },
  });
}
