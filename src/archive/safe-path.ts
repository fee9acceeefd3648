// Path safety for extraction. Entry names are normalised lexically and must stay
// inside the destination; every parent of a created path must be a real
// directory (never a symlink), so nothing is ever written through a link.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';

/**
 * Normalises a tar entry name to a relative path ('' for the root itself).
 * Absolute names, names that climb out with '..', and NUL bytes are refused.
 */
export function cleanEntryName(name: string): string {
  if (name.includes('\0')) throw unsafe(name, 'NUL byte in name');
  if (name.startsWith('/')) throw unsafe(name, 'absolute path');
  const norm = path.posix.normalize(name);
  if (norm === '..' || norm.startsWith('../')) throw unsafe(name, 'path escapes the layer directory');
  return norm === '.' || norm === './' ? '' : norm.replace(/\/+$/, '');
}

function unsafe(name: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(name)}: ${why}`);
}

export type NodeKind = 'dir' | 'symlink' | 'other';

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash === -1 ? '' : rel.slice(0, slash);
}

/**
 * What exists under the destination, learnt from lstat once and then kept up to
 * date as entries are written (the extraction is the only writer).
 */
export class PathTracker {
  private readonly kinds = new Map<string, NodeKind | null>([['', 'dir']]);
  /** Directories made empty by us (or found empty): their unknown children need no lstat. */
  private readonly emptyDirs = new Set<string>();

  constructor(readonly root: string) {
    if (fs.readdirSync(root).length === 0) this.emptyDirs.add('');
  }

  abs(rel: string): string {
    return rel === '' ? this.root : path.join(this.root, rel);
  }

  kind(rel: string): NodeKind | null {
    let k = this.kinds.get(rel);
    if (k === undefined && this.emptyDirs.has(parentOf(rel))) return null;
    if (k === undefined) {
      const st = fs.lstatSync(this.abs(rel), { throwIfNoEntry: false });
      k = !st ? null : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
      this.kinds.set(rel, k);
    }
    return k;
  }

  set(rel: string, kind: NodeKind | null, createdEmpty = false): void {
    this.kinds.set(rel, kind);
    if (createdEmpty) this.emptyDirs.add(rel);
  }

  /** Creates missing parents of `rel` (0755, root-owned); refuses symlink or file parents. */
  ensureParents(rel: string, entryName: string): void {
    this.walkParents(rel, entryName, true);
  }

  /** Checks that `rel` is reachable through real directories only (creates nothing). */
  checkParents(rel: string, entryName: string): boolean {
    return this.walkParents(rel, entryName, false);
  }

  /**
   * Makes room for a new node at `rel`: keeps an existing directory when a
   * directory is wanted, otherwise removes what is there. Returns true when an
   * existing directory was kept.
   */
  clear(rel: string, wantDir: boolean): boolean {
    const k = this.kind(rel);
    if (k === null) return false;
    if (k === 'dir') {
      if (wantDir) return true;
      if (rel === '') throw new InvalidArgumentError('unsafe tar entry "./": the layer root must be a directory');
      fs.rmSync(this.abs(rel), { recursive: true, force: true });
      const prefix = rel + '/';
      for (const key of this.kinds.keys()) if (key.startsWith(prefix)) this.kinds.delete(key);
      for (const key of this.emptyDirs) if (key === rel || key.startsWith(prefix)) this.emptyDirs.delete(key);
    } else {
      fs.unlinkSync(this.abs(rel));
    }
    this.kinds.set(rel, null);
    return false;
  }

  private walkParents(rel: string, entryName: string, create: boolean): boolean {
    let end = rel.indexOf('/');
    while (end !== -1) {
      const parent = rel.slice(0, end);
      const k = this.kind(parent);
      if (k === 'symlink') throw unsafe(entryName, `parent ${JSON.stringify(parent)} is a symlink`);
      if (k === 'other') throw unsafe(entryName, `parent ${JSON.stringify(parent)} is not a directory`);
      if (k === null) {
        if (!create) return false;
        fs.mkdirSync(this.abs(parent), { mode: 0o755 });
        fs.chmodSync(this.abs(parent), 0o755); // mkdir applies the umask
        this.set(parent, 'dir', true);
      }
      end = rel.indexOf('/', end + 1);
    }
    return true;
  }
}
