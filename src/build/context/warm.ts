// The previous build's context, parked instead of deleted: the next build still
// extracts its context into a fresh directory, but a small file whose bytes and
// metadata match a parked one is moved over (a rename) instead of created —
// creating thousands of files is most of what a cached rebuild costs. Trust rests
// on: nothing writes into a context during a build (COPY reads, context bind
// mounts are read-only or copies), parked files were found by walking real
// directories only, and a moved file must still be the inode recorded at parking.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileDigest, TarEntry } from '../../archive';
import { removeLater } from '../fs/remove-later';

export const WARM_CONTEXT_DIR = 'warm-context';
const REUSE_MAX = 1 << 20;

interface ParkedFile { sha256: string; size: number; ino: number; mode: number; uid: number; gid: number; mtimeMs: number }

export interface ClaimedContext {
  reuse(rel: string, entry: TarEntry, sha256: string): string | undefined;
  /** Deletes what was not reused (in the background). */
  release(): void;
}

export class WarmContext {
  private parked: Map<string, ParkedFile> | undefined;

  constructor(private readonly root: string) {}

  /** Moves the parked tree to `dir` (absent); undefined when none is parked. */
  claim(dir: string): ClaimedContext | undefined {
    const files = this.parked;
    if (!files) return undefined;
    this.parked = undefined;
    try {
      fs.renameSync(path.join(this.root, WARM_CONTEXT_DIR), dir);
    } catch {
      return undefined;
    }
    return {
      reuse: (rel, entry, sha256) => {
        const known = files.get(rel);
        if (!known || known.sha256 !== sha256 || known.size !== entry.size || known.mode !== (entry.mode & 0o7777)
          || known.uid !== entry.uid || known.gid !== entry.gid || Math.round(known.mtimeMs) !== Math.round(entry.mtime * 1000)) return undefined;
        files.delete(rel); // one move per parked file
        const abs = path.join(dir, rel);
        const st = fs.lstatSync(abs, { throwIfNoEntry: false });
        const same = st !== undefined && st.isFile() && st.nlink === 1 && st.ino === known.ino && st.size === known.size
          && (st.mode & 0o7777) === known.mode && st.uid === known.uid && st.gid === known.gid && st.mtimeMs === known.mtimeMs;
        return same ? abs : undefined;
      },
      release: () => removeLater(dir),
    };
  }

  /** Parks a finished build's context (moved away); false when one is parked already (the caller removes it). */
  park(dir: string, digests: ReadonlyMap<string, FileDigest>): boolean {
    if (this.parked) return false;
    const files = new Map<string, ParkedFile>();
    const walk = (rel: string): void => {
      for (const ent of fs.readdirSync(rel === '' ? dir : path.join(dir, rel), { withFileTypes: true })) {
        const child = rel === '' ? ent.name : `${rel}/${ent.name}`;
        if (ent.isDirectory()) walk(child);
        else if (ent.isFile()) {
          const abs = path.join(dir, child);
          const d = digests.get(abs);
          if (!d || d.size > REUSE_MAX) continue;
          const st = fs.lstatSync(abs);
          if (!st.isFile() || st.nlink !== 1 || st.size !== d.size) continue;
          files.set(child, { sha256: d.sha256, size: d.size, ino: st.ino, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtimeMs: st.mtimeMs });
        }
      }
    };
    try {
      walk('');
      fs.renameSync(dir, path.join(this.root, WARM_CONTEXT_DIR));
    } catch {
      return false;
    }
    this.parked = files;
    return true;
  }

  /** builder prune: the parked tree goes too. */
  discard(): void {
    this.parked = undefined;
    removeLater(path.join(this.root, WARM_CONTEXT_DIR));
  }
}
