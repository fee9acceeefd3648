// Local side of `berth cp`: Docker's copy rules (go-archive's CopyInfo,
// PrepareArchiveCopy, RebaseArchiveEntries) and tar create/extract on the host
// through tar-stream. Extraction never writes outside its directory: names are
// cleaned, parents must be real directories, hardlinks stay inside.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { CliError } from '../errors';

export interface CopyInfo { path: string; exists: boolean; isDir: boolean; rebaseName: string }

export function hasTrailingSeparator(p: string): boolean { return p.length > 0 && p.endsWith('/'); }
export function specifiesCurrentDir(p: string): boolean { return path.posix.basename(p) === '.' && (p === '.' || p.endsWith('/.')); }
export function assertsDirectory(p: string): boolean { return hasTrailingSeparator(p) || specifiesCurrentDir(p); }

/** Go's filepath.Clean. */
function clean(p: string): string {
  if (p === '') return '.';
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** go-archive SplitPathDirEntry: "a/b/." → ["a/b", "."]. */
export function splitPathDirEntry(p: string): [string, string] {
  let cleaned = clean(p);
  if (specifiesCurrentDir(p)) cleaned += '/.';
  const base = cleaned === '/' ? '/' : path.posix.basename(cleaned);
  return [path.posix.dirname(cleaned), base];
}

/** Renames the entries under `oldBase` to live under `newBase` (RebaseArchiveEntries). */
export function rebaseArchive(source: Readable, oldBase: string, newBase: string): Readable {
  const extract = tar.extract();
  const pack = tar.pack();
  const prefix = oldBase.endsWith('/') ? oldBase : `${oldBase}/`;
  const rename = (name: string): string => {
    if (name === oldBase || name === prefix) return name.endsWith('/') && !newBase.endsWith('/') ? `${newBase}/` : newBase;
    if (name.startsWith(prefix)) return `${newBase}/${name.slice(prefix.length)}`;
    return name;
  };
  extract.on('entry', (header, stream, next) => {
    header.name = rename(header.name);
    if (header.type === 'link' && header.linkname) header.linkname = rename(header.linkname);
    stream.pipe(pack.entry(header, (err) => next(err ?? undefined)));
  });
  extract.on('finish', () => pack.finalize());
  extract.on('error', (err) => pack.destroy(err));
  source.on('error', (err) => extract.destroy(err));
  source.pipe(extract as unknown as NodeJS.WritableStream);
  return Readable.from(pack);
}

/** go-archive CopyInfoSourcePath for a host path (ResolveHostSourcePath). */
export function hostSourceInfo(p: string, followLink: boolean): CopyInfo {
  let resolved: string;
  let rebaseName = '';
  try {
    if (followLink) {
      resolved = fs.realpathSync(p);
      if (specifiesCurrentDir(p) && !specifiesCurrentDir(resolved)) resolved += '/.';
      if (hasTrailingSeparator(p) && !hasTrailingSeparator(resolved)) resolved += '/';
    } else {
      const [dir, base] = splitPathDirEntry(p);
      resolved = path.join(fs.realpathSync(dir), base) + (base === '.' ? '/.' : '');
    }
    if (path.posix.basename(p) !== path.posix.basename(resolved)) rebaseName = path.posix.basename(p);
    const st = fs.lstatSync(resolved);
    return { path: resolved, exists: true, isDir: st.isDirectory(), rebaseName };
  } catch (err) {
    throw new CliError(`lstat ${p}: ${fsReason(err)}`, 1);
  }
}

/** go-archive CopyInfoDestinationPath: follows a symlink destination; the parent must exist. */
export function hostDestinationInfo(p: string): CopyInfo {
  let current = p;
  for (let i = 0; i < 10; i++) {
    const st = fs.lstatSync(current, { throwIfNoEntry: false });
    if (!st) break;
    if (!st.isSymbolicLink()) return { path: current, exists: true, isDir: st.isDirectory(), rebaseName: '' };
    const target = fs.readlinkSync(current);
    current = path.isAbsolute(target) ? target : path.join(splitPathDirEntry(current)[0], target);
  }
  if (fs.lstatSync(current, { throwIfNoEntry: false })) throw new CliError(`too many symlinks in ${p}`, 1);
  const [parent] = splitPathDirEntry(current);
  if (!fs.statSync(parent, { throwIfNoEntry: false })) throw new CliError(`stat ${parent}: no such file or directory`, 1);
  return { path: current, exists: false, isDir: false, rebaseName: '' };
}

/** go-archive PrepareArchiveCopy: the directory to extract into and the (maybe rebased) archive. */
export function prepareArchiveCopy(source: Readable, src: CopyInfo, dst: CopyInfo): { dir: string; archive: Readable } {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  let [, srcBase] = splitPathDirEntry(src.path);
  if (src.rebaseName) srcBase = src.rebaseName;
  if (dst.exists && dst.isDir) return { dir: dst.path, archive: source };
  if (dst.exists && src.isDir) throw new CliError('cannot copy directory', 1);
  if (!dst.exists && !src.isDir && assertsDirectory(dst.path)) throw new CliError('no such directory', 1);
  return { dir: dstDir, archive: rebaseArchive(source, srcBase, dstBase) };
}

/** A tar of one host path (TarResourceRebase): the entry itself, named by its base or `rebaseName`. */
export function tarHostResource(info: CopyInfo): Readable {
  const [dir, base] = splitPathDirEntry(info.path);
  const rootName = info.rebaseName || base;
  const pack = tar.pack();
  const links = new Map<string, string>();
  const add = async (rel: string, name: string): Promise<void> => {
    const abs = rel === '' ? path.join(dir, base) : path.join(dir, base, rel);
    const st = fs.lstatSync(abs);
    const header: EntryHeader = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      await entry(pack, { ...header, type: 'directory' });
      for (const child of fs.readdirSync(abs).sort()) {
        await add(rel === '' ? child : `${rel}/${child}`, name === '/' ? `/${child}` : `${name.replace(/\/$/, '')}/${child}`);
      }
    } else if (st.isSymbolicLink()) {
      await entry(pack, { ...header, type: 'symlink', linkname: fs.readlinkSync(abs) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? links.get(key) : undefined;
      if (first !== undefined) { await entry(pack, { ...header, type: 'link', linkname: first }); return; }
      if (st.nlink > 1) links.set(key, name);
      await entry(pack, { ...header, type: 'file', size: st.size }, fs.createReadStream(abs));
    } else if (st.isFIFO()) {
      await entry(pack, { ...header, type: 'fifo' });
    } // devices and sockets: skipped (a CLI user cannot recreate them anyway)
  };
  add('', rootName).then(() => pack.finalize(), (err: unknown) => pack.destroy(err as Error));
  return Readable.from(pack);
}

type EntryHeader = Partial<tar.Header> & { name: string };

function entry(pack: tar.Pack, header: EntryHeader, body?: Readable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error | null) => (err ? reject(err) : resolve());
    if (!body) { pack.entry(header, Buffer.alloc(0), done); return; }
    const sink = pack.entry(header, done);
    body.on('error', reject);
    body.pipe(sink as unknown as NodeJS.WritableStream);
  });
}

