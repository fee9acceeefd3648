// Path checks for extraction: every entry must stay inside the destination,
// and nothing may be created through a symlink.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';

/** Normalises a tar entry name to a relative path, or throws for unsafe names. */
export function cleanEntryName(name: string): string {
  if (name.startsWith('/')) throw new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(name)}: absolute path`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(name)}: path escapes the layer`);
  return parts.join('/');
}

/**
 * Ensures each parent directory of `rel` exists inside `root` as a real directory
 * (creating missing ones) and returns the absolute path. A parent that is a
 * symlink (or any non-directory) rejects the entry.
 */
export function prepareParents(root: string, rel: string, entryName: string, created: (dir: string) => void): string {
  const parts = rel.split('/');
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    cur = path.join(cur, parts[i]);
    let st: fs.Stats | undefined;
    try { st = fs.lstatSync(cur); } catch { st = undefined; }
    if (!st) {
      fs.mkdirSync(cur, { mode: 0o755 });
      created(cur);
    } else if (st.isSymbolicLink()) {
      throw new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(entryName)}: parent ${JSON.stringify(parts.slice(0, i + 1).join('/'))} is a symlink`);
    } else if (!st.isDirectory()) {
      throw new InvalidArgumentError(`unsafe tar entry ${JSON.stringify(entryName)}: parent ${JSON.stringify(parts.slice(0, i + 1).join('/'))} is not a directory`);
    }
  }
  return path.join(root, rel);
}
