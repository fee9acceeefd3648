// Filesystem content store: <root>/blobs/sha256/<hex>. Writes land in <root>/ingest
// first and are renamed into place only after their digest (and size) verify, so
// a crash can leave garbage in ingest/ (cleared by repair) but never a bad blob.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, NotFoundError } from '../errors';
import { isDigest } from '../util/ids';
import type { BlobInfo, ContentStore } from './types';
import { writeHashed } from './write-hashed';

export class FsContentStore implements ContentStore {
  private readonly blobsDir: string;
  private readonly ingestDir: string;

  constructor(root: string) {
    this.blobsDir = path.join(root, 'blobs', 'sha256');
    this.ingestDir = path.join(root, 'ingest');
    fs.mkdirSync(this.blobsDir, { recursive: true });
    fs.mkdirSync(this.ingestDir, { recursive: true });
  }

  blobPath(digest: string): string {
    if (!isDigest(digest)) throw new InvalidArgumentError(`invalid digest: ${digest}`);
    return path.join(this.blobsDir, digest.slice(7));
  }

  has(digest: string): boolean {
    return isDigest(digest) && fs.existsSync(this.blobPath(digest));
  }

  info(digest: string): BlobInfo | undefined {
    if (!isDigest(digest)) return undefined;
    try {
      return { digest, size: fs.statSync(this.blobPath(digest)).size };
    } catch {
      return undefined;
    }
  }

  async read(digest: string): Promise<Buffer> {
    try {
      return await fsp.readFile(this.blobPath(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`blob ${digest} not found`);
      throw err;
    }
  }

  createReadStream(digest: string): Readable {
    if (!this.has(digest)) throw new NotFoundError(`blob ${digest} not found`);
    return fs.createReadStream(this.blobPath(digest));
  }

  async put(data: Buffer, expectedDigest?: string): Promise<BlobInfo> {
    const digest = 'sha256:' + createHash('sha256').update(data).digest('hex');
    if (expectedDigest && expectedDigest !== digest) {
      throw new InvalidArgumentError(`digest mismatch: expected ${expectedDigest}, got ${digest}`);
    }
    if (this.has(digest)) return { digest, size: data.length };
    const tmp = this.tempPath();
    try {
      const fh = await fsp.open(tmp, 'w', 0o644);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, this.blobPath(digest));
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    return { digest, size: data.length };
  }

  async ingest(source: Readable, expected?: { digest?: string; size?: number }): Promise<BlobInfo> {
    return this.ingestFile((tmp) => writeHashed(source, tmp), expected);
  }

  async ingestFile(write: (tmpPath: string) => Promise<BlobInfo>, expected?: { digest?: string; size?: number }): Promise<BlobInfo> {
    if (expected?.digest !== undefined && !isDigest(expected.digest)) {
      throw new InvalidArgumentError(`invalid digest: ${expected.digest}`);
    }
    const tmp = this.tempPath();
    try {
      const { digest, size } = await write(tmp);
      if (expected?.digest && expected.digest !== digest) {
        throw new InvalidArgumentError(`digest mismatch: expected ${expected.digest}, got ${digest}`);
      }
      if (expected?.size !== undefined && expected.size !== size) {
        throw new InvalidArgumentError(`size mismatch for ${digest}: expected ${expected.size}, got ${size}`);
      }
      if (this.has(digest)) {
        await fsp.rm(tmp, { force: true });
      } else {
        const fh = await fsp.open(tmp, 'r');
        try { await fh.sync(); } finally { await fh.close(); }
        await fsp.rename(tmp, this.blobPath(digest));
      }
      return { digest, size };
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }

  async delete(digest: string): Promise<void> {
    await fsp.rm(this.blobPath(digest), { force: true });
  }

  async list(): Promise<BlobInfo[]> {
    const names = await fsp.readdir(this.blobsDir);
    const out: BlobInfo[] = [];
    for (const name of names) {
      const info = this.info('sha256:' + name);
      if (info) out.push(info);
    }
    return out;
  }

  async repair(): Promise<void> {
    for (const name of await fsp.readdir(this.ingestDir)) {
      await fsp.rm(path.join(this.ingestDir, name), { recursive: true, force: true });
    }
  }

  private tempPath(): string {
    return path.join(this.ingestDir, randomBytes(12).toString('hex'));
  }
}
