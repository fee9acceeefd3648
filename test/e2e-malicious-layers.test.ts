// Crafted layer tars sent through the real docker CLI (import and load) are refused with
// an error, write nothing outside the layer dir, and leave no image, layer or temp file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import * as tar from 'tar-stream';
import { startDaemon, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
// A directory outside the daemon's roots that crafted entries aim at (made at load time:
// the test cases below are built from it before any hook runs).
const outside = fs.mkdtempSync('/tmp/berth-outside-');
const marker = `evil-${randomBytes(4).toString('hex')}`;
before(async () => { d = await startDaemon(); });
after(async () => {
  fs.rmSync(outside, { recursive: true, force: true });
  await d?.cleanup();
});

type Entry = Partial<tar.Header> & { name: string; body?: string | Buffer };

async function tarBuffer(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c) => chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const { body, ...header } of entries) pack.entry({ mode: 0o644, mtime: new Date(1_700_000_000_000), ...header }, body ?? '');
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const crafted = (): Array<[string, Entry[]]> => [
  ['dot-dot escape', [{ name: 'etc/', type: 'directory', mode: 0o755 }, { name: `../../../${marker}`, body: 'x' }]],
  ['absolute path', [{ name: `${outside}/${marker}`, body: 'x' }]],
  ['file through a symlink', [{ name: 'link', type: 'symlink', linkname: outside }, { name: `link/${marker}`, body: 'x' }]],
  ['symlink parent chain', [{ name: 'up', type: 'symlink', linkname: '../../../../../../..' }, { name: `up${outside}/${marker}`, body: 'x' }]],
  ['hardlink out of the layer', [{ name: marker, type: 'link', linkname: '../../../../../../etc/passwd' }]],
  ['hardlink through a symlink', [{ name: 'etc', type: 'symlink', linkname: '/etc' }, { name: marker, type: 'link', linkname: 'etc/passwd' }]],
];

/** Every path below the temp root whose name contains the marker. */
function markerFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.name.includes(marker)) found.push(p);
      if (e.isDirectory() && !e.isSymbolicLink()) walk(p);
    }
  };
  walk(d.tmpRoot);
  return found;
}

interface StoreState { images: string; layers: string[]; scratch: string[]; ingest: string[] }
async function storeState(): Promise<StoreState> {
  const ls = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
  return {
    images: await d.dockerOk(['images', '-a', '-q', '--no-trunc']),
    layers: ls(path.join(d.dataRoot, 'layers')),
    scratch: ls(path.join(d.dataRoot, 'tmp')),
    ingest: ls(path.join(d.dataRoot, 'content', 'ingest')),
  };
}

/** A `docker save` style archive whose only layer is `layer`. */
async function saveArchive(layer: Buffer, tag: string): Promise<Buffer> {
  const layerHex = createHash('sha256').update(layer).digest('hex');
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerHex}`] },
  }));
  const configHex = createHash('sha256').update(config).digest('hex');
  const manifest = [{ Config: `${configHex}.json`, RepoTags: [tag], Layers: [`${layerHex}/layer.tar`] }];
  return tarBuffer([
    { name: `${configHex}.json`, body: config },
    { name: `${layerHex}/`, type: 'directory', mode: 0o755 },
    { name: `${layerHex}/layer.tar`, body: layer },
    { name: 'manifest.json', body: JSON.stringify(manifest) },
  ]);
}

for (const [index, [label, entries]] of crafted().entries()) {
  test(`docker import refuses a crafted tar: ${label}`, async () => {
    const before = await storeState();
    const args = ['import', '-', `evil-import:${index}`];
    const r = await d.docker(args, { input: await tarBuffer(entries) });
    assert.equal(r.code, 1, show('docker', args, r));
    assert.match(r.stderr, /Error response from daemon: /);
    assert.deepEqual(markerFiles(), []);
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.deepEqual(await storeState(), before);
    assert.equal((await d.docker(['image', 'inspect', `evil-import:${index}`])).code, 1);
  });

  test(`docker load refuses a crafted layer: ${label}`, async () => {
    const before = await storeState();
    const r = await d.docker(['load'], { input: await saveArchive(await tarBuffer(entries), `evil-load:${index}`) });
    assert.equal(r.code, 1, show('docker', ['load'], r));
    assert.deepEqual(markerFiles(), []);
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.deepEqual(await storeState(), before);
    assert.equal((await d.docker(['image', 'inspect', `evil-load:${index}`])).code, 1);
  });
}

test('the engine still imports a clean tar afterwards', async () => {
  const clean = await tarBuffer([{ name: 'hello.txt', body: 'fine\n' }]);
  const r = await d.docker(['import', '-', 'clean:1'], { input: clean });
  assert.equal(r.code, 0, show('docker', ['import'], r));
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
});
