// berthd's registry client driven by the official docker CLI against Debian's
// reference registry on loopback: push, rmi, pull (progress), run, image ID kept
// across the round trip, "Image is up to date", layers present locally skipped,
// the JSON progress stream (Downloading with progressDetail), distribution inspect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import * as tar from 'tar-stream';
import { startDaemon, startReferenceRegistry, describe as show, type TestDaemon, type ReferenceRegistry } from './helpers';

let d: TestDaemon;
let reg: ReferenceRegistry;
before(async () => {
  d = await startDaemon();
  reg = await startReferenceRegistry(path.join(d.tmpRoot, 'registry'));
});
after(async () => {
  await reg?.stop();
  await d?.cleanup();
});

const imageId = async (ref: string) => (await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();

async function readTar(data: Buffer): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => { chunks.push(c as Buffer); });
      stream.on('end', () => { entries.set(header.name, Buffer.concat(chunks)); next(); });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(data);
  await done;
  return entries;
}

async function packTar(files: Record<string, Buffer>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, data] of Object.entries(files)) pack.entry({ name, size: data.length, mode: 0o644, mtime: new Date(0) }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('docker push, rmi, pull and run through the reference registry; the image ID is unchanged', async () => {
  const ref = `${reg.host}/x/y:1`;
  const before = await imageId('busybox');
  await d.dockerOk(['tag', 'busybox', ref]);
  const push = await d.docker(['push', ref]);
  assert.equal(push.code, 0, show('docker', ['push', ref], push));
  assert.match(push.stdout, new RegExp(`The push refers to repository \\[${reg.host}/x/y\\]`));
  assert.match(push.stdout, /: Pushed/);
  assert.match(push.stdout, /1: digest: sha256:[0-9a-f]{64} size: \d+/);

  const again = await d.dockerOk(['push', ref]);
  assert.match(again, /: Layer already exists/);

  await d.dockerOk(['rmi', ref]);
  await d.dockerOk(['rmi', 'busybox']);
  const pull = await d.docker(['pull', ref]);
  assert.equal(pull.code, 0, show('docker', ['pull', ref], pull));
  assert.match(pull.stdout, /^1: Pulling from x\/y$/m);
  assert.match(pull.stdout, /: Pulling fs layer/);
  assert.match(pull.stdout, /: Pull complete/);
  assert.match(pull.stdout, /Digest: sha256:[0-9a-f]{64}/);
  assert.match(pull.stdout, new RegExp(`Status: Downloaded newer image for ${reg.host}/x/y:1`));
  assert.equal(await imageId(ref), before);

  const digests = await d.dockerOk(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref]);
  assert.match(digests, new RegExp(`${reg.host}/x/y@sha256:[0-9a-f]{64}`));
  const run = await d.dockerOk(['run', '--rm', ref, 'echo', 'pulled-and-running']);
  assert.equal(run.trim(), 'pulled-and-running');

  const second = await d.dockerOk(['pull', ref]);
  assert.match(second, new RegExp(`Status: Image is up to date for ${reg.host}/x/y:1`));
  await d.dockerOk(['tag', ref, 'busybox']);
});

test('the pull progress stream has Docker JSON messages with byte counters', async () => {
  const ref = `${reg.host}/x/y`;
  await d.dockerOk(['rmi', `${ref}:1`]);
  await d.dockerOk(['rmi', 'busybox']);
  const res = await d.api('POST', `/v1.45/images/create?fromImage=${encodeURIComponent(ref)}&tag=1`, { timeoutMs: 60_000 });
  assert.equal(res.status, 200, res.text);
  const messages = res.text.split('\r\n').filter(Boolean).map((l) => JSON.parse(l) as { status?: string; id?: string; progressDetail?: { current?: number; total?: number } });
  const downloading = messages.filter((m) => m.status === 'Downloading');
  assert.ok(downloading.length > 0, res.text);
  const last = downloading[downloading.length - 1];
  assert.ok(last.progressDetail?.total && last.progressDetail.current === last.progressDetail.total, res.text);
  const order = ['Pulling fs layer', 'Verifying Checksum', 'Download complete', 'Pull complete'];
  const positions = order.map((s) => messages.findIndex((m) => m.status === s));
  assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1])), res.text);
  assert.ok(messages.some((m) => m.status?.startsWith('Status: Downloaded newer image for')), res.text);
  await d.dockerOk(['tag', `${ref}:1`, 'busybox']);
});

