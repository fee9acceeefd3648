// A registry blob as a stream that survives dropped connections: on a transport
// error it asks again from the last byte delivered (Range), so what was already
// received and hashed downstream is never fetched twice. The digest and size are
// checked over every byte; a mismatch fails the stream at its end.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { InvalidArgumentError, UnavailableError, errorMessage, isBerthError } from '../errors';
import { log } from '../util/logger';
import type { RepositoryClient } from './repository-client';

const MAX_RESUMES = 5;

export interface BlobStreamOptions {
  digest: string;
  size: number;
  signal?: AbortSignal;
  onBytes?: (received: number) => void;
  /** false when the consumer verifies the digest itself (the content store does): saves a hash pass. */
  verify?: boolean;
}

export function blobStream(client: RepositoryClient, o: BlobStreamOptions): Readable {
  return Readable.from(chunks(client, o), { objectMode: false, highWaterMark: 1 << 20 });
}

async function* chunks(client: RepositoryClient, o: BlobStreamOptions): AsyncGenerator<Buffer> {
  const hash = o.verify === false ? undefined : createHash('sha256');
  let received = 0;
  for (let attempt = 0; ; attempt++) {
    let res: IncomingMessage | undefined;
    try {
      res = await client.openBlob(o.digest, received, o.signal);
      // A registry that ignores Range sends everything again: skip what we have.
      let skip = res.statusCode === 200 ? received : 0;
      for await (const raw of res as AsyncIterable<Buffer>) {
        let chunk = raw;
        if (skip > 0) {
          const n = Math.min(skip, chunk.length);
          skip -= n;
          chunk = chunk.subarray(n);
          if (chunk.length === 0) continue;
        }
        received += chunk.length;
        if (received > o.size) throw new InvalidArgumentError(`filesystem layer verification failed for digest ${o.digest}: more bytes than the ${o.size} announced`);
        hash?.update(chunk);
        o.onBytes?.(received);
        yield chunk;
      }
      if (!res.complete) throw new Error('connection closed before the end of the blob');
    } catch (err) {
      res?.destroy();
      if (isBerthError(err) && !(err instanceof UnavailableError)) throw err;
      if (err instanceof InvalidArgumentError || o.signal?.aborted || attempt >= MAX_RESUMES) throw err;
      log.warn('blob download interrupted, resuming', { digest: o.digest, received, error: errorMessage(err) });
      continue;
    }
    break;
  }
  if (received !== o.size || (hash && `sha256:${hash.digest('hex')}` !== o.digest)) {
    throw new InvalidArgumentError(`filesystem layer verification failed for digest ${o.digest}`);
  }
}
