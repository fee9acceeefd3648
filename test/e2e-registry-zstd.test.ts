// zstd layers (OCI `+zstd` media type) with the official docker CLI against berthd:
// pulled from berth's registry — a big layer through the layer worker threads, a
// small one on the main thread — and run; pushed to another repository with the
// zstd blobs sent as stored under an OCI manifest; saved and loaded back; a truncated zstd layer is
// refused as an invalid layer and leaves nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, type TestDaemon } from './helpers';
import { writeBusyboxTar } from './helpers/busybox-tar';
import { tarBuffer } from './archive-fixtures';
import { pushBlob, request, sha256, startTestRegistry } from './registry-fixtures';
import type { RunningRegistry } from '../src/registry/server';

const ZSTD_LAYER = 'application/vnd.oci.image.layer.v1.tar+zstd';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

let d: TestDaemon;
let reg: RunningRegistry;
let host = '';

before(async () => {
  d = await startDaemon({ seedBusybox: false });
  reg = await startTestRegistry(path.join(d.tmpRoot, 'registry'));
  host = new URL(reg.url).host;
});
after(async () => {
  await reg?.close();
  await d?.cleanup();
});

function zstd(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Pushes an OCI image whose layers are the given tars, zstd-compressed (or as given); returns the layer blobs. */
async function pushZstdImage(repo: string, tars: Buffer[], blobs: Buffer[] = tars.map(zstd)): Promise<Buffer[]> {
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: tars.map(sha256) },
  }));
  for (const b of blobs) await pushBlob(reg.url, repo, b);
  await pushBlob(reg.url, repo, config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: blobs.map((b) => ({ mediaType: ZSTD_LAYER, digest: sha256(b), size: b.length })),
  }));
  const put = await request(reg.url, 'PUT', `/v2/${repo}/manifests/1`, { body: manifest, headers: { 'Content-Type': OCI_MANIFEST } });
  assert.equal(put.status, 201, put.body.toString());
  return blobs;
}

test('an image with zstd layers pulls, runs, and pushes its zstd blobs as stored', async () => {
  const rootfs = path.join(d.tmpRoot, 'busybox.tar');
  await writeBusyboxTar(rootfs);
  const big = randomBytes(3 << 20); // incompressible: > 1 MiB compressed, so a worker thread unpacks it
  const tars = [
    fs.readFileSync(rootfs),
    await tarBuffer([{ name: 'data/', type: 'directory' }, { name: 'data/big.bin', body: big }]),
    await tarBuffer([{ name: 'etc/zstd-note', body: 'decoded from zstd\n' }]),
  ];
  const blobs = await pushZstdImage('zstd/app', tars);
  assert.ok(blobs[1].length > 1 << 20 && blobs[2].length < 1 << 20);
  const ref = `${host}/zstd/app:1`;
  const pull = await d.docker(['pull', ref]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /Pull complete/);
  const layers = JSON.parse(await d.dockerOk(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref])) as string[];
  assert.deepEqual(layers, tars.map(sha256));
  const out = await d.dockerOk(['run', '--rm', '--network', 'none', ref, 'sh', '-c', 'cat /etc/zstd-note; sha256sum /data/big.bin']);
  assert.equal(out, `decoded from zstd\n${sha256(big).slice(7)}  /data/big.bin\n`);

  const copy = `${host}/zstd/copy:1`;
  await d.dockerOk(['tag', ref, copy]);
  const push = await d.docker(['push', copy]);
  assert.equal(push.code, 0, push.stderr);
  const got = await request(reg.url, 'GET', '/v2/zstd/copy/manifests/1', { headers: { Accept: OCI_MANIFEST } });
  assert.equal(got.status, 200);
  const manifest = got.json<{ mediaType: string; layers: Array<{ mediaType: string; digest: string }> }>();
  assert.equal(manifest.mediaType, OCI_MANIFEST);
  assert.deepEqual(manifest.layers.map((l) => [l.mediaType, l.digest]), blobs.map((b) => [ZSTD_LAYER, sha256(b)]));

  // docker save keeps the zstd blobs; docker load reads them back.
  const archive = path.join(d.tmpRoot, 'zstd-image.tar');
  await d.dockerOk(['save', '-o', archive, copy]);
  await d.dockerOk(['rmi', ref, copy]);
  await d.dockerOk(['load', '-i', archive]);
  assert.equal(await d.dockerOk(['run', '--rm', '--network', 'none', copy, 'cat', '/etc/zstd-note']), 'decoded from zstd\n');
});

test('a truncated zstd layer fails the pull as an invalid layer and leaves no layer behind', async () => {
  const tar = await tarBuffer([{ name: 'big.bin', body: randomBytes(2 << 20) }]);
  const whole = zstd(tar);
  await pushZstdImage('zstd/truncated', [tar], [whole.subarray(0, whole.length - 1000)]);
  const layersBefore = fs.readdirSync(path.join(d.dataRoot, 'layers')).sort();
  const pull = await d.docker(['pull', `${host}/zstd/truncated:1`]);
  assert.notEqual(pull.code, 0);
  assert.match(pull.stderr, /invalid layer tar/);
  assert.deepEqual(fs.readdirSync(path.join(d.dataRoot, 'layers')).sort(), layersBefore);
});
