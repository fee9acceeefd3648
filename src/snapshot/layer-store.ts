// Layers unpacked once per chain ID under <root>/<chain hex>/diff, with a short
// symlink <root>/l/<id16> → ../<chain hex>/diff so overlay's lowerdir option
// (limited to one page) fits ~100 layers. Reference counts live in SQLite.
//
// Crash safety: extraction happens in <root>/tmp-*; the rename into place comes
// before the row insert, so a crash leaves either a tmp dir or a dir without a
// row — both removed by repair().
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extractLayer } from '../archive';
import { NotFoundError } from '../errors';
import { migrate, type MetadataDb } from '../store';
import { sha256Digest, stripDigestAlgo } from '../util/ids';
import type { LayerInfo, LayerStore } from './types';

interface LayerRow { chain_id: string; diff_id: string; parent: string | null; size: number; refs: number }

export class OverlayLayerStore implements LayerStore {
  private readonly cache = new Map<string, LayerInfo>();
  /** Applied but not yet retained by their caller: never garbage-collected meanwhile. */
  private readonly fresh = new Set<string>();

  constructor(private readonly root: string, private readonly db: MetadataDb) {
    fs.mkdirSync(path.join(root, 'l'), { recursive: true });
    fs.mkdirSync(this.emptyDir(), { recursive: true });
    migrate(db, [
      `CREATE TABLE IF NOT EXISTS layers (
        chain_id TEXT PRIMARY KEY, diff_id TEXT NOT NULL, parent TEXT, size INTEGER NOT NULL, refs INTEGER NOT NULL DEFAULT 0)`,
    ]);
    for (const row of db.prepare('SELECT * FROM layers').all() as LayerRow[]) this.cache.set(row.chain_id, toInfo(row));
  }

  chainIds(diffIds: string[]): string[] {
    const out: string[] = [];
    let parent: string | null = null;
    for (const diffId of diffIds) {
      const chain: string = parent === null ? diffId : sha256Digest(`${parent} ${diffId}`);
      out.push(chain);
      parent = chain;
    }
    return out;
  }

