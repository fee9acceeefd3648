// RootfsStore on real overlayfs: writes land in the upper dir only, whiteouts
// hide lower files, mount/unmount/remove are idempotent, references follow the
// container across a daemon restart, busy mounts are detached.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { openMetadataDb } from '../src/store';
import { createLayerStore, createRootfsStore, isMountPoint } from '../src/snapshot';
import { tarStream, tempDir, unmountBelow } from './archive-fixtures';

const tmp = tempDir('berth-rootfs-');
const db = openMetadataDb(path.join(tmp, 'db'));
const layersRoot = path.join(tmp, 'layers');
const containersRoot = path.join(tmp, 'containers');
let layers = createLayerStore(layersRoot, db);
let rootfs = createRootfsStore(containersRoot, layers);
const idA = 'a'.repeat(64);
const idB = 'b'.repeat(64);
after(() => {
  unmountBelow(tmp);
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const layerDirs = (): string[] => fs.readdirSync(layersRoot).filter((n) => n !== 'l' && n !== 'empty');

test('mount, write, whiteouts, unmount and remove on a two-layer image', async () => {
  const base = await layers.applyLayer(null, await tarStream([
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/keep', body: 'keep\n' },
    { name: 'etc/gone', body: 'gone\n' },
    { name: 'opaque/', type: 'directory', mode: 0o755 },
    { name: 'opaque/old', body: 'old' },
  ]));
  const top = await layers.applyLayer(base.chainId, await tarStream([
    { name: 'etc/.wh.gone', body: '' },
    { name: 'opaque/.wh..wh..opq', body: '' },
    { name: 'opaque/new', body: 'new' },
  ]));
  layers.retain([base.chainId, top.chainId]); // an image holds it
  await rootfs.create(idA, top.chainId);
  await rootfs.create(idA, top.chainId); // idempotent: no second reference
  const root = await rootfs.mount(idA);
  assert.equal(await rootfs.mount(idA), root, 'mount is idempotent');
  assert.ok(rootfs.isMounted(idA) && isMountPoint(root));
  assert.equal(fs.readFileSync(path.join(root, 'etc/keep'), 'utf8'), 'keep\n');
  assert.equal(fs.existsSync(path.join(root, 'etc/gone')), false, 'whiteout hides the lower file');
  assert.deepEqual(fs.readdirSync(path.join(root, 'opaque')), ['new'], 'opaque dir hides lower entries');

  fs.writeFileSync(path.join(root, 'etc/written'), 'w'.repeat(1000));
  fs.linkSync(path.join(root, 'etc/written'), path.join(root, 'etc/written-too'));
  fs.symlinkSync('/does/not/matter', path.join(root, 'etc/link'));
  fs.writeFileSync(path.join(root, 'etc/keep'), 'changed\n');
  const lowerTop = layers.lowerDirs(top.chainId);
  for (const lower of lowerTop) assert.equal(fs.existsSync(path.join(lower, 'etc/written')), false, 'lower dirs unchanged');
  assert.equal(fs.readFileSync(path.join(layers.lowerDirs(base.chainId)[0], 'etc/keep'), 'utf8'), 'keep\n');
  assert.ok(fs.existsSync(path.join(rootfs.upperDir(idA), 'etc/written')));
  // 1000 (hardlinked pair counted once) + 8 ("changed\n") + symlink target length
  assert.equal(await rootfs.sizeRw(idA), 1000 + 8 + '/does/not/matter'.length);

  await rootfs.unmount(idA);
  await rootfs.unmount(idA);
  assert.equal(rootfs.isMounted(idA), false);
  const again = await rootfs.mount(idA);
  assert.equal(fs.readFileSync(path.join(again, 'etc/written'), 'utf8').length, 1000, 'upper survives remounts');

  // A second container on the same image is isolated from the first.
  await rootfs.create(idB, top.chainId);
  const rootB = await rootfs.mount(idB);
  assert.equal(fs.existsSync(path.join(rootB, 'etc/written')), false);
  assert.equal(fs.readFileSync(path.join(rootB, 'etc/keep'), 'utf8'), 'keep\n');
  assert.deepEqual(await rootfs.list(), [idA, idB]);

  await rootfs.remove(idA);
  await rootfs.remove(idA);
  assert.equal(isMountPoint(root), false);
  assert.deepEqual(fs.readdirSync(path.join(containersRoot, idA)), [], 'upper/work/rootfs gone, the dir is the container service\'s');
  assert.deepEqual(await rootfs.list(), [idB]);
  await layers.release([base.chainId, top.chainId]); // the image goes
  assert.equal(layerDirs().length, 2, 'container B still holds the chain');
  await rootfs.remove(idB);
  assert.deepEqual(layerDirs(), []);
});

test('a container without image layers mounts on an empty lower dir', async () => {
  await rootfs.create(idA, null);
  const root = await rootfs.mount(idA);
  assert.deepEqual(fs.readdirSync(root), []);
  fs.mkdirSync(path.join(root, 'data'));
  assert.ok(fs.existsSync(path.join(rootfs.upperDir(idA), 'data')));
  await rootfs.remove(idA);
  assert.deepEqual(fs.readdirSync(path.join(layersRoot, 'empty')), [], 'the shared empty lower dir stays empty');
});

test('references and the mount recipe survive a daemon restart; busy mounts are detached', async () => {
  const layer = await layers.applyLayer(null, await tarStream([{ name: 'bin/', type: 'directory' }, { name: 'bin/sh', body: 'sh', mode: 0o755 }]));
  await rootfs.create(idA, layer.chainId);
  await rootfs.mount(idA);
  // "Restart": new store objects on the same database; repair must keep the layer.
  layers = createLayerStore(layersRoot, db);
  await layers.repair();
  rootfs = createRootfsStore(containersRoot, layers);
  assert.ok(layers.has(layer.chainId));
  assert.ok(rootfs.isMounted(idA));
  await rootfs.unmount(idA);
  const root = await rootfs.mount(idA);
  assert.equal(fs.readFileSync(path.join(root, 'bin/sh'), 'utf8'), 'sh');

  const busy = spawn('sleep', ['30'], { cwd: path.join(root, 'bin'), stdio: 'ignore' });
  try {
    await new Promise((resolve) => busy.once('spawn', resolve));
    await rootfs.unmount(idA); // EBUSY → lazy detach
    assert.equal(rootfs.isMounted(idA), false);
  } finally {
    busy.kill('SIGKILL');
  }
  await rootfs.remove(idA);
  assert.deepEqual(layerDirs(), []);
});

test('rootfs dirs left by an earlier version are adopted; bad IDs are refused', async () => {
  const layer = await layers.applyLayer(null, await tarStream([{ name: 'x', body: 'x' }]));
  layers.retain([layer.chainId]); // what the earlier version did at create time
  fs.mkdirSync(path.join(containersRoot, idB, 'upper'), { recursive: true });
  fs.mkdirSync(path.join(containersRoot, idB, 'work'));
  fs.mkdirSync(path.join(containersRoot, idB, 'rootfs'));
  fs.writeFileSync(path.join(containersRoot, idB, 'rootfs-chain'), layer.chainId);
  rootfs = createRootfsStore(containersRoot, layers);
  assert.deepEqual(await rootfs.list(), [idB]);
  const root = await rootfs.mount(idB);
  assert.equal(fs.readFileSync(path.join(root, 'x'), 'utf8'), 'x');
  await rootfs.remove(idB);
  assert.deepEqual(layerDirs(), []);
  await assert.rejects(rootfs.create('../../etc', null), (err: Error & { kind?: string }) => err.kind === 'not-found');
  await assert.rejects(rootfs.create(idA, 'sha256:' + '1'.repeat(64)), (err: Error & { kind?: string }) => err.kind === 'not-found');
  assert.equal(fs.existsSync(path.join(containersRoot, idA, 'upper')), false, 'nothing made for an unknown chain');
});