test('pulling an unknown tag is a 404 with the registry error', async () => {
  const r = await d.docker(['pull', `${reg.host}/x/y:nope`]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`manifest for ${reg.host}/x/y:nope not found: manifest unknown`));
});

test('a layer present locally is not downloaded again', async () => {
  // A two-layer image on top of busybox's layer, loaded from a docker-save tar.
  const saved = (await d.run('docker', ['save', 'busybox'])).stdoutBytes;
  const files = await readTar(saved);
  const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Layers: string[]; Config: string }>;
  const baseLayer = files.get(manifest[0].Layers[0])!;
  const baseConfig = JSON.parse(files.get(manifest[0].Config)!.toString()) as { rootfs: { diff_ids: string[] } };
  const top = await packTar({ 'added.txt': Buffer.from('on top\n') });
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, created: '2024-01-01T00:00:00Z',
    rootfs: { type: 'layers', diff_ids: [baseConfig.rootfs.diff_ids[0], sha(top)] },
  }));
  const archive = await packTar({
    'manifest.json': Buffer.from(JSON.stringify([{ Config: 'config.json', RepoTags: ['two-layers:1'], Layers: ['base.tar', 'top.tar'] }])),
    'config.json': config, 'base.tar': baseLayer, 'top.tar': top,
  });
  const archivePath = path.join(d.tmpRoot, 'two-layers.tar');
  fs.writeFileSync(archivePath, archive);
  await d.dockerOk(['load', '-i', archivePath]);
  const ref = `${reg.host}/x/two:1`;
  await d.dockerOk(['tag', 'two-layers:1', ref]);
  await d.dockerOk(['push', ref]);
  const id = await imageId(ref);
  await d.dockerOk(['rmi', ref, 'two-layers:1']);
  const pull = await d.dockerOk(['pull', ref]);
  const lines = pull.split('\n');
  assert.equal(lines.filter((l) => /: Already exists$/.test(l)).length, 1, pull);
  assert.equal(lines.filter((l) => /: Pull complete$/.test(l)).length, 1, pull);
  assert.equal(await imageId(ref), id);
  assert.equal((await d.dockerOk(['run', '--rm', ref, 'cat', '/added.txt'])).trim(), 'on top');
});