  async applyLayer(parent: string | null, tar: Readable): Promise<LayerInfo> {
    if (parent !== null && !this.has(parent)) throw new NotFoundError(`parent layer ${parent} not found`);
    const tmp = path.join(this.root, `tmp-${randomBytes(8).toString('hex')}`);
    const diff = path.join(tmp, 'diff');
    await fsp.mkdir(diff, { recursive: true, mode: 0o755 });
    try {
      const { diffId, size } = await extractLayer(tar, diff);
      const chainId = parent === null ? diffId : sha256Digest(`${parent} ${diffId}`);
      const existing = this.get(chainId);
      if (existing) {
        await fsp.rm(tmp, { recursive: true, force: true });
        this.fresh.add(chainId);
        return existing;
      }
      const hex = stripDigestAlgo(chainId);
      const final = path.join(this.root, hex);
      try {
        await fsp.rename(tmp, final);
      } catch (err) {
        const again = this.get(chainId);
        if (again) { await fsp.rm(tmp, { recursive: true, force: true }); return again; }
        throw err;
      }
      await fsp.rm(this.linkPath(chainId), { force: true });
      await fsp.symlink(`../${hex}/diff`, this.linkPath(chainId));
      const info: LayerInfo = { chainId, diffId, parent, size };
      this.db.prepare('INSERT INTO layers (chain_id, diff_id, parent, size, refs) VALUES (?, ?, ?, ?, 0)').run(chainId, diffId, parent, size);
      this.cache.set(chainId, info);
      this.fresh.add(chainId);
      return info;
    } catch (err) {
      await fsp.rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  has(chainId: string): boolean {
    return this.cache.has(chainId);
  }

  get(chainId: string): LayerInfo | undefined {
    return this.cache.get(chainId);
  }

  retain(chainIds: string[]): void {
    const stmt = this.db.prepare('UPDATE layers SET refs = refs + 1 WHERE chain_id = ?');
    this.db.transaction(() => {
      for (const id of chainIds) {
        if (stmt.run(id).changes !== 1) throw new NotFoundError(`layer ${id} not found`);
      }
    })();
    for (const id of chainIds) this.fresh.delete(id);
  }

  async release(chainIds: string[]): Promise<void> {
    const dec = this.db.prepare('UPDATE layers SET refs = MAX(refs - 1, 0) WHERE chain_id = ?');
    this.db.transaction(() => { for (const id of chainIds) dec.run(id); })();
    await this.collect();
  }

  lowerDirs(chainId: string): string[] {
    const dirs: string[] = [];
    let cur: string | null = chainId;
    while (cur !== null) {
      const info = this.get(cur);
      if (!info) throw new NotFoundError(`layer ${cur} not found`);
      dirs.push(this.linkPath(cur));
      cur = info.parent;
    }
    return dirs;
  }

  chainSize(chainId: string): number {
    let total = 0;
    let cur: string | null = chainId;
    while (cur !== null) {
      const info = this.get(cur);
      if (!info) break;
      total += info.size;
      cur = info.parent;
    }
    return total;
  }

  /** An empty directory used as the only lower dir of a container without image layers. */
  emptyDir(): string {
    return path.join(this.root, 'empty');
  }

  async repair(): Promise<void> {
    const known = new Set([...this.cache.keys()].map(stripDigestAlgo));
    for (const name of await fsp.readdir(this.root)) {
      if (name === 'l' || name === 'empty') continue;
      if (name.startsWith('tmp-') || !known.has(name)) await fsp.rm(path.join(this.root, name), { recursive: true, force: true });
    }
    // Rows whose dir vanished, and layers whose parent is gone, cannot be used.
    for (const info of [...this.cache.values()]) {
      if (!fs.existsSync(path.join(this.root, stripDigestAlgo(info.chainId), 'diff'))) this.dropRow(info.chainId);
    }
    let changed = true;
    while (changed) {
      changed = false;
      for (const info of [...this.cache.values()]) {
        if (info.parent !== null && !this.has(info.parent)) { this.dropRow(info.chainId); await this.removeDirs(info.chainId); changed = true; }
      }
    }
    for (const name of await fsp.readdir(path.join(this.root, 'l'))) {
      const link = path.join(this.root, 'l', name);
      if (!fs.existsSync(link)) await fsp.rm(link, { force: true });
    }
    await this.collect();
  }

  /** Deletes unreferenced layers that are no other layer's parent, until none is left. */
  private async collect(): Promise<void> {
    for (;;) {
      const rows = this.db.prepare('SELECT chain_id FROM layers WHERE refs = 0 AND chain_id NOT IN (SELECT parent FROM layers WHERE parent IS NOT NULL)').all() as Array<{ chain_id: string }>;
      const victims = rows.filter((r) => !this.fresh.has(r.chain_id));
      if (victims.length === 0) return;
      for (const { chain_id } of victims) {
        this.dropRow(chain_id);
        await this.removeDirs(chain_id);
      }
    }
  }

  private dropRow(chainId: string): void {
    this.db.prepare('DELETE FROM layers WHERE chain_id = ?').run(chainId);
    this.cache.delete(chainId);
  }

  private async removeDirs(chainId: string): Promise<void> {
    await fsp.rm(this.linkPath(chainId), { force: true });
    await fsp.rm(path.join(this.root, stripDigestAlgo(chainId)), { recursive: true, force: true });
  }

  private linkPath(chainId: string): string {
    return path.join(this.root, 'l', stripDigestAlgo(chainId).slice(0, 16));
  }
}

function toInfo(row: LayerRow): LayerInfo {
  return { chainId: row.chain_id, diffId: row.diff_id, parent: row.parent, size: row.size };
}
