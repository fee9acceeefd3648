// docker diff from the container's overlay upper dir, the way moby's overlay
// driver reads it: a 0:0 character device is a deletion; anything else is a
// modification when some lower layer has the path and an addition otherwise; a
// directory whose size, mode and mtime match the lower one is not listed itself,
// but the parent of every addition or deletion is (as modified). An opaque
// directory replaces the lower one: what the lower one held is listed as deleted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as native from '../../native';
import type { FilesystemChange } from './types';

export const CHANGE_MODIFIED = 0;
export const CHANGE_ADDED = 1;
export const CHANGE_DELETED = 2;

function isWhiteout(st: fs.Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

function isOpaque(file: string): boolean {
  return native.lgetxattr(file, 'trusted.overlay.opaque')?.toString() === 'y';
}

/** The path in the topmost lower layer that has it (a whiteout there hides deeper ones). */
function lowerStat(lowers: string[], rel: string): fs.Stats | undefined {
  for (const layer of lowers) {
    const st = fs.lstatSync(path.join(layer, rel), { throwIfNoEntry: false });
    if (!st) continue;
    if (isWhiteout(st)) return undefined;
    return st;
  }
  return undefined;
}

/** Names the merged lower layers hold in a directory (for an opaque directory's deletions). */
function lowerNames(lowers: string[], rel: string): string[] {
  const names = new Set<string>();
  const hidden = new Set<string>();
  for (const layer of lowers) {
    const dir = path.join(layer, rel);
    let entries: string[];
    try { entries = fs.readdirSync(dir); } catch { continue; }
    for (const name of entries) {
      if (names.has(name) || hidden.has(name)) continue;
      const st = fs.lstatSync(path.join(dir, name));
      if (isWhiteout(st)) hidden.add(name); else names.add(name);
    }
    if (isOpaque(dir)) break;
  }
  return [...names].sort();
}

/**
 * `skip(containerPath)`: paths that are the runtime's business (mount points it
 * creates), left out like Docker's init layer keeps them out of its diffs.
 */
export function collectChanges(upper: string, lowers: string[], skip: (p: string) => boolean = () => false): FilesystemChange[] {
  const changes: FilesystemChange[] = [];
  const changedDirs = new Set<string>();
  const record = (p: string, kind: FilesystemChange['Kind']) => {
    if (kind !== CHANGE_MODIFIED) {
      const parent = path.posix.dirname(p);
      if (parent !== '/' && !changedDirs.has(parent)) {
        changes.push({ Path: parent, Kind: CHANGE_MODIFIED });
        changedDirs.add(parent);
      }
    }
    changes.push({ Path: p, Kind: kind });
  };
  const walk = (rel: string, underOpaque: boolean) => {
    for (const name of fs.readdirSync(path.join(upper, rel)).sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const p = `/${childRel}`;
      if (skip(p)) continue;
      const abs = path.join(upper, childRel);
      const st = fs.lstatSync(abs);
      if (isWhiteout(st)) {
        if (!underOpaque && lowerStat(lowers, childRel)) record(p, CHANGE_DELETED);
        continue;
      }
      const lower = underOpaque ? undefined : lowerStat(lowers, childRel);
      const dir = st.isDirectory();
      const opaque = dir && isOpaque(abs);
      let listed = true;
      if (!lower) record(p, CHANGE_ADDED);
      else if (dir && lower.isDirectory() && !opaque && st.size === lower.size && st.mode === lower.mode
        && Math.floor(st.mtimeMs) === Math.floor(lower.mtimeMs)) listed = false;
      else record(p, CHANGE_MODIFIED);
      if (!dir) continue;
      if (listed) changedDirs.add(p);
      if (opaque && lower?.isDirectory()) {
        const present = new Set(fs.readdirSync(abs));
        for (const gone of lowerNames(lowers, childRel)) if (!present.has(gone)) record(`${p}/${gone}`, CHANGE_DELETED);
      }
      walk(childRel, underOpaque || opaque);
    }
  };
  walk('', false);
  return changes;
}
