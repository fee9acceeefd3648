// Streaming, safe extraction of an image layer tar (plain or gzip) into a
// directory, converting AUFS-style whiteouts to overlayfs form on the way. The
// diff ID (sha256 of the uncompressed tar, every byte) is computed while
// streaming. Callers extract into a fresh directory and delete it when this
// rejects, so a refused layer leaves nothing behind; this function never writes
// outside `dest` and has no operation in flight once it settles.
import * as fs from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BerthError, InternalError, InvalidArgumentError, errorMessage } from '../errors';
import { isDecodeError, maybeDecompress } from './decompress';
import { PathTracker, cleanEntryName } from './safe-path';
import type { TarEntry } from './tar-header';
import { TarReader } from './tar-reader';
import { markOpaque, writeDir, writeFile, writeHardlink, writeSpecial, writeSymlink, writeWhiteout } from './write-entry';

export interface ExtractResult {
  diffId: string; // "sha256:..." of the uncompressed tar
  size: number; // bytes of regular-file content in the layer
}

export interface ExtractOptions {
  /** 'overlay' (default): .wh.* entries become overlayfs whiteouts; 'keep': extracted as plain files. */
  whiteouts?: 'overlay' | 'keep';
  /** Refuse to replace an existing directory with a non-directory or the reverse (docker cp). */
  noOverwriteDirNonDir?: boolean;
  /** Owner for every entry instead of the archive's (docker cp -a into a container with a User). */
  chown?: { uid: number; gid: number };
  /**
   * Filled with the sha256 (hex) and size of every regular file as it streams by,
   * keyed by absolute path; hard links and replaced entries are left out, so a
   * path found here holds exactly those bytes (the builder's context checksums).
   */
  fileDigests?: Map<string, FileDigest>;
  /**
   * With fileDigests: for a small file, the path of an identical file (same bytes
   * and metadata, owned by the caller, no xattrs) to move into place instead of
   * creating a new one; undefined to write it as usual.
   */
  reuse?: (rel: string, entry: TarEntry, sha256: string) => string | undefined;
  /** false: no diff ID is computed (ExtractResult.diffId is ''); for callers that never use it. */
  diffId?: boolean;
  /** Write file bodies with sync calls: for worker threads, where a pool round trip per batch only costs. */
  syncWrites?: boolean;
}

export interface FileDigest { sha256: string; size: number }

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
/** Longest stretch of synchronous entry writes before yielding to the event loop. */
const YIELD_AFTER_MS = 8;

export async function extractLayer(source: Readable, dest: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const plain = maybeDecompress(source);
  try {
    return await extractTar(plain, dest, options);
  } catch (err) {
    source.destroy();
    throw err;
  }
}

