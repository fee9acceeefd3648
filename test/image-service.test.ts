// Image service: import, lookup, history, list filters, prune, repair, busybox seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { buildBusyboxRootfsTar, createImageService, seedBusybox } from '../src/image';
import { createLayerStore } from '../src/snapshot';
import { collect, configFor, layerTar, leftovers, newStore, tarOf } from './image-fixtures';

test('import: stable ID for the same input, Docker-like config, changes applied, tagged, events', async () => {
  const { images, seen } = newStore();
  const opts = { reference: 'bb:1', changes: ['CMD ["sh"]', 'ENV A=1 B="two words"', 'LABEL x=y', 'WORKDIR /srv', 'EXPOSE 80'], created: '2024-01-01T00:00:00Z' };
  const a = await images.importTar(buildBusyboxRootfsTar(), opts);
  const b = await images.importTar(buildBusyboxRootfsTar(), opts);
  assert.equal(a.id, b.id);
  assert.deepEqual(a.repoTags, ['bb:1']);
  assert.equal(a.config.architecture, process.arch === 'x64' ? 'amd64' : process.arch);
  assert.equal(a.config.os, 'linux');
  assert.equal(a.config.created, '2024-01-01T00:00:00Z');
  assert.deepEqual(a.config.history, [{ created: '2024-01-01T00:00:00Z', comment: 'Imported from -' }]);
  assert.deepEqual(a.config.config, { Cmd: ['sh'], Env: ['A=1', 'B=two words'], Labels: { x: 'y' }, WorkingDir: '/srv', ExposedPorts: { '80/tcp': {} } });
  assert.equal(a.layers.length, 1);
  assert.equal(a.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar');
  assert.equal(a.layers[0].digest, a.config.rootfs.diff_ids[0], 'the layer blob is stored uncompressed');
  assert.ok(a.manifestDigest);
  assert.ok(a.size > 1_000_000);
  const imageEvents = seen.filter((e) => e.Type === 'image').slice(0, 2).map((e) => [e.Action, e.Actor.ID]);
  assert.deepEqual(imageEvents, [['import', a.id], ['tag', a.id]]);
  assert.equal(images.get('bb:1').id, a.id);
  assert.equal(images.get('docker.io/library/bb:1').id, a.id);
  assert.equal(images.get(a.id.slice(7, 19)).id, a.id);
  assert.equal(images.get(a.id).id, a.id);
  assert.equal(images.get(a.id.slice(7)).id, a.id);
  assert.throws(() => images.get('nope'), /No such image: nope:latest/);
  assert.throws(() => images.get('bb'), /No such image: bb:latest/);

  // Same bytes gzip-compressed and with a message: same layer, new config.
  const plain = await collect(buildBusyboxRootfsTar());
  const c = await images.importTar(Readable.from([gzipSync(plain)]), { message: 'from gz', created: opts.created });
  assert.equal(c.layers[0].diffId, a.layers[0].diffId);
  assert.equal(c.config.comment, 'from gz');
  assert.deepEqual(c.repoTags, []);
});

test('import: a rejected body or bad options leave nothing behind', async () => {
  const s = newStore();
  await assert.rejects(s.images.importTar(buildBusyboxRootfsTar(), { changes: ['RUN true'] }), /run is not a valid change command/);
  await assert.rejects(s.images.importTar(buildBusyboxRootfsTar(), { reference: 'Bad:1' }), /must be lowercase/);
  // An unsafe entry after a large file: the layer store refuses the whole layer.
  const evil = await tarOf({ big: Buffer.alloc(3 << 20, 7), '../escape': 'x' });
  await assert.rejects(s.images.importTar(Readable.from([evil]), { reference: 'evil:1' }), /unsafe tar entry/);
  const truncated = (await tarOf({ big: Buffer.alloc(3 << 20, 7) })).subarray(0, 2 << 20);
  await assert.rejects(s.images.importTar(Readable.from([truncated]), {}));
  assert.deepEqual(await leftovers(s), { blobs: 0, layers: 0, tmp: [], ingest: [] });
  assert.equal(s.images.list().length, 0);
});

test('history: Docker\'s shape with sizes and <missing> below the top', async () => {
  const { images } = newStore();
  const img = await images.importTar(buildBusyboxRootfsTar(), { reference: 'h:1', created: '2024-01-01T00:00:00Z' });
  const h = images.history('h:1');
  assert.deepEqual(h, [{ Id: img.id, Created: 1704067200, CreatedBy: '', Tags: ['h:1'], Size: img.size, Comment: 'Imported from -' }]);
});

test('list filters, before/since and prune', async () => {
  const { images, seen } = newStore();
  const a = await images.importTar(buildBusyboxRootfsTar(), { reference: 'keep:1', changes: ['LABEL tier=web'], created: '2024-01-01T00:00:00Z' });
  const d = await images.importTar(buildBusyboxRootfsTar(), { changes: ['LABEL tier=db'], created: '2024-02-01T00:00:00Z' });
  assert.deepEqual(images.list().map((i) => i.id), [d.id, a.id], 'newest first');
  assert.deepEqual(images.list({ filters: { dangling: ['true'] } }).map((i) => i.id), [d.id]);
  assert.deepEqual(images.list({ filters: { dangling: ['false'] } }).map((i) => i.id), [a.id]);
  assert.deepEqual(images.list({ filters: { reference: ['kee*'] } }).map((i) => i.id), [a.id]);
  assert.deepEqual(images.list({ filters: { reference: ['keep:1'] } }).map((i) => i.id), [a.id]);
  assert.deepEqual(images.list({ filters: { reference: ['*:2'] } }), []);
  await images.tag('keep:1', 'other', '1');
  assert.deepEqual(images.list({ filters: { reference: ['keep'] } }).map((i) => i.repoTags), [['keep:1']], 'only matching tags are listed');
  assert.deepEqual(images.list({ filters: { reference: ['other:*', 'keep:1'] } }).map((i) => i.repoTags), [['keep:1', 'other:1']]);
  await images.remove('other:1');
  assert.deepEqual(images.list({ filters: { label: ['tier=web'] } }).map((i) => i.id), [a.id]);
  assert.deepEqual(images.list({ filters: { label: ['tier'] } }).length, 2);
  assert.deepEqual(images.list({ filters: { before: [d.id] } }).map((i) => i.id), [a.id]);
  assert.deepEqual(images.list({ filters: { since: ['keep:1'] } }).map((i) => i.id), [d.id]);
  assert.throws(() => images.list({ filters: { nope: ['x'] } }), /invalid filter 'nope'/);
  assert.throws(() => images.list({ filters: { dangling: ['maybe'] } }), /Invalid filter 'dangling=maybe'/);

  const pruned = await images.prune({});
  assert.deepEqual(pruned.deleted.filter((x) => 'Deleted' in x)[0], { Deleted: d.id });
  assert.equal(pruned.spaceReclaimed, 0, 'the layer is still used by keep:1');
  assert.deepEqual(images.list().map((i) => i.id), [a.id]);
  assert.ok(seen.some((e) => e.Action === 'prune'));
  assert.deepEqual((await images.prune({ filters: { label: ['tier=web'] } })).deleted, [], 'tagged images stay by default');
  await assert.rejects(images.prune({ filters: { reference: ['x'] } }), /invalid filter 'reference'/);
  images.setUsageChecker((id) => (id === a.id ? { containerId: 'c'.repeat(64), running: false } : undefined));
  assert.deepEqual((await images.prune({ filters: { dangling: ['false'] } })).deleted, [], 'an image a container uses stays');
  images.setUsageChecker(() => undefined);
  const all = await images.prune({ filters: { dangling: ['false'] } });
  assert.deepEqual(all.deleted.slice(0, 2), [{ Untagged: 'keep:1' }, { Deleted: a.id }]);
  assert.ok(all.spaceReclaimed > 1_000_000);
  assert.equal(images.list().length, 0);
});

test('repair drops images with missing parts and unreferenced blobs; seed imports busybox once', async () => {
  const s = newStore();
  const kept = await seedBusybox(s.images);
  assert.ok(kept);
  assert.deepEqual(kept.repoTags, ['busybox:latest']);
  assert.deepEqual(kept.config.config?.Cmd, ['sh']);
  assert.equal(await seedBusybox(s.images), undefined, 'not seeded twice');
  // Seeding is reproducible: the same ID in a fresh store.
  assert.equal((await seedBusybox(newStore().images))?.id, kept.id);

  const gone = await s.images.importTar(Readable.from([await tarOf({ f: 'other' })]), { reference: 'gone:1' });
  const orphan = await s.content.put(Buffer.from('nobody uses me'));
  fs.rmSync(s.content.blobPath(gone.id));
  // A new service over the same database, as after a restart.
  const images = createImageService({ db: s.db, content: s.content, layers: s.layers, events: s.events, tmpDir: s.tmpDir });
  await images.repair();
  assert.equal(images.find('gone:1'), undefined);
  assert.equal(images.get('busybox').id, kept.id);
  assert.equal(s.content.has(orphan.digest), false);
  assert.equal(s.content.has(gone.layers[0].digest), false);
  for (const l of kept.layers) assert.ok(s.content.has(l.digest));
  assert.ok(fs.existsSync(path.join(s.root, 'layers', kept.chainId?.slice(7) ?? '')));

  // A two-layer image whose top layer vanished: dropped, and its lower layer released.
  const l1 = await layerTar('a', 'one');
  const l2 = await layerTar('b', 'two');
  const config = configFor([l1, l2]);
  const archive = await tarOf({ 'c.json': config, '1.tar': l1, '2.tar': l2, 'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['two:1'], Layers: ['1.tar', '2.tar'] }]) });
  const two = (await images.load(Readable.from([archive]))).images[0];
  const [lower, top] = s.layers.chainIds(two.layers.map((l) => l.diffId));
  fs.rmSync(path.join(s.root, 'layers', top.slice(7)), { recursive: true });
  const layers = createLayerStore(path.join(s.root, 'layers'), s.db);
  await layers.repair();
  const again = createImageService({ db: s.db, content: s.content, layers, events: s.events, tmpDir: s.tmpDir });
  await again.repair();
  assert.equal(again.find('two:1'), undefined);
  assert.equal(layers.has(lower), false, 'the lower layer had no other user and is gone');
  assert.ok(layers.has(kept.chainId ?? ''));
  assert.equal(again.get('busybox').id, kept.id);
});
