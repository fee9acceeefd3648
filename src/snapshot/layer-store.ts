// Layers unpacked once per chain ID under <root>/<chain hex>/diff, each with a
// short symlink <root>/l/<16 hex> → ../<chain hex>/diff: mounts name lower dirs
// relative to <root>/l so overlay's option string (one page) fits 200+ layers.
//
// Crash safety: extraction happens in <root>/tmp-*; rename into place, link and
// row insert run back to back with no await between them, and deletion drops the
// row first, then renames the dir to tmp-* before removing it. Whatever a kill -9
// interrupts, repair() finds a tmp-* dir, a dir without a row, or a dangling link.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { extractLayer } from '../archive';
import { NotFoundError } from '../errors';
import type { MetadataDb } from '../store';
import { sha256Digest, stripDigestAlgo } from '../util/ids';
import { LayerTable } from './layer-db';
import { repairLayers } from './layer-repair';
import type { LayerInfo, LayerStore } from './types';

export class OverlayLayerStore implements LayerStore {
  readonly table: LayerTable;
  private readonly cache = new Map<string, LayerInfo>();
  /** Applied but not yet retained by their caller: never collected meanwhile. */
  private readonly fresh = new Set<string>();
  /** Parents of extractions in progress: never collected meanwhile. */
  private readonly pinned = new Map<string, number>();

