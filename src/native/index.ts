// Typed wrappers around the berth_native addon (native/src). Every call is
// synchronous and throws errors shaped like Node's fs errors (code, errno,
// syscall, path), except the seqpacket socket, which is event driven.
import { addon } from './addon';

export * from './constants';
export { SeqpacketSocket, connectSeqpacketSocket, MAX_PACKET } from './seqpacket';
export { Gunzip, ZstdDecoder, type StreamDecoder } from './decoders';
export { DirectFile } from './direct-file';
export { DirectWriteStream } from './direct-write-stream';

/** mknod(2); `mode` includes the file type (S_IFCHR, S_IFBLK or S_IFIFO). */
export function mknod(path: string, mode: number, dev: number | bigint): void {
  addon.mknod(path, mode, dev);
}

/** Device number from major/minor (a bigint only for values beyond 2^53). */
export function makedev(major: number, minor: number): number | bigint {
  return addon.makedev(major, minor);
}

/** lsetxattr(2): sets an extended attribute without following a symlink. */
export function lsetxattr(path: string, name: string, value: Buffer): void {
  addon.lsetxattr(path, name, value);
}

/** lgetxattr(2): the attribute's value, or null when it is not set. */
export function lgetxattr(path: string, name: string): Buffer | null {
  return addon.lgetxattr(path, name);
}

/** llistxattr(2): attribute names ([] on filesystems without xattrs). */
export function llistxattr(path: string): string[] {
  return addon.llistxattr(path);
}

/**
 * mount(2). With `cwd`, the call runs on a helper thread whose working directory
 * is `cwd` (relative paths in `data`, e.g. overlay lowerdirs, resolve there);
 * the process's own cwd is untouched.
 */
export function mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null, cwd?: string): void {
  if (cwd === undefined) addon.mount(source, target, fstype, flags, data);
  else addon.mount(source, target, fstype, flags, data, cwd);
}

/** umount2(2) with MNT_* flags. */
export function umount2(target: string, flags: number): void {
  addon.umount2(target, flags);
}

/** Connects a SOCK_SEQPACKET unix socket and returns its non-blocking fd. */
export function connectSeqpacket(path: string): number {
  return addon.connectSeqpacket(path);
}