export interface ExtractOptions {
  /** Apply the archive's owners (berth cp -a as root); Docker's CLI never chowns. */
  chown: boolean;
}

/** Untar into `dest` (NoOverwriteDirNonDir), refusing anything that would land outside it. */
export async function extractToHost(source: Readable, dest: string, options: ExtractOptions): Promise<void> {
  const extract = tar.extract();
  const dirTimes: Array<[string, Date]> = [];
  source.on('error', (err) => extract.destroy(err));
  source.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const e of extract) {
    const h = e.header;
    const rel = safeRel(h.name);
    const target = rel === '' ? dest : path.join(dest, rel);
    if (rel !== '') checkParents(dest, rel, h.name);
    const existing = fs.lstatSync(target, { throwIfNoEntry: false });
    if (existing?.isDirectory() && h.type !== 'directory') throw new CliError(`cannot overwrite directory "${target}" with non-directory "${h.name}"`, 1);
    if (existing && !existing.isDirectory() && h.type === 'directory') throw new CliError(`cannot overwrite non-directory "${target}" with directory "${h.name}"`, 1);
    if (existing && !existing.isDirectory()) fs.unlinkSync(target);
    const mode = (h.mode ?? 0o644) & 0o7777;
    switch (h.type) {
      case 'directory':
        if (!existing) fs.mkdirSync(target, { mode: 0o700 });
        dirTimes.push([target, h.mtime ?? new Date()]);
        break;
      case 'file': case 'contiguous-file':
        await pipeline(e, fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }));
        break;
      case 'symlink':
        fs.symlinkSync(h.linkname ?? '', target);
        break;
      case 'link': {
        const linkRel = safeRel(h.linkname ?? '');
        checkParents(dest, linkRel, h.linkname ?? '');
        fs.linkSync(path.join(dest, linkRel), target);
        break;
      }
      case 'fifo':
        e.resume();
        continue; // Node cannot make FIFOs; Docker's CLI would. Skipped.
      default:
        e.resume();
        continue;
    }
    e.resume();
    if (options.chown) fs.lchownSync(target, h.uid ?? 0, h.gid ?? 0);
    if (h.type !== 'symlink') fs.chmodSync(target, mode);
    if (h.type !== 'directory') fs.lutimesSync(target, h.mtime ?? new Date(), h.mtime ?? new Date());
  }
  for (const [dir, mtime] of dirTimes.reverse()) fs.utimesSync(dir, mtime, mtime);
}

function safeRel(name: string): string {
  const norm = path.posix.normalize(`/${name}`).slice(1).replace(/\/+$/, '');
  if (name.includes('\0')) throw new CliError(`invalid tar entry ${JSON.stringify(name)}`, 1);
  return norm;
}

/** Every parent of `rel` under `dest` must be a real directory (never a symlink). */
function checkParents(dest: string, rel: string, name: string): void {
  const parts = rel.split('/');
  let cur = dest;
  for (const part of parts.slice(0, -1)) {
    cur = path.join(cur, part);
    const st = fs.lstatSync(cur, { throwIfNoEntry: false });
    if (!st) { fs.mkdirSync(cur, { mode: 0o755 }); continue; }
    if (!st.isDirectory()) throw new CliError(`refusing to extract ${JSON.stringify(name)}: ${cur} is not a directory`, 1);
  }
}

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}
