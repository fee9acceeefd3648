// Creates one tar entry on disk. Every node is created fresh (O_EXCL, mknod,
// symlink, link) under parents that PathTracker has checked, so nothing is
// followed. Metadata order matters: chown clears setuid bits and file
// capabilities, so chown → chmod → xattrs → times.
import * as fs from 'node:fs';
import { InvalidArgumentError } from '../errors';
import { log } from '../util/logger';
import { writevAll, writevAllSync } from '../util/writev';
import * as native from '../native';
import { cleanEntryName, type PathTracker } from './safe-path';
import type { TarEntry } from './tar-header';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
const CREATE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW;
/** Bodies up to this size are collected and written with sync calls (measured faster). */
const SMALL_FILE = 1 << 20;
/** Larger bodies are written asynchronously in batches of about this size... */
const WRITE_BATCH = 4 << 20;
/** ...or, with synchronous writes (worker threads), of this size (stays in the CPU cache). */
const SYNC_WRITE_BATCH = 1 << 20;

/** overlayfs keeps its own state in trusted.overlay.*: never taken from a tar. */
const RESERVED_XATTR = /^trusted\.overlay\./;

/** `sync`: large bodies too are written with sync calls (for threads that own their event loop). */
export async function writeFile(tree: PathTracker, rel: string, entry: TarEntry, body: AsyncIterable<Buffer>, sync = false): Promise<void> {
  tree.clear(rel, false);
  const file = tree.abs(rel);
  const fd = fs.openSync(file, CREATE_FLAGS, 0o600);
  tree.set(rel, 'other');
  try {
    if (entry.size <= SMALL_FILE) {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk);
      if (chunks.length > 0) writevAllSync(fd, chunks);
    } else {
      // Runs of zeros become holes (a sparse file stays sparse, and costs no disk writes).
      let batch: Buffer[] = [];
      let batched = 0;
      let pos = 0;
      const limit = sync ? SYNC_WRITE_BATCH : WRITE_BATCH;
      const flush = async () => {
        if (!batch.every(isZeros)) {
          if (sync) writevAllSync(fd, batch, pos);
          else await writevAll(fd, batch, pos);
        }
        pos += batched;
        batch = []; batched = 0;
      };
      for await (const chunk of body) {
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= limit) await flush();
      }
      if (batch.length > 0) await flush();
      fs.ftruncateSync(fd, pos);
    }
    fs.fchownSync(fd, entry.uid, entry.gid);
    fs.fchmodSync(fd, entry.mode);
    setXattrs(file, entry);
    fs.futimesSync(fd, entry.atime ?? entry.mtime, entry.mtime);
  } finally {
    fs.closeSync(fd);
  }
}

export function writeDir(tree: PathTracker, rel: string, entry: TarEntry): void {
  const dir = tree.abs(rel);
  if (!tree.clear(rel, true)) {
    fs.mkdirSync(dir, { mode: 0o700 });
    tree.set(rel, 'dir', true);
  }
  fs.lchownSync(dir, entry.uid, entry.gid);
  fs.chmodSync(dir, entry.mode);
  setXattrs(dir, entry);
}

export function writeSymlink(tree: PathTracker, rel: string, entry: TarEntry): void {
  tree.clear(rel, false);
  const link = tree.abs(rel);
  fs.symlinkSync(entry.linkname, link);
  tree.set(rel, 'symlink');
  fs.lchownSync(link, entry.uid, entry.gid);
  setXattrs(link, entry);
  fs.lutimesSync(link, entry.atime ?? entry.mtime, entry.mtime);
}

/** A hardlink to an earlier entry: the target must be inside the layer, reachable without symlinks. */
export function writeHardlink(tree: PathTracker, rel: string, entry: TarEntry): void {
  let target: string;
  try {
    target = cleanEntryName(entry.linkname);
  } catch {
    throw new InvalidArgumentError(`invalid hardlink ${JSON.stringify(entry.name)} -> ${JSON.stringify(entry.linkname)}: target outside the layer directory`);
  }
  const bad = (why: string) => new InvalidArgumentError(`invalid hardlink ${JSON.stringify(entry.name)} -> ${JSON.stringify(entry.linkname)}: ${why}`);
  if (target === '') throw bad('target is the layer root');
  if (target === rel) return; // a link to itself: nothing to do
  let reachable: boolean;
  try {
    reachable = tree.checkParents(target, entry.name);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw bad('target path goes through a symlink or a non-directory');
    throw err;
  }
  if (!reachable) throw bad('target not found in the layer');
  const kind = tree.kind(target);
  if (kind === null) throw bad('target not found in the layer');
  if (kind === 'dir') throw bad('target is a directory');
  tree.clear(rel, false);
  fs.linkSync(tree.abs(target), tree.abs(rel));
  tree.set(rel, kind);
}

export function writeSpecial(tree: PathTracker, rel: string, entry: TarEntry): void {
  tree.clear(rel, false);
  const node = tree.abs(rel);
  const type = entry.type === 'fifo' ? native.S_IFIFO : entry.type === 'block' ? native.S_IFBLK : native.S_IFCHR;
  const dev = entry.type === 'fifo' ? 0 : native.makedev(entry.devmajor, entry.devminor);
  native.mknod(node, type | 0o600, dev);
  tree.set(rel, 'other');
  fs.lchownSync(node, entry.uid, entry.gid);
  fs.chmodSync(node, entry.mode); // a device node, not a link: chmod cannot follow anything
  setXattrs(node, entry);
  fs.lutimesSync(node, entry.atime ?? entry.mtime, entry.mtime);
}

/** An overlayfs whiteout: a 0:0 character device hiding `rel` in lower layers. */
export function writeWhiteout(tree: PathTracker, rel: string, entry: TarEntry): void {
  tree.clear(rel, false);
  const node = tree.abs(rel);
  native.mknod(node, native.S_IFCHR | 0o600, 0);
  tree.set(rel, 'other');
  fs.lchownSync(node, entry.uid, entry.gid);
}

export function markOpaque(tree: PathTracker, dirRel: string): void {
  native.lsetxattr(tree.abs(dirRel), 'trusted.overlay.opaque', Buffer.from('y'));
}

function setXattrs(file: string, entry: TarEntry): void {
  for (const [name, value] of entry.xattrs) {
    if (RESERVED_XATTR.test(name)) continue;
    try {
      native.lsetxattr(file, name, value);
    } catch (err) {
      // Like Docker: a filesystem or security module refusing one attribute does not fail the layer.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EPERM') throw err;
      log.warn('ignoring extended attribute', { entry: entry.name, name, error: code });
    }
  }
}

const ZEROS = Buffer.alloc(64 << 10);

function isZeros(buf: Buffer): boolean {
  for (let off = 0; off < buf.length; off += ZEROS.length) {
    const end = Math.min(buf.length, off + ZEROS.length);
    if (ZEROS.compare(buf, off, end, 0, end - off) !== 0) return false;
  }
  return true;
}
