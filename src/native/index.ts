// Typed wrappers around the N-API addon (native/src/berth_native.c).
import * as path from 'node:path';

interface NativeAddon {
  mknod(path: string, mode: number, dev: number): void;
  makedev(major: number, minor: number): number;
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  mount(source: string, target: string, fstype: string, flags: number, data: string): void;
  umount2(target: string, flags: number): void;
}

// dist/src/native/index.js → <repo>/native/build/Release/berth_native.node
const addon = require(path.join(__dirname, '..', '..', '..', 'native', 'build', 'Release', 'berth_native.node')) as NativeAddon;

export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_BIND = 4096;
export const MS_REC = 16384;
export const MNT_FORCE = 1;
export const MNT_DETACH = 2;

export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFBLK = 0o060000;

export const mknod = addon.mknod;
export const makedev = addon.makedev;
export const lsetxattr = addon.lsetxattr;
export const lgetxattr = addon.lgetxattr;
export const llistxattr = addon.llistxattr;
export const mount = addon.mount;
export const umount2 = addon.umount2;
