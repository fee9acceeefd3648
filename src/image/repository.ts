// Image records and their references in SQLite, mirrored in memory for fast reads.
import { migrate, type MetadataDb } from '../store';
import type { Image, ImageConfigFile, ImageLayer } from './types';
import { familiarString, parseReference } from './reference';

interface ImageRow {
  id: string; config: string; layers: string; chain_id: string | null; manifest_digest: string | null;
  size: number; created_at: string; parent_id: string | null; last_tag_time: string | null;
}
interface RefRow { ref: string; image_id: string; kind: 'tag' | 'digest' }

export interface StoredImage {
  id: string;
  config: ImageConfigFile;
  layers: ImageLayer[];
  chainId: string | null;
  manifestDigest?: string;
  size: number;
  createdAt: string;
  parentId?: string;
  lastTagTime?: string;
}

export class ImageRepository {
  private readonly images = new Map<string, StoredImage>();
  /** Full reference string → image ID. */
  private readonly refs = new Map<string, { imageId: string; kind: 'tag' | 'digest' }>();

  constructor(private readonly db: MetadataDb) {
    migrate(db, [
      `CREATE TABLE IF NOT EXISTS images (
        id TEXT PRIMARY KEY, config TEXT NOT NULL, layers TEXT NOT NULL, chain_id TEXT, manifest_digest TEXT,
        size INTEGER NOT NULL, created_at TEXT NOT NULL, parent_id TEXT, last_tag_time TEXT)`,
      `CREATE TABLE IF NOT EXISTS image_refs (ref TEXT PRIMARY KEY, image_id TEXT NOT NULL, kind TEXT NOT NULL)`,
    ]);
    for (const row of db.prepare('SELECT * FROM images').all() as ImageRow[]) {
      this.images.set(row.id, {
        id: row.id, config: JSON.parse(row.config) as ImageConfigFile, layers: JSON.parse(row.layers) as ImageLayer[],
        chainId: row.chain_id, manifestDigest: row.manifest_digest ?? undefined, size: row.size,
        createdAt: row.created_at, parentId: row.parent_id ?? undefined, lastTagTime: row.last_tag_time ?? undefined,
      });
    }
    for (const row of db.prepare('SELECT * FROM image_refs').all() as RefRow[]) this.refs.set(row.ref, { imageId: row.image_id, kind: row.kind });
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  all(): StoredImage[] {
    return [...this.images.values()];
  }

  byId(id: string): StoredImage | undefined {
    return this.images.get(id);
  }

  insert(image: StoredImage): void {
    this.db.prepare(`INSERT OR REPLACE INTO images (id, config, layers, chain_id, manifest_digest, size, created_at, parent_id, last_tag_time)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(image.id, JSON.stringify(image.config), JSON.stringify(image.layers), image.chainId,
      image.manifestDigest ?? null, image.size, image.createdAt, image.parentId ?? null, image.lastTagTime ?? null);
    this.images.set(image.id, image);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM images WHERE id = ?').run(id);
    this.images.delete(id);
  }

  touchTagTime(id: string, time: string): void {
    const img = this.images.get(id);
    if (!img) return;
    img.lastTagTime = time;
    this.db.prepare('UPDATE images SET last_tag_time = ? WHERE id = ?').run(time, id);
  }

  refTarget(fullRef: string): string | undefined {
    return this.refs.get(fullRef)?.imageId;
  }

  /** Points `fullRef` at `imageId`; returns the image it pointed at before, if another. */
  setRef(fullRef: string, imageId: string, kind: 'tag' | 'digest'): string | undefined {
    const previous = this.refs.get(fullRef)?.imageId;
    this.db.prepare('INSERT OR REPLACE INTO image_refs (ref, image_id, kind) VALUES (?, ?, ?)').run(fullRef, imageId, kind);
    this.refs.set(fullRef, { imageId, kind });
    return previous !== imageId ? previous : undefined;
  }

  deleteRef(fullRef: string): void {
    this.db.prepare('DELETE FROM image_refs WHERE ref = ?').run(fullRef);
    this.refs.delete(fullRef);
  }

  /** Full reference strings of an image, tags first, in a stable order. */
  refsOf(imageId: string): Array<{ ref: string; kind: 'tag' | 'digest' }> {
    const out: Array<{ ref: string; kind: 'tag' | 'digest' }> = [];
    for (const [ref, v] of this.refs) if (v.imageId === imageId) out.push({ ref, kind: v.kind });
    return out.sort((a, b) => (a.kind === b.kind ? a.ref.localeCompare(b.ref) : a.kind === 'tag' ? -1 : 1));
  }

  toImage(stored: StoredImage): Image {
    const refs = this.refsOf(stored.id);
    return {
      id: stored.id,
      config: stored.config,
      layers: stored.layers,
      chainId: stored.chainId,
      manifestDigest: stored.manifestDigest,
      repoTags: refs.filter((r) => r.kind === 'tag').map((r) => familiarString(parseReference(r.ref))),
      repoDigests: refs.filter((r) => r.kind === 'digest').map((r) => familiarString(parseReference(r.ref))),
      size: stored.size,
      createdAt: stored.createdAt,
      parentId: stored.parentId ?? '',
    };
  }
}
