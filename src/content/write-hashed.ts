// Streams bytes into a file while hashing them: the write half of ingesting a blob.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo } from './types';

export async function writeHashed(source: Readable, file: string): Promise<BlobInfo> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(source, meter, fs.createWriteStream(file, { mode: 0o644 }));
  return { digest: 'sha256:' + hash.digest('hex'), size };
}

