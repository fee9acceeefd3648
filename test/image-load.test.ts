// docker load / docker save: both archive formats, verification, and no partial state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { Readable } from 'node:stream';
import { InvalidArgumentError } from '../src/errors';
import { buildBusyboxRootfsTar } from '../src/image';
import { collect, configFor, layerTar, leftovers, newStore, sha, streamOf, tarOf, type TarBody } from './image-fixtures';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function ociManifest(config: string, layers: Array<{ blob: Buffer; mediaType?: string }>): string {
  return JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType ?? 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(l.blob)}`, size: l.blob.length })),
  });
}

function ociLayout(manifest: string, blobs: Array<Buffer | string>, annotations?: Record<string, string>): Record<string, TarBody> {
  const files: Record<string, TarBody> = {
    'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
    'index.json': JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, digest: `sha256:${sha(manifest)}`, size: manifest.length, ...(annotations ? { annotations } : {}) }] }),
    [`blobs/sha256/${sha(manifest)}`]: manifest,
  };
  for (const b of blobs) files[`blobs/sha256/${sha(b)}`] = b;
  return files;
}

async function readTar(buf: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (h, stream, next) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: unknown) => { parts.push(c as Buffer); });
    stream.on('end', () => { out.set(h.name, Buffer.concat(parts)); next(); });
  });
  await new Promise<void>((resolve, reject) => { extract.on('finish', resolve); extract.on('error', reject); Readable.from([buf]).pipe(extract); });
  return out;
}

test('legacy docker-save archive: any entry order, symlinked repeated layer, two layers', async () => {
  const { images, seen } = newStore();
  const l1 = await layerTar('a.txt', 'one');
  const l2 = await layerTar('b.txt', 'two');
  const config = configFor([l1, l2, l1]);
  const archive = await tarOf({
    'manifest.json': JSON.stringify([{ Config: `${sha(config)}.json`, RepoTags: ['legacy:1'], Layers: ['x1/layer.tar', 'x2/layer.tar', 'x3/layer.tar'] }]),
    'repositories': JSON.stringify({ legacy: { 1: 'x3' } }),
    'x3/layer.tar': { type: 'symlink', linkname: '../x1/layer.tar' },
    'x2/layer.tar': l2,
    'x1/layer.tar': l1,
    [`${sha(config)}.json`]: config,
  });
  const r = await images.load(streamOf(archive));
  assert.equal(r.images[0].id, `sha256:${sha(config)}`);
  assert.deepEqual(r.messages, ['Loaded image: legacy:1']);
  assert.equal(r.images[0].layers.length, 3);
  assert.deepEqual(seen.filter((e) => e.Type === 'image').map((e) => e.Action), ['load']);
});

test('OCI layout: name annotations, gzip layers, untagged images, shared layers not re-extracted', async () => {
  const s = newStore();
  const l1 = await layerTar('a.txt', 'one');
  const gz = gzipSync(await layerTar('b.txt', 'two'));
  const config = configFor([l1, await layerTar('b.txt', 'two')]);
  const manifest = ociManifest(config, [{ blob: l1 }, { blob: gz, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }]);
  const named = await tarOf(ociLayout(manifest, [config, l1, gz], { 'io.containerd.image.name': 'docker.io/library/oci:2', 'org.opencontainers.image.ref.name': '2' }));
  const r = await s.images.load(streamOf(named));
  assert.equal(r.images[0].id, `sha256:${sha(config)}`);
  assert.deepEqual(r.messages, ['Loaded image: oci:2']);
  assert.equal(r.images[0].layers[1].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
  assert.equal(r.images[0].layers[1].digest, `sha256:${sha(gz)}`);

  // Another image on the same first layer: that layer is reused, not unpacked again.
  const l3 = await layerTar('c.txt', 'three');
  const config2 = configFor([l1, l3]);
  const manifest2 = ociManifest(config2, [{ blob: l1 }, { blob: l3 }]);
  const before = (await leftovers(s)).layers;
  const bare = await tarOf(ociLayout(manifest2, [config2, l1, l3], { 'org.opencontainers.image.ref.name': 'latest' }));
  const r2 = await s.images.load(streamOf(bare));
  assert.deepEqual(r2.messages, [`Loaded image ID: sha256:${sha(config2)}`]);
  assert.equal((await leftovers(s)).layers, before + 1);
});

test('a tag that moves: Docker\'s renaming message, tag event, old image dangling', async () => {
  const { images, seen } = newStore();
  const mk = async (content: string) => {
    const l = await layerTar('f', content);
    const c = configFor([l]);
    return { id: `sha256:${sha(c)}`, tar: await tarOf({ 'c.json': c, 'l.tar': l, 'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['app:1'], Layers: ['l.tar'] }]) }) };
  };
  const first = await mk('v1');
  const second = await mk('v2');
  await images.load(streamOf(first.tar));
  seen.length = 0;
  const r = await images.load(streamOf(second.tar));
  assert.deepEqual(r.messages, [`The image app:1 already exists, renaming the old one with ID ${first.id} to empty string`, 'Loaded image: app:1']);
  assert.deepEqual(seen.map((e) => [e.Action, e.Actor.ID]), [['load', second.id], ['tag', second.id]]);
  assert.deepEqual(images.get(first.id).repoTags, []);
  // Loading the same archive again changes nothing and says so like Docker.
  seen.length = 0;
  assert.deepEqual((await images.load(streamOf(second.tar))).messages, ['Loaded image: app:1']);
  assert.deepEqual(seen.map((e) => e.Action), ['load']);
});

test('corrupted, mismatched or partial archives are refused and leave nothing behind', async () => {
  const l1 = await layerTar('a.txt', 'one');
  const config = configFor([l1]);
  const manifest = ociManifest(config, [{ blob: l1 }]);
  const good = ociLayout(manifest, [config, l1]);
  const corrupt = { ...good, [`blobs/sha256/${sha(l1)}`]: Buffer.concat([l1.subarray(0, 600), Buffer.from('X'), l1.subarray(601)]) };
  const badConfig = { ...good, [`blobs/sha256/${sha(config)}`]: config.replace('amd64', 'arm64') };
  const gz = gzipSync(await layerTar('a.txt', 'not one'));
  const wrongDiff = await tarOf({ 'c.json': config, 'l.tar.gz': gz, 'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['w:1'], Layers: ['l.tar.gz'] }]) });
  const wrongPlain = await tarOf({ 'c.json': config, 'l.tar': await layerTar('a.txt', 'uno'), 'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['w:1'], Layers: ['l.tar'] }]) });
  const docker25 = await tarOf({
    'manifest.json': JSON.stringify([{ Config: `blobs/sha256/${sha(config)}`, RepoTags: ['d:1'], Layers: [`blobs/sha256/${sha(l1)}`] }]),
    [`blobs/sha256/${sha(config)}`]: config,
    [`blobs/sha256/${sha(l1)}`]: corrupt[`blobs/sha256/${sha(l1)}`],
  });
  const whole = await tarOf(good);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['corrupted OCI layer blob', await tarOf(corrupt), /digest mismatch/],
    ['corrupted OCI config blob', await tarOf(badConfig), /digest mismatch/],
    ['gzip layer with another diff ID', wrongDiff, /diff ID/],
    ['plain layer with another diff ID', wrongPlain, /digest mismatch/],
    ['corrupted blob in a Docker 25 docker-save', docker25, /digest mismatch/],
    ['truncated tar', whole.subarray(0, whole.length - 1500), /invalid tar archive/],
    ['not a tar', Buffer.from('x'.repeat(2048)), /invalid/],
    ['a tar without a manifest', await tarOf({ 'hello.txt': 'hi' }), /neither manifest.json nor index.json/],
    ['a manifest naming a missing layer', await tarOf({ 'c.json': config, 'manifest.json': JSON.stringify([{ Config: 'c.json', Layers: ['nope.tar'] }]) }), /nope.tar is missing/],
    ['bad JSON', await tarOf({ 'manifest.json': '[{' }), /manifest.json/],
    ['bad tag', await tarOf({ 'c.json': config, 'l.tar': l1, 'manifest.json': JSON.stringify([{ Config: 'c.json', RepoTags: ['UP:1'], Layers: ['l.tar'] }]) }), /must be lowercase/],
  ];
  for (const [name, archive, message] of cases) {
    const s = newStore();
    await assert.rejects(s.images.load(streamOf(archive)), (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError, `${name}: ${String(err)}`);
      assert.match(err.message, message, name);
      return true;
    });
    assert.deepEqual(await leftovers(s), { blobs: 0, layers: 0, tmp: [], ingest: [] }, name);
    assert.deepEqual(s.images.list(), [], name);
  }
  // The intact archive loads.
  const s = newStore();
  assert.equal((await s.images.load(streamOf(whole))).images[0].id, `sha256:${sha(config)}`);
});

test('save writes both formats, streams, and loads back into a fresh store with the same ID', async () => {
  const first = newStore();
  const img = await first.images.importTar(buildBusyboxRootfsTar(), { reference: 'busybox:latest', changes: ['CMD ["sh"]'] });
  await first.images.tag('busybox', 'busybox', 'v2');
  await first.images.tag('busybox', 'example.com/x/y', '3');
  const archive = await collect(first.images.save(['busybox']));
  const files = await readTar(archive);
  const manifest = JSON.parse(files.get('manifest.json')?.toString() ?? '') as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
  assert.deepEqual(manifest, [{ Config: `blobs/sha256/${img.id.slice(7)}`, RepoTags: ['busybox:latest', 'busybox:v2'], Layers: [`blobs/sha256/${img.layers[0].digest.slice(7)}`] }]);
  assert.deepEqual(JSON.parse(files.get('repositories')?.toString() ?? ''), { busybox: { latest: img.id.slice(7), v2: img.id.slice(7) } });
  assert.deepEqual(JSON.parse(files.get('oci-layout')?.toString() ?? ''), { imageLayoutVersion: '1.0.0' });
  const index = JSON.parse(files.get('index.json')?.toString() ?? '') as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
  assert.deepEqual(index.manifests.map((m) => m.annotations['io.containerd.image.name']), ['docker.io/library/busybox:latest', 'docker.io/library/busybox:v2']);
  assert.equal(index.manifests[0].digest, img.manifestDigest);
  for (const [name, body] of files) if (name.startsWith('blobs/sha256/')) assert.equal(sha(body), name.slice(13), `${name} is named by its digest`);
  assert.deepEqual(first.seen.filter((e) => e.Action === 'save').map((e) => e.Actor.ID), [img.id]);

  const second = newStore();
  const { images, messages } = await second.images.load(streamOf(archive));
  assert.equal(images[0].id, img.id);
  assert.deepEqual(messages, ['Loaded image: busybox:latest', 'Loaded image: busybox:v2']);
  assert.deepEqual(second.images.get('busybox:v2').layers, img.layers);
  // Saved by ID: no tags; the OCI index alone (no manifest.json) also loads.
  const byId = await readTar(await collect(first.images.save([img.id.slice(7, 19)])));
  assert.deepEqual((JSON.parse(byId.get('manifest.json')?.toString() ?? '') as Array<{ RepoTags: string[] }>)[0].RepoTags, []);
  byId.delete('manifest.json');
  const third = newStore();
  const onlyOci = await tarOf(Object.fromEntries(byId));
  assert.deepEqual((await third.images.load(streamOf(onlyOci))).messages, [`Loaded image ID: ${img.id}`]);
  assert.throws(() => first.images.save(['nope:1']), /No such image: nope:1/);
});