/** extractLayer for an already uncompressed tar; `plain` is destroyed when this rejects. */
export async function extractTar(plain: Readable, dest: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const hash = options.diffId === false ? undefined : createHash('sha256');
  const reader = new TarReader(hash ? hashed(plain, hash) : plain);
  const tree = new PathTracker(dest);
  const dirTimes: Array<{ rel: string; atime: number; mtime: number }> = [];
  const overlay = (options.whiteouts ?? 'overlay') === 'overlay';
  let size = 0;
  try {
    let lastYield = performance.now();
    for (let entry = await reader.next(); entry !== null; entry = await reader.next()) {
      if (entry.type === 'file') size += entry.size;
      if (options.chown) entry = { ...entry, uid: options.chown.uid, gid: options.chown.gid };
      if (options.noOverwriteDirNonDir) checkDirNonDir(tree, entry);
      const dirRel = await writeEntry(tree, entry, reader, overlay, options);
      if (dirRel !== null) dirTimes.push({ rel: dirRel, atime: entry.atime ?? entry.mtime, mtime: entry.mtime });
      if (performance.now() - lastYield > YIELD_AFTER_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    // Directory times last: creating their children changed them.
    for (let i = dirTimes.length - 1; i >= 0; i--) {
      const { rel, atime, mtime } = dirTimes[i];
      if (tree.kind(rel) === 'dir') fs.lutimesSync(tree.abs(rel), atime, mtime);
    }
  } catch (err) {
    plain.destroy();
    throw classify(err);
  }
  return { diffId: hash ? `sha256:${hash.digest('hex')}` : '', size };
}

function checkDirNonDir(tree: PathTracker, entry: TarEntry): void {
  const rel = cleanEntryName(entry.name);
  if (rel === '' || !tree.checkParents(rel, entry.name)) return;
  const existing = tree.kind(rel);
  if (existing === 'dir' && entry.type !== 'dir') {
    throw new InvalidArgumentError(`cannot overwrite directory ${JSON.stringify(rel)} with non-directory ${JSON.stringify(entry.name)}`);
  }
  if (existing !== null && existing !== 'dir' && entry.type === 'dir') {
    throw new InvalidArgumentError(`cannot overwrite non-directory ${JSON.stringify(rel)} with directory ${JSON.stringify(entry.name)}`);
  }
}

/** Writes one entry; returns the relative path of a directory whose times are still to be set. */
async function writeEntry(tree: PathTracker, entry: TarEntry, reader: TarReader, overlay: boolean, options: ExtractOptions): Promise<string | null> {
  const rel = cleanEntryName(entry.name);
  const digests = options.fileDigests;
  digests?.delete(tree.abs(rel));
  if (rel === '') {
    if (entry.type !== 'dir') throw new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(entry.name)}: the layer root must be a directory`);
    writeDir(tree, rel, entry);
    return rel;
  }
  tree.ensureParents(rel, entry.name);
  const slash = rel.lastIndexOf('/');
  const base = rel.slice(slash + 1);
  const parent = slash === -1 ? '' : rel.slice(0, slash);
  if (overlay && base.startsWith(WHITEOUT_PREFIX)) {
    if (base === OPAQUE_MARKER) markOpaque(tree, parent);
    else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
      const hidden = base.slice(WHITEOUT_PREFIX.length);
      if (hidden === '' || hidden === '.' || hidden === '..') throw new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(entry.name)}: bad whiteout name`);
      writeWhiteout(tree, parent === '' ? hidden : `${parent}/${hidden}`, entry);
    }
    return null; // other .wh..wh.* entries are AUFS metadata: ignored
  }
  switch (entry.type) {
    case 'file':
      if (!digests) await writeFile(tree, rel, entry, reader.body(), options.syncWrites);
      else if (options.reuse && entry.size <= REUSE_MAX && entry.xattrs.size === 0) {
        const chunks: Buffer[] = [];
        for await (const chunk of reader.body()) chunks.push(chunk);
        const sha256 = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
        const from = options.reuse(rel, entry, sha256);
        if (!from || !moveInto(tree, rel, from, entry)) await writeFile(tree, rel, entry, fromChunks(chunks), options.syncWrites);
        digests.set(tree.abs(rel), { sha256, size: entry.size });
      } else {
        const h = createHash('sha256');
        await writeFile(tree, rel, entry, hashed(reader.body(), h), options.syncWrites);
        digests.set(tree.abs(rel), { sha256: h.digest('hex'), size: entry.size });
      }
      return null;
    case 'dir': writeDir(tree, rel, entry); return rel;
    case 'symlink': writeSymlink(tree, rel, entry); return null;
    case 'link': writeHardlink(tree, rel, entry); return null;
    case 'char': case 'block': case 'fifo': writeSpecial(tree, rel, entry); return null;
  }
}

const REUSE_MAX = 1 << 20;

/** Puts an existing file at `rel` by rename (parents already checked); false when it is gone. */
function moveInto(tree: PathTracker, rel: string, from: string, entry: TarEntry): boolean {
  tree.clear(rel, false);
  try {
    fs.renameSync(from, tree.abs(rel));
  } catch {
    return false;
  }
  tree.set(rel, 'other');
  fs.lutimesSync(tree.abs(rel), entry.atime ?? entry.mtime, entry.mtime);
  return true;
}

async function* fromChunks(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

async function* hashed(source: AsyncIterable<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Bad input → 400 with Docker-like text; anything else stays a server-side error. */
function classify(err: unknown): Error {
  if (err instanceof BerthError) return err;
  const e = err as NodeJS.ErrnoException;
  if (isDecodeError(err) || e?.code === 'ERR_INVALID_ARG_VALUE') {
    return new InvalidArgumentError(`invalid layer tar: ${errorMessage(err)}`, { cause: err });
  }
  if (e?.code === 'ENAMETOOLONG' || e?.code === 'EINVAL') return new InvalidArgumentError(`invalid layer tar: ${errorMessage(err)}`, { cause: err });
  return new InternalError(`failed to extract layer: ${errorMessage(err)}`, { cause: err });
}
