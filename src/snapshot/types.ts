// Layer and container-rootfs storage contract (overlayfs).
//
// Layers are unpacked once into a directory keyed by chain ID and shared by every
// image (and container) that contains them; retain/release keep a reference count
// and a layer's directory is deleted when its count drops to zero.
import type { Readable } from 'node:stream';

export interface LayerInfo {
  chainId: string; // "sha256:..."
  diffId: string; // sha256 of the uncompressed layer tar
  parent: string | null; // parent chain ID
  size: number; // bytes of the unpacked content (this layer only)
}

export interface LayerStore {
  /**
   * Unpack a layer tar (plain or gzip, detected by magic) on top of `parent`.
   * Computes the diff ID while streaming. Entries are converted to overlayfs form
   * (whiteouts → 0:0 char devices, opaque dirs → trusted.overlay.opaque xattr).
   * Unsafe entries (.., absolute, escaping through links) reject the whole layer
   * (InvalidArgumentError) and nothing is left behind. If the resulting chain ID
   * already exists the new extraction is discarded. Does not retain.
   * With `publishAfter`, extraction starts at once (the parent may still be on its
   * way) and the layer is published only once that promise resolves (parent
   * unpacked, blob digest verified); a rejection discards it.
   */
  applyLayer(parent: string | null, tar: Readable, options?: { publishAfter?: Promise<unknown> }): Promise<LayerInfo>;
  /**
   * applyLayer for an extraction done elsewhere (a worker thread): `extract` fills the
   * empty directory it is given (with extractLayer's rules) and reports the diff ID and
   * size; publishing, pinning and clean-up are as for applyLayer.
   */
  applyExtracted(parent: string | null, extract: (diffDir: string) => Promise<{ diffId: string; size: number }>, options?: { publishAfter?: Promise<unknown> }): Promise<LayerInfo>;
  has(chainId: string): boolean;
  get(chainId: string): LayerInfo | undefined;
  /** Chain IDs of a diff-ID list, bottom first (pure computation). */
  chainIds(diffIds: string[]): string[];
  /** +1 reference on each chain ID (each must exist). */
  retain(chainIds: string[]): void;
  /** -1 reference on each; layers that reach zero are deleted (top first). */
  release(chainIds: string[]): Promise<void>;
  /** Overlay lower dirs for the chain ending at `chainId`, topmost first. */
  lowerDirs(chainId: string): string[];
  /** Total unpacked size of the chain ending at `chainId`. */
  chainSize(chainId: string): number;
  /** Start-up repair: drop half-extracted dirs and rows/dirs that disagree. */
  repair(): Promise<void>;
}

export interface RootfsStore {
  /** Create the container's upper/work dirs on top of the image chain and retain the chain. */
  create(containerId: string, chainId: string | null): Promise<void>;
  /** Mount overlayfs (idempotent); returns the rootfs path. */
  mount(containerId: string): Promise<string>;
  /** Unmount (idempotent; lazy-detach if busy). */
  unmount(containerId: string): Promise<void>;
  isMounted(containerId: string): boolean;
  /** Unmount, delete the dirs, release the chain. Idempotent. */
  remove(containerId: string): Promise<void>;
  rootfsPath(containerId: string): string;
  upperDir(containerId: string): string;
  /** The image layers under the container, topmost first (an empty dir for a layerless image). */
  lowerDirs(containerId: string): string[];
  /** Bytes in the upper dir (docker ps -s "SizeRw"). */
  sizeRw(containerId: string): Promise<number>;
  /** IDs of all container rootfs dirs on disk (for start-up reconciliation). */
  list(): Promise<string[]>;
}
