// Streams bytes into a file while hashing them: the write half of ingesting a blob,
// shared by the content store and the layer worker threads that fill its temp files.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writevAllSync } from '../util/writev';
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

/** Writes are gathered up to this size: few syscalls, data still in the CPU cache. */
const SYNC_BATCH = 1 << 20;

/**
 * writeHashed with synchronous, batched writes, for a thread that owns its event
 * loop (layer workers): no pool round trip per chunk. close() on every path.
 */
export class HashedFileWriter {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private batch: Buffer[] = [];
  private batched = 0;
  private size = 0;
  private closed = false;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w', 0o644);
  }

  write(chunk: Buffer): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.batch.push(chunk);
    this.batched += chunk.length;
    if (this.batched >= SYNC_BATCH) this.flush();
  }

  /** Writes what is left and closes the file: its digest and size. */
  finish(): BlobInfo {
    this.flush();
    this.close();
    return { digest: 'sha256:' + this.hash.digest('hex'), size: this.size };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.batch.length > 0) writevAllSync(this.fd, this.batch);
    this.batch = [];
    this.batched = 0;
  }
}
