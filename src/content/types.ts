// Content-addressable blob store contract (blobs by sha256 digest).
import type { Readable } from 'node:stream';

export interface BlobInfo {
  digest: string; // "sha256:<64 hex>"
  size: number;
}

export interface ContentStore {
  has(digest: string): boolean;
  info(digest: string): BlobInfo | undefined;
  /** Absolute path of a committed blob (for zero-copy streaming). */
  blobPath(digest: string): string;
  read(digest: string): Promise<Buffer>;
  createReadStream(digest: string): Readable;
  /** Store bytes. Verifies `expectedDigest` when given (InvalidArgumentError on mismatch). Idempotent. */
  put(data: Buffer, expectedDigest?: string): Promise<BlobInfo>;
  /**
   * Stream a blob in. It becomes visible only after its digest (and size, when given)
   * is verified; on any failure nothing is left behind.
   */
  ingest(source: Readable, expected?: { digest?: string; size?: number }): Promise<BlobInfo>;
  /**
   * Like ingest, for a writer elsewhere (a worker thread): `write` fills the temp file
   * it is given and reports the digest and size it computed; the store checks them
   * against `expected`, then syncs and publishes the file. On failure the file is removed.
   */
  ingestFile(write: (tmpPath: string) => Promise<BlobInfo>, expected?: { digest?: string; size?: number }): Promise<BlobInfo>;
  delete(digest: string): Promise<void>;
  list(): Promise<BlobInfo[]>;
  /** Start-up repair: remove temp files of interrupted writes. */
  repair(): Promise<void>;
}
