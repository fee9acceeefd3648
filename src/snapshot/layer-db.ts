// SQLite tables of the layer store. `layers` holds one row per unpacked layer
// with its reference count; `layer_owners` records which container rootfs holds
// which chain, so taking or dropping a container's references is one
// transaction with the record itself (kill -9 never leaks or double-frees).
import type { Statement } from 'better-sqlite3';
import { migrate, type MetadataDb } from '../store';
import type { LayerInfo } from './types';

interface LayerRow { chain_id: string; diff_id: string; parent: string | null; size: number; refs: number }

export class LayerTable {
  private readonly st: Record<'all' | 'insert' | 'incr' | 'decr' | 'del' | 'collectable' | 'owner' | 'owners' | 'addOwner' | 'delOwner', Statement>;

  constructor(readonly db: MetadataDb) {
    migrate(db, [
      `CREATE TABLE IF NOT EXISTS layers (
        chain_id TEXT PRIMARY KEY,
        diff_id TEXT NOT NULL,
        parent TEXT,
        size INTEGER NOT NULL,
        refs INTEGER NOT NULL DEFAULT 0)`,
      'CREATE INDEX IF NOT EXISTS layers_parent ON layers(parent)',
      `CREATE TABLE IF NOT EXISTS layer_owners (
        owner TEXT PRIMARY KEY,
        chain_id TEXT)`,
    ]);
    this.st = {
      all: db.prepare('SELECT chain_id, diff_id, parent, size, refs FROM layers'),
      insert: db.prepare('INSERT INTO layers (chain_id, diff_id, parent, size, refs) VALUES (?, ?, ?, ?, 0)'),
      incr: db.prepare('UPDATE layers SET refs = refs + 1 WHERE chain_id = ?'),
      decr: db.prepare('UPDATE layers SET refs = MAX(refs - 1, 0) WHERE chain_id = ?'),
      del: db.prepare('DELETE FROM layers WHERE chain_id = ?'),
      collectable: db.prepare(`SELECT chain_id FROM layers l WHERE refs = 0
        AND NOT EXISTS (SELECT 1 FROM layers c WHERE c.parent = l.chain_id)`),
      owner: db.prepare('SELECT chain_id FROM layer_owners WHERE owner = ?'),
      owners: db.prepare('SELECT owner FROM layer_owners'),
      addOwner: db.prepare('INSERT INTO layer_owners (owner, chain_id) VALUES (?, ?)'),
      delOwner: db.prepare('DELETE FROM layer_owners WHERE owner = ?'),
    };
  }

  all(): LayerInfo[] {
    return (this.st.all.all() as LayerRow[]).map((r) => ({ chainId: r.chain_id, diffId: r.diff_id, parent: r.parent, size: r.size }));
  }

  insert(info: LayerInfo): void {
    this.st.insert.run(info.chainId, info.diffId, info.parent, info.size);
  }

  /** +1 on each; false when a chain ID has no row. */
  increment(chainId: string): boolean {
    return this.st.incr.run(chainId).changes === 1;
  }

  decrement(chainId: string): void {
    this.st.decr.run(chainId);
  }

  delete(chainId: string): void {
    this.st.del.run(chainId);
  }

  /** Unreferenced layers that are nobody's parent: safe to delete now. */
  collectable(): string[] {
    return (this.st.collectable.all() as Array<{ chain_id: string }>).map((r) => r.chain_id);
  }

  /** undefined: no such owner; null: an owner without layers. */
  ownerChain(owner: string): string | null | undefined {
    const row = this.st.owner.get(owner) as { chain_id: string | null } | undefined;
    return row === undefined ? undefined : row.chain_id;
  }

  owners(): string[] {
    return (this.st.owners.all() as Array<{ owner: string }>).map((r) => r.owner);
  }

  addOwner(owner: string, chainId: string | null): void {
    this.st.addOwner.run(owner, chainId);
  }

  deleteOwner(owner: string): void {
    this.st.delOwner.run(owner);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
