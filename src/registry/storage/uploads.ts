// Blob upload sessions. Data goes to uploads/<uuid>/data, hashed while it streams; the blob
// becomes visible only when the client's digest matches (then BlobStore.commit renames it
// into place). A session interrupted at any point is never visible as a blob; its data stays
// resumable until cancelled or expired by gc.
import { createHash, randomUUID, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rangeError, regError, RegistryError } from '../errors';
import type { Digest } from '../names';
import type { BlobStore } from './blobs';
import type { Layout } from './layout';
import { readTextOrUndefined, writeAtomic } from './fsutil';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WRITE_BUFFER = 1 << 20;

interface SessionInfo { repo: string; startedAt: string; algorithm: string }

/** The hash of the first `bytes` bytes of a session, kept while the process lives. */
interface LiveHash { hash: Hash; algorithm: string; bytes: number }

export interface ChunkRange { start: number; end: number }

export class UploadStore {
  private readonly live = new Map<string, LiveHash>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly layout: Layout, private readonly blobs: BlobStore) {}

  async create(repo: string, algorithm = 'sha256'): Promise<string> {
    const uuid = randomUUID();
    const dir = this.layout.upload(uuid);
    await fsp.mkdir(dir, { recursive: true });
    const info: SessionInfo = { repo, startedAt: new Date().toISOString(), algorithm };
    await fsp.writeFile(path.join(dir, 'data'), '');
    await writeAtomic(path.join(dir, 'info.json'), JSON.stringify(info));
    this.live.set(uuid, { hash: createHash(algorithm), algorithm, bytes: 0 });
    return uuid;
  }

  /** Bytes received so far; BLOB_UPLOAD_UNKNOWN when there is no such session for `repo`. */
  async size(repo: string, uuid: string): Promise<number> {
    await this.info(repo, uuid);
    return (await fsp.stat(this.dataFile(uuid))).size;
  }

  /** Append one chunk (PATCH, or the body of the closing PUT); returns the new size. */
  append(repo: string, uuid: string, body: Readable, range: ChunkRange | undefined, declaredLength: number | undefined): Promise<number> {
    return this.locked(uuid, async () => {
      await this.info(repo, uuid);
      return this.appendUnlocked(uuid, body, range, declaredLength);
    });
  }

  /**
   * Close the session: optional final chunk, digest check, then the blob is committed and
   * linked into `repo`. A digest mismatch cancels the session (its data is wrong for good).
   */
  complete(repo: string, uuid: string, digest: Digest, finalChunk?: { body: Readable; range?: ChunkRange; length?: number }): Promise<number> {
    return this.locked(uuid, async () => {
      await this.info(repo, uuid);
      if (finalChunk) await this.appendUnlocked(uuid, finalChunk.body, finalChunk.range, finalChunk.length);
      const file = this.dataFile(uuid);
      const size = (await fsp.stat(file)).size;
      const actual = await this.digestOf(uuid, digest.algorithm, size);
      if (actual !== digest.hex) {
        await this.remove(uuid);
        throw regError('DIGEST_INVALID', { digest: digest.text, actual: `${digest.algorithm}:${actual}` });
      }
      await this.blobs.commit(file, digest);
      await this.blobs.link(repo, digest);
      await this.remove(uuid);
      return size;
    });
  }

  cancel(repo: string, uuid: string): Promise<void> {
    return this.locked(uuid, async () => {
      await this.info(repo, uuid);
      await this.remove(uuid);
    });
  }

  /** Single-request upload (POST ?digest= or cross-checks): a session that never outlives the request. */
  async monolithic(repo: string, digest: Digest, body: Readable, length: number | undefined): Promise<number> {
    const uuid = await this.create(repo, digest.algorithm);
    try {
      return await this.complete(repo, uuid, digest, { body, length });
    } finally {
      await this.remove(uuid).catch(() => undefined);
    }
  }

  private async appendUnlocked(uuid: string, body: Readable, range: ChunkRange | undefined, declaredLength: number | undefined): Promise<number> {
    const file = this.dataFile(uuid);
    const start = (await fsp.stat(file)).size;
    let expected = declaredLength;
    if (range) {
      if (range.start !== start) throw rangeError({ expectedStart: start, range: `${range.start}-${range.end}` });
      const span = range.end - range.start + 1;
      if (declaredLength !== undefined && declaredLength !== span) {
        throw regError('SIZE_INVALID', { contentRange: `${range.start}-${range.end}`, contentLength: declaredLength });
      }
      expected = span;
    }
    const live = this.live.get(uuid);
    const hashing = live && live.bytes === start ? live : undefined;
    if (!hashing) this.live.delete(uuid); // restarted or out of step: rehash at completion
    let received = 0;
    const counter = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        received += chunk.length;
        if (expected !== undefined && received > expected) throw regError('SIZE_INVALID', { expected });
        hashing?.hash.update(chunk);
        yield chunk;
      }
    };
    try {
      await pipeline(body, counter, fs.createWriteStream(file, { flags: 'a', highWaterMark: WRITE_BUFFER }));
    } catch (err) {
      // Part of the chunk may be on disk but not in the hash (or the reverse): give up on
      // the live hash. A size error rolls the chunk back so the session stays consistent.
      this.live.delete(uuid);
      if (err instanceof RegistryError) await fsp.truncate(file, start);
      throw err;
    }
    if (expected !== undefined && received !== expected) {
      this.live.delete(uuid);
      await fsp.truncate(file, start);
      throw regError('SIZE_INVALID', { expected, received });
    }
    if (hashing) hashing.bytes += received;
    return start + received;
  }

  private async digestOf(uuid: string, algorithm: string, size: number): Promise<string> {
    const live = this.live.get(uuid);
    if (live && live.algorithm === algorithm && live.bytes === size) return live.hash.copy().digest('hex');
    const hash = createHash(algorithm);
    await pipeline(fs.createReadStream(this.dataFile(uuid), { highWaterMark: WRITE_BUFFER }), async function* (src: AsyncIterable<Buffer>) {
      for await (const chunk of src) hash.update(chunk);
    });
    return hash.digest('hex');
  }

  private async info(repo: string, uuid: string): Promise<SessionInfo> {
    const unknown = () => regError('BLOB_UPLOAD_UNKNOWN', { uuid });
    if (!UUID_RE.test(uuid)) throw unknown();
    const text = await readTextOrUndefined(path.join(this.layout.upload(uuid), 'info.json'));
    if (text === undefined) throw unknown();
    const info = JSON.parse(text) as SessionInfo;
    if (info.repo !== repo) throw unknown();
    return info;
  }

  private async remove(uuid: string): Promise<void> {
    this.live.delete(uuid);
    await fsp.rm(this.layout.upload(uuid), { recursive: true, force: true });
  }

  private dataFile(uuid: string): string {
    return path.join(this.layout.upload(uuid), 'data');
  }

  /** Run `fn` after every earlier operation on the same session (PATCHes must not interleave). */
  private async locked<T>(uuid: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(uuid) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    this.locks.set(uuid, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(uuid) === run) this.locks.delete(uuid);
    }
  }
}

