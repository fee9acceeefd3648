// Start-up repair of the layer store after a crash: removes half-extracted and
// half-deleted dirs (tmp-*), dirs without a row, rows without a dir, layers whose
// parent is gone, and stale short links; recreates missing short links.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { log } from '../util/logger';
import { stripDigestAlgo } from '../util/ids';
import type { OverlayLayerStore } from './layer-store';
import type { LayerInfo } from './types';

const LAYER_DIR = /^[a-f0-9]{64}$/;

export async function repairLayers(store: OverlayLayerStore, cache: Map<string, LayerInfo>): Promise<void> {
  const known = new Set([...cache.keys()].map(stripDigestAlgo));
  for (const name of await fsp.readdir(store.root)) {
    if (name.startsWith('tmp-') || (LAYER_DIR.test(name) && !known.has(name))) {
      log.info('removing leftover layer directory', { dir: name });
      await fsp.rm(path.join(store.root, name), { recursive: true, force: true });
    }
  }
  // Rows whose content vanished, then (repeatedly) layers standing on a dropped parent.
  for (const info of [...cache.values()]) {
    if (!fs.existsSync(path.join(store.layerDir(info.chainId), 'diff'))) {
      log.warn('dropping layer whose directory is missing', { chainId: info.chainId });
      await store.drop(info.chainId);
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const info of [...cache.values()]) {
      if (info.parent !== null && !cache.has(info.parent)) {
        log.warn('dropping layer whose parent is missing', { chainId: info.chainId });
        await store.drop(info.chainId);
        changed = true;
      }
    }
  }
  // Short links: exactly one per layer, pointing at its diff dir.
  const wanted = new Map([...cache.keys()].map((id) => [path.basename(store.linkPath(id)), `../${stripDigestAlgo(id)}/diff`]));
  for (const name of await fsp.readdir(store.linksDir())) {
    const link = path.join(store.linksDir(), name);
    const target = await fsp.readlink(link).catch(() => undefined);
    if (wanted.get(name) !== target) await fsp.rm(link, { recursive: true, force: true });
    else wanted.delete(name);
  }
  for (const [name, target] of wanted) await fsp.symlink(target, path.join(store.linksDir(), name));
}
