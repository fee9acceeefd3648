// Loads the N-API addon built from native/ and describes its raw surface.
import * as path from 'node:path';

/** Opaque seqpacket handle (a napi external). */
export type SeqpacketHandle = { readonly __seqpacket: unique symbol };
export type SeqpacketEvent = 'data' | 'end' | 'error' | 'writable';
/** Opaque zlib inflate state (a napi external). */
export type GunzipHandle = { readonly __gunzip: unique symbol };
/** Opaque zstd decoder state (a napi external). */
export type ZstdHandle = { readonly __zstd: unique symbol };
/** Opaque O_DIRECT file state (a napi external). */
export type DirectFileHandle = { readonly __directFile: unique symbol };

export interface NativeAddon {
  mknod(path: string, mode: number, dev: number | bigint): void;
  makedev(major: number, minor: number): number | bigint;
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null, cwd?: string): void;
  umount2(target: string, flags: number): void;
  connectSeqpacket(path: string): number;
  seqpacketOpen(fd: number, callback: (event: SeqpacketEvent, value: unknown) => void): SeqpacketHandle;
  seqpacketSetReading(handle: SeqpacketHandle, on: boolean): void;
  seqpacketWaitWritable(handle: SeqpacketHandle): void;
  seqpacketSend(handle: SeqpacketHandle, data: Buffer): number;
  seqpacketShutdown(handle: SeqpacketHandle): void;
  seqpacketClose(handle: SeqpacketHandle): void;
  gunzipCreate(): GunzipHandle;
  gunzipPush(handle: GunzipHandle, input: Buffer): Buffer[];
  gunzipEnd(handle: GunzipHandle): void;
  zstdCreate(): ZstdHandle;
  zstdPush(handle: ZstdHandle, input: Buffer): Buffer[];
  zstdEnd(handle: ZstdHandle): void;
  directFileOpen(path: string, mode: number): DirectFileHandle;
  directFileWrite(handle: DirectFileHandle, data: Buffer): void;
  directFileClose(handle: DirectFileHandle): void;
  directFileDiscard(handle: DirectFileHandle): void;
  alignedBuffer(size: number): Buffer;
}

// dist/src/native/addon.js → <repo>/native/build/Release/berth_native.node
const ADDON_PATH = path.join(__dirname, '..', '..', '..', 'native', 'build', 'Release', 'berth_native.node');

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const addon = require(ADDON_PATH) as NativeAddon;
