// Resolves a path inside a container's root filesystem the way a process chrooted
// there would: symlinks are read and followed relative to the root and ".." stops
// at the root. Every directory on the way is opened (O_NOFOLLOW) and later steps
// go through /proc/self/fd/<n>, so a symlink swapped in by a running container
// after a check cannot send the walk outside the root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../../errors';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
const MAX_LINKS = 255;

export interface RootPath {
  /** Host path naming the object without following its last component (a pinned directory ends in "/."). */
  host: string;
  /** Where the object is, as seen from inside the container ("/" for the root). */
  containerPath: string;
  /** Does it exist? (A missing last component is allowed, its parent must exist.) */
  exists: boolean;
  /** Closes the directory descriptors the resolution holds open. */
  close(): void;
}

export interface ResolveOptions {
  /** Follow a symlink in the last component too (always done for "dir/" and "dir/."). */
  followLast?: boolean;
  /** Missing intermediate components end the walk (rest kept lexically) instead of failing. */
  lenient?: boolean;
}

/** An ENOENT/ENOTDIR-style error carrying the errno code, as fs would throw. */
function fsError(code: 'ENOENT' | 'ENOTDIR' | 'ELOOP', p: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${p}`) as NodeJS.ErrnoException;
  err.code = code;
  return err;
}

function pinned(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

export function hasTrailingDirMarker(p: string): boolean {
  return p.endsWith('/') || p.endsWith('/.') || p === '.' || p === '';
}

export function resolveInRoot(root: string, unsafePath: string, options: ResolveOptions = {}): RootPath {
  if (unsafePath.includes('\0')) throw new InvalidArgumentError('invalid path: NUL byte');
  const followLast = options.followLast === true || hasTrailingDirMarker(unsafePath);
  const fds: number[] = [];
  const close = () => { for (const fd of fds.splice(0)) { try { fs.closeSync(fd); } catch { /* already closed */ } } };
  const open = (p: string): number => {
    const fd = fs.openSync(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    fds.push(fd);
    return fd;
  };
  try {
    const stack: Array<{ fd: number; name: string }> = [{ fd: open(root), name: '' }];
    const parts = unsafePath.split('/').filter((p) => p !== '' && p !== '.');
    const containerPath = (extra: string[] = []) => '/' + [...stack.slice(1).map((s) => s.name), ...extra].join('/');
    let links = 0;
    while (parts.length > 0) {
      const part = parts.shift() as string;
      if (part === '..') { if (stack.length > 1) stack.pop(); continue; }
      const top = stack[stack.length - 1];
      const candidate = `${pinned(top.fd)}/${part}`;
      const last = parts.length === 0;
      if (last && !followLast) {
        const exists = fs.lstatSync(candidate, { throwIfNoEntry: false }) !== undefined;
        return { host: candidate, containerPath: containerPath([part]), exists, close };
      }
      const st = fs.lstatSync(candidate, { throwIfNoEntry: false });
      if (!st) {
        if (last || options.lenient) return { host: candidate, containerPath: containerPath([part, ...parts]), exists: false, close };
        throw fsError('ENOENT', containerPath([part]));
      }
      if (st.isSymbolicLink()) {
        if (++links > MAX_LINKS) throw fsError('ELOOP', unsafePath);
        const target = fs.readlinkSync(candidate);
        if (target.startsWith('/')) stack.length = 1;
        parts.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      if (st.isDirectory()) {
        stack.push({ fd: open(candidate), name: part });
        continue;
      }
      if (!last) throw fsError('ENOTDIR', containerPath([part]));
      // Last component, followed, not a directory: "file/" asks for a directory.
      if (hasTrailingDirMarker(unsafePath)) throw fsError('ENOTDIR', containerPath([part]));
      return { host: candidate, containerPath: containerPath([part]), exists: true, close };
    }
    return { host: `${pinned(stack[stack.length - 1].fd)}/.`, containerPath: containerPath(), exists: true, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** Joins a container path lexically (for messages and link targets). */
export function cleanContainerPath(p: string): string {
  return path.posix.normalize('/' + p);
}
