// Resolve a path inside a container rootfs the way the container would see it:
// symlinks are followed relative to the rootfs, and ".." never climbs above it.
// Used to read /etc/passwd and to create WorkingDir without touching host files.
import { lstatSync, readlinkSync, mkdirSync, chownSync } from 'node:fs';
import * as path from 'node:path';

const MAX_LINKS = 255;

/** Host path of `unsafePath` inside `root`; components that do not exist are kept as written. */
export function secureJoin(root: string, unsafePath: string): string {
  const parts = unsafePath.split('/').filter((p) => p !== '' && p !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift() as string;
    if (part === '..') { resolved.pop(); continue; }
    const candidate = path.join(root, ...resolved, part);
    let isLink = false;
    try { isLink = lstatSync(candidate).isSymbolicLink(); } catch { /* missing: keep the name */ }
    if (!isLink) { resolved.push(part); continue; }
    if (++links > MAX_LINKS) throw new Error(`too many symlinks resolving ${unsafePath}`);
    const target = readlinkSync(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    parts.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return path.join(root, ...resolved);
}

/**
 * mkdir -p of a container path inside the rootfs (Docker creates a missing WorkingDir,
 * owned by the container user). Each component is re-resolved so a symlink created in
 * between cannot redirect the walk outside the rootfs.
 */
export function mkdirAllInRoot(root: string, containerPath: string, uid: number, gid: number): void {
  const parts = containerPath.split('/').filter((p) => p !== '' && p !== '.');
  let current = '/';
  for (const part of parts) {
    current = path.posix.join(current, part);
    const host = secureJoin(root, current);
    try {
      const st = lstatSync(host);
      if (!st.isDirectory()) throw new Error(`mkdir ${current}: not a directory`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      mkdirSync(host, { mode: 0o755 });
      chownSync(host, uid, gid);
    }
  }
}
