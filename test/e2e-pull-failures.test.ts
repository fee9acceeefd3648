// Pulls that fail part-way leave nothing half-done behind, with big layers going
// through the layer worker threads: a blob whose bytes do not match its digest, a
// verified blob that is not a tar or whose gzip data is corrupt, and a client that
// goes away mid-download; none leaves a file open in berthd either. A small fake
// registry on loopback serves the bad content.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { startDaemon, waitFor, type TestDaemon } from './helpers';

let d: TestDaemon;
let server: http.Server;
let host = '';
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface FakeImage { manifest: Buffer; blobs: Map<string, Buffer>; stall?: string }
const images = new Map<string, FakeImage>();

/**
 * An image of one layer; `served` replaces the layer's bytes on the wire (same digest
 * announced); `diffId` for a compressed layer (default: the layer is a plain tar).
 */
function addImage(repo: string, layer: Buffer, options: { served?: Buffer; stall?: boolean; diffId?: string } = {}): void {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [options.diffId ?? sha(layer)] } }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha(config) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar', size: layer.length, digest: sha(layer) }],
  }));
  images.set(repo, { manifest, blobs: new Map([[sha(config), config], [sha(layer), options.served ?? layer]]), stall: options.stall ? sha(layer) : undefined });
}

function tarOf(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100); header.write('0000000\0', 108); header.write('0000000\0', 116);
  header.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, pad, Buffer.alloc(1024)]);
}

before(async () => {
  d = await startDaemon({ seedBusybox: false });
  server = http.createServer((req, res) => {
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(req.url ?? '');
    if (req.url === '/v2/') { res.writeHead(200).end('{}'); return; }
    const img = m ? images.get(m[1]) : undefined;
    if (!m || !img) { res.writeHead(404).end(); return; }
    if (m[2] === 'manifests') {
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json', 'Docker-Content-Digest': sha(img.manifest), 'Content-Length': img.manifest.length });
      res.end(req.method === 'HEAD' ? undefined : img.manifest);
      return;
    }
    const blob = img.blobs.get(m[3]);
    if (!blob) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Length': blob.length });
    if (img.stall === m[3]) { res.write(blob.subarray(0, blob.length >> 1)); return; } // then nothing more
    res.end(blob);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(async () => {
  server?.closeAllConnections();
  server?.close();
  await d?.cleanup();
});

/** Temp files of the content store and layer store, and layer rows, that a failed pull must not leave. */
function leftovers(): string[] {
  const ingest = fs.readdirSync(path.join(d.dataRoot, 'content', 'ingest')).map((n) => `ingest/${n}`);
  const tmpLayers = fs.readdirSync(path.join(d.dataRoot, 'layers')).filter((n) => n.startsWith('tmp-')).map((n) => `layers/${n}`);
  return [...ingest, ...tmpLayers];
}

/** Files under the stores' temp paths that berthd still holds open (deleted ones included). */
function openTempFiles(): string[] {
  const fdDir = `/proc/${d.pid}/fd`;
  const open: string[] = [];
  for (const fd of fs.readdirSync(fdDir)) {
    let target: string;
    try { target = fs.readlinkSync(path.join(fdDir, fd)); } catch { continue; }
    if (target.startsWith(d.dataRoot) && /\/(content\/ingest|layers\/tmp-)/.test(target)) open.push(target);
  }
  return open;
}

function layerDirs(): string[] {
  return fs.readdirSync(path.join(d.dataRoot, 'layers')).filter((n) => /^[0-9a-f]{64}$/.test(n));
}

test('a big layer whose bytes do not match its digest fails the pull and leaves no blob, layer or temp file', async () => {
  const layer = tarOf('data.bin', randomBytes(3 << 20));
  const other = tarOf('data.bin', randomBytes(3 << 20));
  addImage('bad/digest', layer, { served: other });
  const before = layerDirs();
  const pull = await d.docker(['pull', `${host}/bad/digest:1`]);
  assert.notEqual(pull.code, 0);
  assert.match(pull.stderr, /digest mismatch|verification failed/);
  assert.deepEqual(leftovers(), []);
  assert.deepEqual(layerDirs(), before);
  assert.equal(fs.existsSync(path.join(d.dataRoot, 'content', 'blobs', 'sha256', sha(layer).slice(7))), false);
  assert.notEqual((await d.docker(['image', 'inspect', `${host}/bad/digest:1`])).code, 0);
  assert.deepEqual(openTempFiles(), []);
});

test('a big gzip layer with corrupt data fails as an invalid layer and leaves nothing behind', async () => {
  const plain = tarOf('data.bin', randomBytes(3 << 20));
  const gz = gzipSync(plain);
  gz[gz.length >> 1] ^= 0xff; // inside a stored block: caught by the CRC at the end
  gz[gz.length - 6] ^= 0xff;
  addImage('bad/gzip', gz, { diffId: sha(plain) });
  const before = layerDirs();
  const pull = await d.docker(['pull', `${host}/bad/gzip:1`]);
  assert.notEqual(pull.code, 0);
  assert.match(pull.stderr, /invalid layer tar/);
  assert.deepEqual(leftovers(), []);
  assert.deepEqual(layerDirs(), before);
  assert.deepEqual(openTempFiles(), []);
});

test('a big blob that is not a tar fails the pull, again on retry, and leaves no layer or temp file', async () => {
  const junk = randomBytes(3 << 20);
  addImage('bad/tar', junk);
  const before = layerDirs();
  const pull = await d.docker(['pull', `${host}/bad/tar:1`]);
  assert.notEqual(pull.code, 0);
  assert.match(pull.stderr, /invalid layer tar|tar/i);
  assert.deepEqual(leftovers(), []);
  assert.deepEqual(layerDirs(), before);
  const again = await d.docker(['pull', `${host}/bad/tar:1`]);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /invalid layer tar|tar/i);
  assert.deepEqual(leftovers(), []);
  assert.deepEqual(layerDirs(), before);
  assert.deepEqual(openTempFiles(), []);
});

test('a client that goes away mid-download stops the worker and leaves no temp file', async () => {
  const layer = tarOf('data.bin', randomBytes(4 << 20));
  addImage('slow/stall', layer, { stall: true });
  const child = spawn('docker', ['pull', `${host}/slow/stall:1`], { env: { ...process.env, DOCKER_HOST: d.dockerHost }, stdio: 'ignore' });
  // Wait until the download is under way (a temp blob exists), then drop the client.
  await waitFor('the download to start', () => fs.readdirSync(path.join(d.dataRoot, 'content', 'ingest')).length > 0, { timeoutMs: 20_000 });
  child.kill('SIGKILL');
  await waitFor('temp files to be removed and closed', () => leftovers().length === 0 && openTempFiles().length === 0, { timeoutMs: 20_000 });
  assert.notEqual((await d.docker(['image', 'inspect', `${host}/slow/stall:1`])).code, 0);
  // The daemon still pulls fine afterwards.
  const good = tarOf('ok.txt', Buffer.from('fine\n'.repeat(400_000)));
  addImage('good/after', good);
  const pull = await d.docker(['pull', `${host}/good/after:1`]);
  assert.equal(pull.code, 0, pull.stderr);
});
