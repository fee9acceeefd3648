import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { openMetadataDb, type MetadataDb } from '../src/store';
import { EventBus } from '../src/events';
import { createContentStore } from '../src/content';
import { createLayerStore } from '../src/snapshot';
import { buildBusyboxRootfsTar, createImageService, normalizeReference, parseReference } from '../src/image';
import type { ImageService } from '../src/image/types';

const roots: string[] = [];
const dbs: MetadataDb[] = [];
after(() => {
  for (const db of dbs) db.close();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function newStore(): { images: ImageService; events: EventBus; root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-img-'));
  roots.push(root);
  const db = openMetadataDb(path.join(root, 'db'));
  dbs.push(db);
  const events = new EventBus();
  const content = createContentStore(path.join(root, 'content'));
  const layers = createLayerStore(path.join(root, 'layers'), db);
  fs.mkdirSync(path.join(root, 'tmp'));
  return { images: createImageService({ db, content, layers, events, tmpDir: path.join(root, 'tmp') }), events, root };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function tarOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name, mtime: new Date(0), mode: 0o644 }, body);
  pack.finalize();
  return collect(pack as unknown as Readable);
}

test('references normalise like Docker', () => {
  assert.equal(normalizeReference('busybox'), 'busybox:latest');
  assert.equal(normalizeReference('docker.io/library/busybox:1'), 'busybox:1');
  assert.equal(normalizeReference('127.0.0.1:5000/x/y'), '127.0.0.1:5000/x/y:latest');
  assert.deepEqual(parseReference('localhost/a'), { domain: 'localhost', path: 'a', tag: undefined, digest: undefined });
  assert.throws(() => parseReference('Busybox'), /repository name \(library\/Busybox\) must be lowercase/);
  assert.throws(() => parseReference('a b'), /invalid reference format/);
});

test('import: stable ID for the same input, changes applied, tagged, events', async () => {
  const { images, events } = newStore();
  const seen: string[] = [];
  events.subscribe((e) => seen.push(e.Action));
  const opts = { reference: 'bb:1', changes: ['CMD ["sh"]', 'ENV A=1 B="two words"', 'LABEL x=y', 'WORKDIR /srv', 'EXPOSE 80'], created: '2024-01-01T00:00:00Z' };
  const a = await images.importTar(buildBusyboxRootfsTar(), opts);
  const b = await images.importTar(buildBusyboxRootfsTar(), opts);
  assert.equal(a.id, b.id);
  assert.deepEqual(a.repoTags, ['bb:1']);
  assert.deepEqual(a.config.config?.Cmd, ['sh']);
  assert.deepEqual(a.config.config?.Env, ['A=1', 'B=two words']);
  assert.equal(a.config.config?.WorkingDir, '/srv');
  assert.deepEqual(a.config.config?.ExposedPorts, { '80/tcp': {} });
  assert.equal(a.config.history?.[0].comment, 'Imported from -');
  assert.ok(a.size > 1_000_000);
  assert.deepEqual(seen.slice(0, 2), ['import', 'tag']);
  assert.equal(images.get('bb:1').id, a.id);
  assert.equal(images.get(a.id.slice(7, 19)).id, a.id);
  assert.throws(() => images.get('nope'), /No such image: nope:latest/);
  await assert.rejects(images.importTar(buildBusyboxRootfsTar(), { changes: ['RUN true'] }), /run is not a valid change command/);
});

test('save then load into a fresh store keeps the image ID and tags', async () => {
  const first = newStore();
  const img = await first.images.importTar(buildBusyboxRootfsTar(), { reference: 'busybox:latest', changes: ['CMD ["sh"]'] });
  const archive = await collect(first.images.save(['busybox']));
  const second = newStore();
  const { images, messages } = await second.images.load(Readable.from([archive]));
  assert.equal(images[0].id, img.id);
  assert.deepEqual(messages, ['Loaded image: busybox:latest']);
  assert.deepEqual(second.images.history('busybox').map((h) => h.Id), [img.id]);
  // Loading again is idempotent.
  await second.images.load(Readable.from([archive]));
  assert.equal(second.images.list().length, 1);
});

