// Content-addressed blob storage shared by all repositories, plus the per-repository links
// that decide which blobs a repository may serve.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Digest } from '../names';
import type { Layout } from './layout';
import { exists, fsyncPath, isNotFound, removeIfPresent, writeAtomic } from './fsutil';

export interface BlobInfo { file: string; size: number }

export class BlobStore {
  constructor(private readonly layout: Layout) {}

  /** The stored blob, or undefined. */
  async stat(d: Digest): Promise<BlobInfo | undefined> {
    const file = this.layout.blob(d);
    try {
      const st = await fsp.stat(file);
      return { file, size: st.size };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Mark a blob as just used, so a concurrent gc (which only sweeps blobs older than its
   * grace period, and re-checks after moving one aside) keeps it. False: not stored.
   */
  async touch(d: Digest): Promise<boolean> {
    const now = new Date();
    try {
      await fsp.utimes(this.layout.blob(d), now, now);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Make a verified file the blob `d`: fsync, then rename into place (atomic; a reader sees
   * all of it or nothing). When the blob is already stored, the file is dropped instead.
   */
  async commit(verifiedFile: string, d: Digest): Promise<void> {
    if (await this.touch(d)) {
      await removeIfPresent(verifiedFile);
      return;
    }
    const target = this.layout.blob(d);
    await fsyncPath(verifiedFile);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rename(verifiedFile, target);
    await fsyncPath(path.dirname(target));
  }

  /** Store small content (a manifest) under its digest. */
  async putSmall(d: Digest, data: Buffer): Promise<void> {
    if (await this.touch(d)) return;
    await writeAtomic(this.layout.blob(d), data);
  }

  async link(repo: string, d: Digest): Promise<void> {
    const file = this.layout.layerLink(repo, d);
    if (await exists(file)) return;
    await writeAtomic(file, d.text);
  }

  async isLinked(repo: string, d: Digest): Promise<boolean> {
    return (await exists(this.layout.layerLink(repo, d))) || (await exists(this.layout.revision(repo, d)));
  }

  /** Remove the repository's link (the data stays until gc). False when there was none. */
  async unlink(repo: string, d: Digest): Promise<boolean> {
    return removeIfPresent(this.layout.layerLink(repo, d));
  }

  /** The blob as `repo` may serve it: linked there and present in the store. */
  async statInRepo(repo: string, d: Digest): Promise<BlobInfo | undefined> {
    if (!(await this.isLinked(repo, d))) return undefined;
    return this.stat(d);
  }
}
