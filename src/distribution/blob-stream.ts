// A registry blob as a stream that survives dropped connections: on a transport
// error it asks again from the last byte delivered (Range), so what was already
// received (and hashed downstream) is never fetched twice. Size is always
// checked; the digest too unless the consumer verifies it (the content store
// does), which saves a hash pass. Chunks are forwarded as they arrive, with
// backpressure, and no per-chunk promise.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { InvalidArgumentError, UnavailableError, errorMessage, isBerthError } from '../errors';
import { log } from '../util/logger';

/** Opens the blob from byte `offset` (Range); answers 200 (whole) or 206 (from offset). */
export type BlobOpener = (offset: number, signal?: AbortSignal) => Promise<IncomingMessage>;

const MAX_RESUMES = 5;

export interface BlobStreamOptions {
  digest: string;
  size: number;
  signal?: AbortSignal;
  onBytes?: (received: number) => void;
  /** false when the consumer verifies the digest itself: saves a hash pass. */
  verify?: boolean;
}

export function blobStream(open: BlobOpener, o: BlobStreamOptions): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const hash = o.verify === false ? undefined : createHash('sha256');
  let received = 0;
  let attempts = 0;
  let current: IncomingMessage | undefined;
  out.on('close', () => current?.destroy());

  const fail = (err: unknown) => {
    current?.destroy();
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  };
  const finish = () => {
    if (received !== o.size || (hash && `sha256:${hash.digest('hex')}` !== o.digest)) {
      fail(new InvalidArgumentError(`filesystem layer verification failed for digest ${o.digest}`));
      return;
    }
    out.end();
  };
  const retry = (err: unknown) => {
    current?.destroy();
    current = undefined;
    const permanent = (isBerthError(err) && !(err instanceof UnavailableError)) || o.signal?.aborted || attempts >= MAX_RESUMES;
    if (permanent || out.destroyed) { fail(err); return; }
    log.warn('blob download interrupted, resuming', { digest: o.digest, received, error: errorMessage(err) });
    attempt();
  };
  const attempt = () => {
    attempts++;
    open(received, o.signal).then((res) => {
      if (out.destroyed) { res.destroy(); return; }
      current = res;
      // A registry that ignores Range sends everything again: skip what we have.
      let skip = res.statusCode === 200 ? received : 0;
      let failed = false;
      res.on('data', (raw: Buffer) => {
        let chunk = raw;
        if (skip > 0) {
          const n = Math.min(skip, chunk.length);
          skip -= n;
          chunk = chunk.subarray(n);
          if (chunk.length === 0) return;
        }
        received += chunk.length;
        if (received > o.size) {
          failed = true;
          fail(new InvalidArgumentError(`filesystem layer verification failed for digest ${o.digest}: more bytes than the ${o.size} announced`));
          return;
        }
        hash?.update(chunk);
        o.onBytes?.(received);
        if (!out.write(chunk)) {
          res.pause();
          out.once('drain', () => res.resume());
        }
      });
      res.once('end', () => {
        if (failed) return;
        failed = true;
        if (res.complete && received === o.size) finish();
        else retry(new Error('connection closed before the end of the blob'));
      });
      res.once('error', (err) => { if (!failed) { failed = true; retry(err); } });
      res.once('aborted', () => { if (!failed) { failed = true; retry(new Error('connection aborted')); } });
    }, retry);
  };
  attempt();
  return out;
}