test('load accepts a legacy docker-save tar and an OCI layout', async () => {
  const { images } = newStore();
  const layer = await collect(buildBusyboxRootfsTar());
  const { createHash } = await import('node:crypto');
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [`sha256:${sha(layer)}`] } });
  const legacy = await tarOf({
    [`${sha(config)}.json`]: config,
    'abc/layer.tar': layer,
    'manifest.json': JSON.stringify([{ Config: `${sha(config)}.json`, RepoTags: ['legacy:1'], Layers: ['abc/layer.tar'] }]),
  });
  const r1 = await images.load(Readable.from([legacy]));
  assert.equal(r1.images[0].id, `sha256:${sha(config)}`);
  const manifest = JSON.stringify({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(layer)}`, size: layer.length }] });
  const oci = await tarOf({
    'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
    'index.json': JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length, annotations: { 'io.containerd.image.name': 'docker.io/library/oci:2' } }] }),
    [`blobs/sha256/${sha(manifest)}`]: manifest,
    [`blobs/sha256/${sha(config)}`]: config,
    [`blobs/sha256/${sha(layer)}`]: layer,
  });
  const r2 = await images.load(Readable.from([oci]));
  assert.equal(r2.images[0].id, r1.images[0].id);
  assert.deepEqual(r2.messages, ['Loaded image: oci:2']);
  assert.deepEqual(images.get('oci:2').repoTags.sort(), ['legacy:1', 'oci:2']);

  // A layer that does not match the config's diff ID is refused and nothing is stored.
  const badConfig = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } });
  const bad = await tarOf({ 'c.json': badConfig, 'l.tar': layer, 'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['bad:1'], Layers: ['l.tar'] }]) });
  await assert.rejects(images.load(Readable.from([bad])), /diff ID/);
  assert.equal(images.find('bad:1'), undefined);
  await assert.rejects(images.load(Readable.from([Buffer.from('not a tar at all, just text that is long enough to look like something')]) ), /invalid/);
});

test('tag and delete follow Docker rules and texts', async () => {
  const { images } = newStore();
  const img = await images.importTar(buildBusyboxRootfsTar(), { reference: 'one:latest' });
  await images.tag('one', 'two', 'x');
  await images.tag(img.id, 'other/repo');
  await assert.rejects(images.remove(img.id.slice(7, 19)), new RegExp(`conflict: unable to delete ${img.id.slice(7, 19)} \\(must be forced\\) - image is referenced in multiple repositories`));
  assert.deepEqual(await images.remove('two:x'), [{ Untagged: 'two:x' }]);
  assert.deepEqual(await images.remove('other/repo'), [{ Untagged: 'other/repo:latest' }]);
  images.setUsageChecker((id) => (id === img.id ? { containerId: 'c'.repeat(64), running: true } : undefined));
  await assert.rejects(images.remove('one'), /must force\) - container cccccccccccc is using its referenced image/);
  await assert.rejects(images.remove(img.id, { force: true }), /\(cannot be forced\) - image is being used by running container cccccccccccc/);
  images.setUsageChecker(() => undefined);
  assert.deepEqual(await images.remove('one'), [{ Untagged: 'one:latest' }, { Deleted: img.id }]);
  assert.equal(images.list().length, 0);
  await assert.rejects(images.remove('one'), /No such image: one:latest/);
});

test('list filters and prune', async () => {
  const { images } = newStore();
  const a = await images.importTar(buildBusyboxRootfsTar(), { reference: 'keep:1', changes: ['LABEL tier=web'] });
  await images.importTar(buildBusyboxRootfsTar(), { changes: ['LABEL tier=db'] });
  assert.equal(images.list({ filters: { dangling: ['true'] } }).length, 1);
  assert.deepEqual(images.list({ filters: { reference: ['kee*'] } }).map((i) => i.id), [a.id]);
  assert.deepEqual(images.list({ filters: { label: ['tier=web'] } }).map((i) => i.id), [a.id]);
  assert.throws(() => images.list({ filters: { nope: ['x'] } }), /invalid filter 'nope'/);
  const pruned = await images.prune({});
  assert.equal(pruned.deleted.filter((d) => 'Deleted' in d).length, 1);
  assert.deepEqual(images.list().map((i) => i.id), [a.id]);
  const all = await images.prune({ filters: { dangling: ['false'] } });
  assert.deepEqual(all.deleted[0], { Untagged: 'keep:1' });
  assert.equal(images.list().length, 0);
});
