// Resolves a path inside a root directory as a process chrooted there would see
// it: every symlink on the way is read and followed relative to the root, and
// ".." stops at the root (moby's FollowSymlinkInScope). Used for COPY sources in
// the context and destinations in a step's root filesystem; neither changes
// while a step runs, so the answer stays true while the step uses it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';

const MAX_LINKS = 255;

export interface Scoped {
  host: string; // absolute host path
  inner: string; // "/"-rooted path inside the root
}

/** `followLast`: also follow a symlink in the final component. Missing components are kept as written. */
export function scopedPath(root: string, p: string, followLast = true): Scoped {
  let resolved: string[] = [];
  let pending = p.split('/').filter((s) => s !== '' && s !== '.');
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '..') { resolved.pop(); continue; }
    const candidate = [...resolved, name];
    const host = path.join(root, ...candidate);
    const last = pending.length === 0;
    let st: fs.Stats | undefined;
    try { st = fs.lstatSync(host); } catch { st = undefined; }
    if (st?.isSymbolicLink() && (!last || followLast)) {
      if (++links > MAX_LINKS) throw new InvalidArgumentError(`too many links resolving ${p}`);
      const target = fs.readlinkSync(host);
      if (target.startsWith('/')) resolved = [];
      pending = [...target.split('/').filter((s) => s !== '' && s !== '.'), ...pending];
      continue;
    }
    resolved = candidate;
  }
  return { host: path.join(root, ...resolved), inner: '/' + resolved.join('/') };
}
