// The repositories present under the root: directories holding _layers or _manifests.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isValidName } from '../names';
import type { Layout } from './layout';
import { isNotFound } from './fsutil';
import { byteOrder } from './manifests';

export async function listRepositories(layout: Layout): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (entries.some((e) => e.isDirectory() && (e.name === '_layers' || e.name === '_manifests')) && isValidName(prefix)) found.push(prefix);
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.')) await walk(path.join(dir, e.name), prefix ? `${prefix}/${e.name}` : e.name);
    }
  };
  await walk(layout.reposDir, '');
  return found.sort(byteOrder);
}
