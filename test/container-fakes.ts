// Stand-ins for the image service and layer/rootfs stores used by the container tests:
// one busybox image whose single "layer" is a prepared directory, and container rootfs
// as real overlayfs mounts on top of it (upper/work per container).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { NotFoundError, NotImplementedError } from '../src/errors';
import type { Image, ImageRuntimeConfig, ImageService } from '../src/image/types';
import type { LayerInfo, LayerStore, RootfsStore } from '../src/snapshot/types';

export const BUSYBOX_ID = 'sha256:' + 'b'.repeat(64);
export const BUSYBOX_CHAIN = 'sha256:' + 'c'.repeat(64);

export function fakeImages(config: ImageRuntimeConfig = { Cmd: ['sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] }): ImageService {
  const image: Image = {
    id: BUSYBOX_ID,
    config: { architecture: 'amd64', os: 'linux', config, rootfs: { type: 'layers', diff_ids: [] } },
    layers: [], chainId: BUSYBOX_CHAIN, repoTags: ['busybox:latest'], repoDigests: [], size: 0, createdAt: new Date().toISOString(),
  };
  const find = (ref: string) => (['busybox', 'busybox:latest', BUSYBOX_ID, BUSYBOX_ID.slice(7), BUSYBOX_ID.slice(7, 19)].includes(ref) ? image : undefined);
  const unsupported = (): never => { throw new NotImplementedError('fake'); };
  return {
    get: (ref) => { const i = find(ref); if (!i) throw new NotFoundError(`No such image: ${ref}`); return i; },
    find,
    list: () => [image],
    importTar: unsupported, load: unsupported, commit: unsupported, save: unsupported as (refs: string[]) => Readable, layerBlob: unsupported, tag: unsupported,
    remove: unsupported, history: unsupported, prune: unsupported, setUsageChecker: () => undefined, repair: async () => undefined,
  };
}

export function fakeLayers(lowerDir: string): LayerStore {
  const info: LayerInfo = { chainId: BUSYBOX_CHAIN, diffId: BUSYBOX_CHAIN, parent: null, size: 1000 };
  const unsupported = (): never => { throw new NotImplementedError('fake'); };
  return {
    applyLayer: unsupported, applyExtracted: unsupported, has: (c) => c === BUSYBOX_CHAIN, get: (c) => (c === BUSYBOX_CHAIN ? info : undefined),
    chainIds: () => [BUSYBOX_CHAIN], retain: () => undefined, release: async () => undefined,
    lowerDirs: () => [lowerDir], chainSize: () => 1000, repair: async () => undefined,
  };
}

function isMountPoint(p: string): boolean {
  return fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === p);
}

export function fakeRootfs(root: string, lowerDir: string): RootfsStore {
  const dir = (id: string) => path.join(root, id);
  const store: RootfsStore = {
    async create(id) {
      for (const d of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir(id), d), { recursive: true });
    },
    async mount(id) {
      const merged = path.join(dir(id), 'merged');
      if (!isMountPoint(merged)) {
        execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lowerDir},upperdir=${path.join(dir(id), 'upper')},workdir=${path.join(dir(id), 'work')}`, merged]);
      }
      return merged;
    },
    async unmount(id) {
      const merged = path.join(dir(id), 'merged');
      if (isMountPoint(merged)) execFileSync('umount', [merged]);
    },
    isMounted: (id) => isMountPoint(path.join(dir(id), 'merged')),
    async remove(id) {
      await store.unmount(id);
      fs.rmSync(dir(id), { recursive: true, force: true });
    },
    rootfsPath: (id) => path.join(dir(id), 'merged'),
    upperDir: (id) => path.join(dir(id), 'upper'),
    lowerDirs: () => [lowerDir],
    async sizeRw(id) {
      let total = 0;
      const walk = (p: string) => {
        for (const e of fs.readdirSync(p, { withFileTypes: true })) {
          const f = path.join(p, e.name);
          if (e.isDirectory()) walk(f); else total += fs.lstatSync(f).size;
        }
      };
      try { walk(path.join(dir(id), 'upper')); } catch { /* none */ }
      return total;
    },
    async list() {
      try { return fs.readdirSync(root); } catch { return []; }
    },
  };
  return store;
}
