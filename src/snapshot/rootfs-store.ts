// Per-container overlayfs: <root>/<id>/{upper,work,rootfs} on top of the image chain.
// The chain ID is recorded in <root>/<id>/rootfs-chain so the mount can be rebuilt
// by a restarted daemon. The container service owns the rest of <root>/<id>.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { NotFoundError } from '../errors';
import * as native from '../native';
import { writeFileAtomic } from '../util/atomic-file';
import type { LayerStore, RootfsStore } from './types';
import type { OverlayLayerStore } from './layer-store';
import { isMountPoint } from './mountinfo';
import { diskUsage } from './disk-usage';

const CHAIN_FILE = 'rootfs-chain';

export class OverlayRootfsStore implements RootfsStore {
  constructor(private readonly root: string, private readonly layers: LayerStore & Pick<OverlayLayerStore, 'emptyDir'>) {
    fs.mkdirSync(root, { recursive: true });
  }

  async create(containerId: string, chainId: string | null): Promise<void> {
    const dir = this.dir(containerId);
    await fsp.mkdir(dir, { recursive: true, mode: 0o711 });
    for (const sub of ['upper', 'work', 'rootfs']) await fsp.mkdir(path.join(dir, sub), { recursive: true, mode: 0o755 });
    if (chainId !== null) this.layers.retain(this.chainOf(chainId));
    try {
      await writeFileAtomic(path.join(dir, CHAIN_FILE), chainId ?? '');
    } catch (err) {
      if (chainId !== null) await this.layers.release(this.chainOf(chainId));
      throw err;
    }
  }

  async mount(containerId: string): Promise<string> {
    const target = this.rootfsPath(containerId);
    if (this.isMounted(containerId)) return target;
    const chainId = this.readChain(containerId);
    const lower = chainId === null ? [this.layers.emptyDir()] : this.layers.lowerDirs(chainId);
    const dir = this.dir(containerId);
    const data = `lowerdir=${lower.join(':')},upperdir=${path.join(dir, 'upper')},workdir=${path.join(dir, 'work')}`;
    native.mount('overlay', target, 'overlay', 0, data);
    return target;
  }

  async unmount(containerId: string): Promise<void> {
    const target = this.rootfsPath(containerId);
    while (isMountPoint(target)) {
      try {
        native.umount2(target, 0);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EINVAL' || code === 'ENOENT') return;
        if (code !== 'EBUSY') throw err;
        native.umount2(target, native.MNT_DETACH);
      }
    }
  }

  isMounted(containerId: string): boolean {
    return isMountPoint(this.rootfsPath(containerId));
  }

  async remove(containerId: string): Promise<void> {
    const dir = this.dir(containerId);
    if (!fs.existsSync(dir)) return;
    await this.unmount(containerId);
    let chainId: string | null = null;
    try { chainId = this.readChain(containerId); } catch { chainId = null; }
    for (const sub of ['rootfs', 'upper', 'work']) await fsp.rm(path.join(dir, sub), { recursive: true, force: true });
    const chainFile = path.join(dir, CHAIN_FILE);
    if (fs.existsSync(chainFile)) {
      await fsp.rm(chainFile, { force: true });
      if (chainId !== null) await this.layers.release(this.chainOf(chainId));
    }
  }

  rootfsPath(containerId: string): string {
    return path.join(this.dir(containerId), 'rootfs');
  }

  upperDir(containerId: string): string {
    return path.join(this.dir(containerId), 'upper');
  }

  async sizeRw(containerId: string): Promise<number> {
    return diskUsage(this.upperDir(containerId));
  }

  async list(): Promise<string[]> {
    const names = await fsp.readdir(this.root);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n) && fs.existsSync(path.join(this.root, n, CHAIN_FILE)));
  }

  private dir(containerId: string): string {
    if (!/^[a-f0-9]{64}$/.test(containerId)) throw new NotFoundError(`No such container: ${containerId}`);
    return path.join(this.root, containerId);
  }

  private readChain(containerId: string): string | null {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.dir(containerId), CHAIN_FILE), 'utf8').trim();
    } catch {
      throw new NotFoundError(`rootfs of container ${containerId} not found`);
    }
    return text === '' ? null : text;
  }

  /** All chain IDs from the bottom layer to `top`. */
  private chainOf(top: string): string[] {
    const ids: string[] = [];
    let cur: string | null = top;
    while (cur !== null) {
      const info = this.layers.get(cur);
      if (!info) throw new NotFoundError(`layer ${cur} not found`);
      ids.push(cur);
      cur = info.parent;
    }
    return ids.reverse();
  }
}