  constructor(readonly root: string, db: MetadataDb) {
    fs.mkdirSync(this.linksDir(), { recursive: true });
    fs.mkdirSync(this.emptyDir(), { recursive: true });
    this.table = new LayerTable(db);
    for (const info of this.table.all()) this.cache.set(info.chainId, info);
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

  async applyLayer(parent: string | null, tar: Readable, options: { publishAfter?: Promise<unknown> } = {}): Promise<LayerInfo> {
    if (parent !== null && !this.has(parent) && !options.publishAfter) {
      tar.destroy();
      throw new NotFoundError(`parent layer ${parent} not found`);
    }
    return this.applyExtracted(parent, (dir) => extractLayer(tar, dir), options);
  }

  async applyExtracted(parent: string | null, extract: (diffDir: string) => Promise<{ diffId: string; size: number }>, options: { publishAfter?: Promise<unknown> } = {}): Promise<LayerInfo> {
    if (parent !== null && !this.has(parent) && !options.publishAfter) throw new NotFoundError(`parent layer ${parent} not found`);
    const tmp = path.join(this.root, `tmp-${randomBytes(8).toString('hex')}`);
    if (parent !== null) this.pinned.set(parent, (this.pinned.get(parent) ?? 0) + 1);
    try {
      await fsp.mkdir(path.join(tmp, 'diff'), { recursive: true, mode: 0o755 });
      const { diffId, size } = await extract(path.join(tmp, 'diff'));
      if (options.publishAfter) await options.publishAfter;
      const info = this.publish(tmp, { chainId: parent === null ? diffId : sha256Digest(`${parent} ${diffId}`), diffId, parent, size });
      this.fresh.add(info.chainId);
      return info;
    } finally {
      if (parent !== null) {
        const n = (this.pinned.get(parent) ?? 1) - 1;
        if (n > 0) this.pinned.set(parent, n); else this.pinned.delete(parent);
      }
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  }

  /** Moves an extracted layer into place (synchronously: no interleaving), or keeps the stored twin. */
  private publish(tmp: string, info: LayerInfo): LayerInfo {
    const existing = this.cache.get(info.chainId);
    if (existing) return existing;
    if (info.parent !== null && !this.cache.has(info.parent)) throw new NotFoundError(`parent layer ${info.parent} not found`);
    const final = this.layerDir(info.chainId);
    if (fs.existsSync(final)) fs.renameSync(final, path.join(this.root, `tmp-${randomBytes(8).toString('hex')}`)); // stray from a crash
    fs.renameSync(tmp, final);
    const link = this.linkPath(info.chainId);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(`../${stripDigestAlgo(info.chainId)}/diff`, link);
    this.table.insert(info);
    this.cache.set(info.chainId, info);
    return info;
  }

  has(chainId: string): boolean {
    return this.cache.has(chainId);
  }

  get(chainId: string): LayerInfo | undefined {
    return this.cache.get(chainId);
  }

  retain(chainIds: string[]): void {
    this.table.transaction(() => {
      for (const id of chainIds) if (!this.table.increment(id)) throw new NotFoundError(`layer ${id} not found`);
    });
    for (const id of chainIds) this.fresh.delete(id);
  }

  async release(chainIds: string[]): Promise<void> {
    this.table.transaction(() => { for (const id of chainIds) this.table.decrement(id); });
    await this.collect();
  }

  lowerDirs(chainId: string): string[] {
    return this.chain(chainId).reverse().map((id) => this.linkPath(id));
  }

  chainSize(chainId: string): number {
    return this.chain(chainId).reduce((sum, id) => sum + (this.cache.get(id)?.size ?? 0), 0);
  }

  /** Chain IDs from the bottom layer up to `top`. */
  chain(top: string): string[] {
    const ids: string[] = [];
    for (let cur: string | null = top; cur !== null;) {
      const info = this.cache.get(cur);
      if (!info) throw new NotFoundError(`layer ${cur} not found`);
      ids.push(cur);
      cur = info.parent;
    }
    return ids.reverse();
  }

  /** Takes references on a chain for `owner` (a container) in one transaction with its record. Idempotent. */
  holdFor(owner: string, chainId: string | null): void {
    this.table.transaction(() => {
      if (this.table.ownerChain(owner) !== undefined) return;
      this.table.addOwner(owner, chainId);
      if (chainId !== null) this.retain(this.chain(chainId));
    });
  }

  /** Drops `owner`'s record and references together, then collects. Idempotent. */
  async dropFor(owner: string): Promise<void> {
    this.table.transaction(() => {
      const chainId = this.table.ownerChain(owner);
      if (chainId === undefined) return;
      this.table.deleteOwner(owner);
      // Walks only the layers still present: repair may have dropped a broken chain.
      for (let cur = chainId; cur !== null && this.cache.has(cur); cur = this.cache.get(cur)?.parent ?? null) this.table.decrement(cur);
    });
    await this.collect();
  }

  ownerChain(owner: string): string | null | undefined {
    return this.table.ownerChain(owner);
  }

  /** An empty directory: the only lower dir of a container without image layers. */
  emptyDir(): string {
    return path.join(this.root, 'empty');
  }

  linksDir(): string {
    return path.join(this.root, 'l');
  }

  async repair(): Promise<void> {
    await repairLayers(this, this.cache);
    await this.collect();
  }

  /** Deletes unreferenced leaf layers until none is left (children go before parents). */
  async collect(): Promise<void> {
    for (;;) {
      const victims = this.table.collectable().filter((id) => !this.fresh.has(id) && !this.pinned.has(id));
      if (victims.length === 0) return;
      for (const id of victims) await this.drop(id);
    }
  }

  /** Removes one layer: row first, then the dir (renamed away at once so the name is free). */
  async drop(chainId: string): Promise<void> {
    this.table.delete(chainId);
    this.cache.delete(chainId);
    fs.rmSync(this.linkPath(chainId), { force: true });
    const doomed = path.join(this.root, `tmp-${randomBytes(8).toString('hex')}`);
    try {
      fs.renameSync(this.layerDir(chainId), doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await fsp.rm(doomed, { recursive: true, force: true });
  }

  layerDir(chainId: string): string {
    return path.join(this.root, stripDigestAlgo(chainId));
  }

  linkPath(chainId: string): string {
    return path.join(this.linksDir(), stripDigestAlgo(chainId).slice(0, 16));
  }
}