test('GET /distribution/{name}/json describes the pushed manifest', async () => {
  const res = await d.api('GET', `/v1.45/distribution/${reg.host}/x/y:1/json`);
  assert.equal(res.status, 200, res.text);
  const body = res.json as { Descriptor: { mediaType: string; digest: string; size: number }; Platforms: Array<{ os: string; architecture: string }> };
  assert.match(body.Descriptor.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(body.Platforms[0].os, 'linux');
});

test('berth pull and push work the same way', async () => {
  const ref = `${reg.host}/b/cli:2`;
  await d.berthOk(['tag', 'busybox', ref]);
  const push = await d.berthOk(['push', ref]);
  assert.match(push, /2: digest: sha256:[0-9a-f]{64} size: \d+/);
  // The same blob in another repository of the registry: mounted, not uploaded.
  assert.match(push, /Mounted from x\/(y|two)|Layer already exists/);
  await d.berthOk(['rmi', ref]);
  const pull = await d.berthOk(['pull', ref]);
  assert.match(pull, new RegExp(`Status: (Downloaded newer image|Image is up to date) for ${reg.host}/b/cli:2`));
  assert.match(pull, new RegExp(`^${reg.host}/b/cli:2$`, 'm'));
  const quiet = await d.berthOk(['pull', '-q', ref]);
  assert.equal(quiet.trim(), `${reg.host}/b/cli:2`);
});

test('an OCI index: the host platform is chosen, the repo digest is the index digest', async () => {
  const base = `http://${reg.host}/v2`;
  const accept = 'application/vnd.docker.distribution.manifest.v2+json';
  const got = await fetch(`${base}/x/y/manifests/1`, { headers: { Accept: accept } });
  assert.equal(got.status, 200);
  const manifestBytes = Buffer.from(await got.arrayBuffer());
  const manifest = JSON.parse(manifestBytes.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  for (const digest of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const mount = await fetch(`${base}/x/idx/blobs/uploads/?mount=${digest}&from=x/y`, { method: 'POST' });
    assert.equal(mount.status, 201);
  }
  const put = await fetch(`${base}/x/idx/manifests/${sha(manifestBytes)}`, { method: 'PUT', headers: { 'Content-Type': accept }, body: manifestBytes });
  assert.equal(put.status, 201, await put.text());
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: accept, digest: sha(manifestBytes), size: manifestBytes.length, platform: { os: 'linux', architecture: 's390x' } },
      { mediaType: accept, digest: sha(manifestBytes), size: manifestBytes.length, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  }));
  const putIndex = await fetch(`${base}/x/idx/manifests/multi`, { method: 'PUT', headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }, body: index });
  assert.equal(putIndex.status, 201, await putIndex.text());
  const ref = `${reg.host}/x/idx:multi`;
  const pull = await d.docker(['pull', ref]);
  assert.equal(pull.code, 0, show('docker', ['pull', ref], pull));
  assert.match(pull.stdout, new RegExp(`Digest: ${sha(index)}`));
  const digests = await d.dockerOk(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref]);
  assert.ok(digests.includes(`${reg.host}/x/idx@${sha(index)}`), digests);
  const wrong = await d.docker(['pull', '--platform', 'linux/arm64', ref]);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /no matching manifest for linux\/arm64/);
  const dist = await d.api('GET', `/v1.45/distribution/${ref}/json`);
  assert.deepEqual((dist.json as { Platforms: Array<{ architecture: string }> }).Platforms.map((p) => p.architecture), ['s390x', 'amd64']);
});

test('a blob download cut mid-way resumes with a Range request', async () => {
  // A 6 MiB random layer, pushed directly, then pulled through a proxy that cuts
  // the first connection carrying more than 2 MiB from the registry.
  const data = Buffer.from(Array.from({ length: 6 << 20 }, (_, i) => (i * 2654435761) >>> 24));
  const layer = await packTar({ 'big.bin': data });
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
  const archive = await packTar({
    'manifest.json': Buffer.from(JSON.stringify([{ Config: 'c.json', RepoTags: ['resume-me:1'], Layers: ['l.tar'] }])),
    'c.json': config, 'l.tar': layer,
  });
  fs.writeFileSync(path.join(d.tmpRoot, 'resume.tar'), archive);
  await d.dockerOk(['load', '-i', path.join(d.tmpRoot, 'resume.tar')]);
  await d.dockerOk(['tag', 'resume-me:1', `${reg.host}/x/resume:1`]);
  await d.dockerOk(['push', `${reg.host}/x/resume:1`]);
  await d.dockerOk(['rmi', `${reg.host}/x/resume:1`, 'resume-me:1']);

  const net = await import('node:net');
  let cut = false;
  const requests: string[] = [];
  const proxy = net.createServer((client) => {
    const upstream = net.connect(reg.port, '127.0.0.1');
    let down = 0;
    client.on('data', (c: Buffer) => { requests.push(...c.toString('latin1').split('\r\n').filter((l) => /^(GET|HEAD) |^range:/i.test(l))); upstream.write(c); });
    upstream.on('data', (c: Buffer) => {
      down += c.length;
      if (!cut && down > 2 << 20) { cut = true; client.destroy(); upstream.destroy(); return; }
      client.write(c);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as { port: number }).port;
  try {
    const ref = `127.0.0.1:${port}/x/resume:1`;
    const pull = await d.docker(['pull', ref]);
    assert.equal(pull.code, 0, show('docker', ['pull', ref], pull));
    assert.ok(cut, 'the proxy cut a connection');
    assert.ok(requests.some((l) => /^range: bytes=\d+-$/i.test(l)), requests.join('\n'));
    assert.equal(await imageId(ref), sha(config));
    assert.ok(Number(await d.dockerOk(['image', 'inspect', '--format', '{{.Size}}', ref])) >= 6 << 20);
  } finally {
    proxy.close();
  }
});
