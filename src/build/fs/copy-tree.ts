// COPY/ADD file copying: a file, a symlink or a directory's contents into a
// destination inside a step's root filesystem, with Docker's ownership rules
// (context files become 0:0 unless --chown; --from keeps owners) and --chmod.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CopyOwner {
  /** Owner for every copied entry; undefined keeps the source's. */
  uid?: number;
  gid?: number;
  /** --chmod: mode bits for every copied entry. */
  mode?: number;
}

/** Copies `src` (any type) to exactly `dest` (its parent must exist). */
export function copyEntry(src: string, dest: string, owner: CopyOwner): void {
  const st = fs.lstatSync(src);
  if (st.isDirectory()) {
    ensureDir(dest, st, owner);
    copyDirContents(src, dest, owner);
    finishDir(dest, st, owner);
    return;
  }
  removeExisting(dest, false);
  if (st.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(src), dest);
  } else if (st.isFile()) {
    fs.copyFileSync(src, dest);
    fs.chmodSync(dest, owner.mode ?? (st.mode & 0o7777));
  } else {
    return; // sockets, fifos, devices are not copied
  }
  fs.lchownSync(dest, owner.uid ?? st.uid, owner.gid ?? st.gid);
  if (!st.isSymbolicLink()) fs.utimesSync(dest, st.atime, st.mtime);
  else fs.lutimesSync(dest, st.atime, st.mtime);
}

/** Copies the children of directory `src` into directory `dest` (which exists). */
export function copyDirContents(src: string, dest: string, owner: CopyOwner): void {
  for (const name of fs.readdirSync(src)) copyEntry(path.join(src, name), path.join(dest, name), owner);
}

/** Writes one file with the given content (COPY <<EOF, ADD of a URL). */
export function writeFileEntry(dest: string, content: Buffer | string, owner: CopyOwner, mtime?: Date): void {
  removeExisting(dest, false);
  fs.writeFileSync(dest, content, { mode: 0o600 });
  fs.chmodSync(dest, owner.mode ?? 0o644);
  fs.lchownSync(dest, owner.uid ?? 0, owner.gid ?? 0);
  if (mtime) fs.utimesSync(dest, mtime, mtime);
}

/** mkdir -p inside a root; created directories are 0755 and owned as given (root by default). */
export function mkdirAll(dir: string, uid = 0, gid = 0): void {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    const st = fs.statSync(d, { throwIfNoEntry: false });
    if (st?.isDirectory()) break;
    if (st) fs.rmSync(d, { force: true });
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    fs.mkdirSync(d, { mode: 0o755 });
    fs.chmodSync(d, 0o755);
    fs.lchownSync(d, uid, gid);
  }
}

function ensureDir(dest: string, st: fs.Stats, owner: CopyOwner): void {
  const existing = fs.lstatSync(dest, { throwIfNoEntry: false });
  if (existing?.isDirectory()) return;
  if (existing) fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { mode: 0o700 });
  fs.chmodSync(dest, owner.mode ?? (st.mode & 0o7777));
  fs.lchownSync(dest, owner.uid ?? st.uid, owner.gid ?? st.gid);
}

function finishDir(dest: string, st: fs.Stats, owner: CopyOwner): void {
  fs.utimesSync(dest, st.atime, st.mtime);
  void owner;
}

function removeExisting(dest: string, keepDir: boolean): void {
  const existing = fs.lstatSync(dest, { throwIfNoEntry: false });
  if (!existing) return;
  if (existing.isDirectory()) {
    if (keepDir) return;
    fs.rmSync(dest, { recursive: true, force: true });
  } else {
    fs.unlinkSync(dest);
  }
}
