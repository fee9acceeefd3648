// Per-container overlayfs: <root>/<id>/{upper,work,rootfs} on top of the image
// chain. Which chain a container holds is recorded in the layer store's owner
// table, in the same transaction as the layer references, so a restarted daemon
// can remount and a kill -9 never leaks or double-drops references. The
// container service owns everything else in <root>/<id>.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { NotFoundError } from '../errors';
import type { OverlayLayerStore } from './layer-store';
import { diskUsage } from './disk-usage';
import { isMountPoint } from './mountinfo';
import { mountOverlay, overlayOptions, unmountAll } from './overlay-mount';
import type { RootfsStore } from './types';

const ID = /^[a-f0-9]{64}$/;
const SUBDIRS = ['upper', 'work', 'rootfs'] as const;
/** Written by an earlier version of this store: adopted into the owner table at start. */
const LEGACY_CHAIN_FILE = 'rootfs-chain';

export class OverlayRootfsStore implements RootfsStore {
  constructor(private readonly root: string, private readonly layers: OverlayLayerStore) {
    fs.mkdirSync(root, { recursive: true });
    this.adoptLegacy();
  }

  async create(containerId: string, chainId: string | null): Promise<void> {
    const dir = this.dir(containerId);
    if (chainId !== null) this.layers.chain(chainId); // NotFoundError before anything is made
    await fsp.mkdir(dir, { recursive: true, mode: 0o711 });
    for (const sub of SUBDIRS) await fsp.mkdir(path.join(dir, sub), { recursive: true, mode: 0o755 });
    try {
      this.layers.holdFor(containerId, chainId);
    } catch (err) {
      for (const sub of SUBDIRS) await fsp.rm(path.join(dir, sub), { recursive: true, force: true });
      throw err;
    }
  }

  async mount(containerId: string): Promise<string> {
    const dir = this.dir(containerId);
    const target = path.join(dir, 'rootfs');
    if (isMountPoint(target)) return target;
    const chainId = this.layers.ownerChain(containerId);
    if (chainId === undefined) throw new NotFoundError(`rootfs of container ${containerId} not found`);
    const lowers = chainId === null ? [this.layers.emptyDir()] : this.layers.lowerDirs(chainId);
    for (const sub of SUBDIRS) await fsp.mkdir(path.join(dir, sub), { recursive: true, mode: 0o755 });
    mountOverlay(target, overlayOptions(lowers, path.join(dir, 'upper'), path.join(dir, 'work')));
    return target;
  }

  async unmount(containerId: string): Promise<void> {
    unmountAll(this.rootfsPath(containerId));
  }

  isMounted(containerId: string): boolean {
    return isMountPoint(this.rootfsPath(containerId));
  }

  async remove(containerId: string): Promise<void> {
    const dir = this.dir(containerId);
    unmountAll(path.join(dir, 'rootfs'));
    for (const sub of SUBDIRS) await fsp.rm(path.join(dir, sub), { recursive: true, force: true });
    await this.layers.dropFor(containerId);
  }

  rootfsPath(containerId: string): string {
    return path.join(this.dir(containerId), 'rootfs');
  }

  upperDir(containerId: string): string {
    return path.join(this.dir(containerId), 'upper');
  }

  lowerDirs(containerId: string): string[] {
    this.dir(containerId);
    const chainId = this.layers.ownerChain(containerId);
    if (chainId === undefined) throw new NotFoundError(`rootfs of container ${containerId} not found`);
    return chainId === null ? [this.layers.emptyDir()] : this.layers.lowerDirs(chainId);
  }

  async sizeRw(containerId: string): Promise<number> {
    return diskUsage(this.upperDir(containerId));
  }

  /** Containers with a rootfs record or rootfs dirs on disk. */
  async list(): Promise<string[]> {
    const ids = new Set(this.layers.table.owners().filter((o) => ID.test(o)));
    for (const name of await fsp.readdir(this.root)) {
      if (ID.test(name) && SUBDIRS.some((sub) => fs.existsSync(path.join(this.root, name, sub)))) ids.add(name);
    }
    return [...ids].sort();
  }

  private dir(containerId: string): string {
    if (!ID.test(containerId)) throw new NotFoundError(`No such container: ${containerId}`);
    return path.join(this.root, containerId);
  }

  /** Containers created by the file-based earlier version already hold their references. */
  private adoptLegacy(): void {
    for (const name of fs.readdirSync(this.root)) {
      const file = path.join(this.root, name, LEGACY_CHAIN_FILE);
      if (!ID.test(name) || !fs.existsSync(file)) continue;
      const chain = fs.readFileSync(file, 'utf8').trim();
      this.layers.table.transaction(() => {
        if (this.layers.ownerChain(name) === undefined) this.layers.table.addOwner(name, chain === '' ? null : chain);
      });
      fs.rmSync(file, { force: true });
    }
  }
}
