// Detects gzip by its magic bytes and returns a stream of the uncompressed bytes.
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

export function maybeDecompress(source: Readable): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let head: Buffer = Buffer.alloc(0);
  let decided = false;
  const forwardError = (err: Error) => out.destroy(err);
  const decide = () => {
    decided = true;
    source.off('data', onData);
    source.off('end', onEnd);
    const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    if (gzip) {
      const gunzip = createGunzip();
      gunzip.on('error', forwardError);
      gunzip.pipe(out);
      gunzip.write(head);
      source.pipe(gunzip);
    } else {
      out.write(head);
      source.pipe(out);
    }
    source.resume();
  };
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    if (head.length >= 2) { source.pause(); decide(); }
  };
  const onEnd = () => { if (!decided) { decide(); } };
  source.on('data', onData);
  source.on('end', onEnd);
  source.on('error', forwardError);
  return out;
}
