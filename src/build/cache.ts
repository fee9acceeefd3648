// The build cache: content keys → the image each step produced. Rows live in the
// metadata DB (so the cache survives restarts); an entry whose image was deleted
// is a miss and is dropped.
import { createHash } from 'node:crypto';
import { migrate, type MetadataDb } from '../store';

export interface CacheKeyParts {
  parent: string; // parent image ID ('' for scratch)
  platform: string;
  /** The step's recorded command (container_config.Cmd). */
  cmd: string[];
  /** The runtime config after the step. */
  config: unknown;
  /** Everything else the step read: file checksums, build args in effect, mounts. */
  inputs: string[];
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(JSON.stringify(['berth-build-cache-v1', parts.parent, parts.platform, parts.cmd, parts.config, parts.inputs])).digest('hex');
}

export class BuildCache {
  constructor(private readonly db: MetadataDb) {
    migrate(db, [
      `CREATE TABLE IF NOT EXISTS build_cache (
        key TEXT PRIMARY KEY,
        image_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used INTEGER NOT NULL
      )`,
      'CREATE INDEX IF NOT EXISTS build_cache_image ON build_cache(image_id)',
    ]);
  }

  /** The cached image ID, if its image still exists (`exists` checks). */
  lookup(key: string, exists: (imageId: string) => boolean): string | undefined {
    const row = this.db.prepare('SELECT image_id FROM build_cache WHERE key = ?').get(key) as { image_id: string } | undefined;
    if (!row) return undefined;
    if (!exists(row.image_id)) {
      this.db.prepare('DELETE FROM build_cache WHERE key = ?').run(key);
      return undefined;
    }
    this.db.prepare('UPDATE build_cache SET last_used = ? WHERE key = ?').run(Date.now(), key);
    return row.image_id;
  }

  store(key: string, imageId: string): void {
    const now = Date.now();
    this.db.prepare('INSERT OR REPLACE INTO build_cache (key, image_id, created_at, last_used) VALUES (?, ?, ?, ?)').run(key, imageId, now, now);
  }

  entries(): Array<{ key: string; imageId: string }> {
    return (this.db.prepare('SELECT key, image_id FROM build_cache').all() as Array<{ key: string; image_id: string }>)
      .map((r) => ({ key: r.key, imageId: r.image_id }));
  }

  delete(keys: string[]): void {
    const del = this.db.prepare('DELETE FROM build_cache WHERE key = ?');
    this.db.transaction(() => { for (const k of keys) del.run(k); })();
  }
}
