// Shared set-up for the image and content tests: a real content store, a real
// overlay layer store and SQLite in a temp dir, plus small tar builders.
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { openMetadataDb, type MetadataDb } from '../src/store';
import { EventBus, type EngineEvent } from '../src/events';
import { createContentStore, type ContentStore } from '../src/content';
import { createLayerStore } from '../src/snapshot';
import type { LayerStore } from '../src/snapshot/types';
import { createImageService } from '../src/image';
import type { ImageService } from '../src/image/types';

export interface Store {
  images: ImageService;
  content: ContentStore;
  layers: LayerStore;
  events: EventBus;
  seen: EngineEvent[];
  root: string;
  tmpDir: string;
  db: MetadataDb;
}

const roots: string[] = [];
const dbs: MetadataDb[] = [];
after(() => {
  for (const db of dbs) db.close();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

export function newStore(): Store {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-img-'));
  roots.push(root);
  const db = openMetadataDb(path.join(root, 'db'));
  dbs.push(db);
  const events = new EventBus();
  const seen: EngineEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const content = createContentStore(path.join(root, 'content'));
  const layers = createLayerStore(path.join(root, 'layers'), db);
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(tmpDir);
  return { images: createImageService({ db, content, layers, events, tmpDir }), content, layers, events, seen, root, tmpDir, db };
}

/** What a failed operation must not leave behind. */
export async function leftovers(s: Store): Promise<{ blobs: number; layers: number; tmp: string[]; ingest: string[] }> {
  const layerDirs = fs.readdirSync(path.join(s.root, 'layers')).filter((n) => /^[a-f0-9]{64}$/.test(n) || n.startsWith('tmp-'));
  return {
    blobs: (await s.content.list()).length,
    layers: layerDirs.length,
    tmp: fs.readdirSync(s.tmpDir),
    ingest: fs.readdirSync(path.join(s.root, 'content', 'ingest')),
  };
}

export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export type TarBody = Buffer | string | { type: 'symlink' | 'directory'; linkname?: string };

export async function tarOf(files: Record<string, TarBody>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) {
    if (typeof body === 'string' || Buffer.isBuffer(body)) pack.entry({ name, mtime: new Date(0), mode: 0o644 }, body);
    else pack.entry({ name, mtime: new Date(0), mode: body.type === 'directory' ? 0o755 : 0o777, type: body.type, linkname: body.linkname });
  }
  pack.finalize();
  return collect(pack as unknown as Readable);
}

export const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export const streamOf = (b: Buffer): Readable => Readable.from([b]);

/** A small layer tar with one file. */
export function layerTar(name: string, content: string): Promise<Buffer> {
  return tarOf({ [name]: content });
}

export function configFor(layers: Buffer[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    architecture: 'amd64', os: 'linux', created: '2024-01-01T00:00:00Z', config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha(l)}`) }, ...extra,
  });
}
