// Streaming, safe extraction of an image layer tar into a directory, converting
// AUFS-style whiteouts to overlayfs form. The diff ID (sha256 of the uncompressed
// tar) is computed on the way. Callers extract into a fresh directory and delete
// it when this rejects, so a refused layer leaves nothing behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { InvalidArgumentError, errorMessage } from '../errors';
import * as native from '../native';
import { maybeDecompress } from './decompress';
import { cleanEntryName, prepareParents } from './safe-path';

export interface ExtractResult {
  diffId: string; // "sha256:..." of the uncompressed tar
  size: number; // bytes of regular-file content written
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
const OPAQUE_XATTR = 'trusted.overlay.opaque';

interface DirTimes { dir: string; mtime: Date }

export function extractLayer(source: Readable, dest: string): Promise<ExtractResult> {
  return new Promise<ExtractResult>((resolve, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    const dirTimes: DirTimes[] = [];
    let failed = false;
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, done) { hash.update(chunk); done(null, chunk); },
    });
    const extract = tar.extract();
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      extract.destroy();
      reject(err instanceof InvalidArgumentError ? err : new InvalidArgumentError(`invalid layer tar: ${errorMessage(err)}`, { cause: err }));
    };

    extract.on('entry', (header, stream, next) => {
      if (failed) { stream.resume(); return; }
      try {
        const rel = cleanEntryName(header.name);
        if (rel === '') { // the root itself: only metadata
          if (header.type === 'directory') dirTimes.push({ dir: dest, mtime: header.mtime ?? new Date(0) });
          stream.on('end', next);
          stream.resume();
          return;
        }
        const base = path.posix.basename(rel);
        const target = prepareParents(dest, rel, header.name, () => {});
        if (base === OPAQUE_MARKER) {
          native.lsetxattr(path.dirname(target), OPAQUE_XATTR, Buffer.from('y'));
          stream.on('end', next);
          stream.resume();
          return;
        }
        if (base.startsWith(WHITEOUT_PREFIX)) {
          if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            const hidden = path.join(path.dirname(target), base.slice(WHITEOUT_PREFIX.length));
            removeExisting(hidden, false);
            native.mknod(hidden, native.S_IFCHR | 0o600, native.makedev(0, 0));
          }
          stream.on('end', next);
          stream.resume();
          return;
        }
        switch (header.type) {
          case 'file':
          case 'contiguous-file': {
            removeExisting(target, false);
            const fd = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
            stream.on('data', (data: unknown) => {
              const chunk = data as Buffer;
              if (failed) return;
              try {
                let off = 0;
                while (off < chunk.length) off += fs.writeSync(fd, chunk, off, chunk.length - off);
                size += chunk.length;
              } catch (err) { fail(err); }
            });
            stream.on('end', () => {
              try {
                fs.closeSync(fd);
                if (!failed) { applyMetadata(target, header, false); next(); }
              } catch (err) { fail(err); }
            });
            stream.on('error', (err) => { try { fs.closeSync(fd); } catch { /* already closed */ } fail(err); });
            return;
          }
          case 'directory': {
            let st: fs.Stats | undefined;
            try { st = fs.lstatSync(target); } catch { st = undefined; }
            if (st && !st.isDirectory()) { removeExisting(target, false); st = undefined; }
            if (!st) fs.mkdirSync(target, { mode: 0o755 });
            applyMetadata(target, header, true);
            dirTimes.push({ dir: target, mtime: header.mtime ?? new Date(0) });
            break;
          }
          case 'symlink':
            removeExisting(target, false);
            fs.symlinkSync(header.linkname ?? '', target);
            applyMetadata(target, header, false);
            break;
          case 'link': {
            const linkRel = cleanEntryName(header.linkname ?? '');
            if (linkRel === '') throw new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(header.name)}: empty hardlink target`);
            const source = prepareParents(dest, linkRel, header.name, () => {});
            const st = fs.lstatSync(source, { throwIfNoEntry: false });
            if (!st) throw new InvalidArgumentError(`invalid tar entry ${JSON.stringify(header.name)}: hardlink target ${JSON.stringify(header.linkname)} not found in layer`);
            if (st.isDirectory()) throw new InvalidArgumentError(`invalid tar entry ${JSON.stringify(header.name)}: hardlink to a directory`);
            if (source !== target) {
              removeExisting(target, false);
              fs.linkSync(source, target);
            }
            break;
          }
          case 'character-device':
          case 'block-device':
          case 'fifo': {
            removeExisting(target, false);
            const kind = header.type === 'fifo' ? native.S_IFIFO : header.type === 'block-device' ? native.S_IFBLK : native.S_IFCHR;
            const dev = header.type === 'fifo' ? 0 : native.makedev(header.devmajor ?? 0, header.devminor ?? 0);
            native.mknod(target, kind | ((header.mode ?? 0o644) & 0o7777), dev);
            applyMetadata(target, header, false);
            break;
          }
          default:
            // pax/gnu meta entries are consumed by tar-stream; others carry nothing for a rootfs.
            break;
        }
        stream.on('end', next);
        stream.resume();
      } catch (err) {
        stream.resume();
        fail(err);
      }
    });
    extract.on('finish', () => {
      if (failed) return;
      try {
        // Directory times last, deepest first, since creating children changes them.
        for (const { dir, mtime } of dirTimes.reverse()) fs.utimesSync(dir, mtime, mtime);
      } catch (err) { fail(err); return; }
      resolve({ diffId: 'sha256:' + hash.digest('hex'), size });
    });
    extract.on('error', fail);
    hasher.on('error', fail);
    const plain = maybeDecompress(source);
    plain.on('error', fail);
    plain.pipe(hasher).pipe(extract);
  });
}

function removeExisting(target: string, keepDir: boolean): void {
  const st = fs.lstatSync(target, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    if (keepDir) return;
    fs.rmSync(target, { recursive: true, force: true });
  } else {
    fs.unlinkSync(target);
  }
}

function applyMetadata(target: string, header: tar.Header, isDir: boolean): void {
  const uid = header.uid ?? 0;
  const gid = header.gid ?? 0;
  fs.lchownSync(target, uid, gid);
  if (header.type !== 'symlink') fs.chmodSync(target, (header.mode ?? (isDir ? 0o755 : 0o644)) & 0o7777);
  const pax = (header as tar.Header & { pax?: Record<string, string> }).pax;
  if (pax) {
    for (const [key, value] of Object.entries(pax)) {
      if (!key.startsWith('SCHILY.xattr.')) continue;
      const name = key.slice('SCHILY.xattr.'.length);
      try {
        native.lsetxattr(target, name, Buffer.from(value));
      } catch (err) {
        // security.* / trusted.* may be refused on some filesystems; user-visible data is not lost.
        if ((err as NodeJS.ErrnoException).code !== 'ENOTSUP') throw err;
      }
    }
  }
  if (!isDir && header.mtime) fs.lutimesSync(target, header.mtime, header.mtime);
}
