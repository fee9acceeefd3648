import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { openMetadataDb } from '../src/store';
import { createLayerStore, createRootfsStore, isMountPoint } from '../src/snapshot';
import * as native from '../src/native';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-snap-'));
const db = openMetadataDb(path.join(tmp, 'db'));
const layers = createLayerStore(path.join(tmp, 'layers'), db);
const rootfs = createRootfsStore(path.join(tmp, 'containers'), layers);
const containerId = 'a'.repeat(64);

after(async () => {
  try { await rootfs.remove(containerId); } catch { /* best effort */ }
  for (const mp of fs.readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m && m.startsWith(tmp))) {
    try { native.umount2(mp, native.MNT_DETACH); } catch { /* gone */ }
  }
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Entry = Partial<tar.Header> & { name: string; body?: string; pax?: Record<string, string> };
function tarOf(entries: Entry[]): Readable {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ mode: 0o644, mtime: new Date(1_600_000_000_000), ...e }, e.body ?? '');
  pack.finalize();
  return pack as unknown as Readable;
}

function tmpDirsLeft(): string[] {
  return fs.readdirSync(path.join(tmp, 'layers')).filter((n) => n.startsWith('tmp-'));
}

const malicious: Array<[string, Entry[]]> = [
  ['dot-dot escape', [{ name: '../escape.txt', body: 'x' }]],
  ['absolute path', [{ name: '/etc/escape.txt', body: 'x' }]],
  ['write through symlink', [{ name: 'link', type: 'symlink', linkname: '/tmp' }, { name: 'link/escape.txt', body: 'x' }]],
  ['symlink parent escape', [{ name: 'a', type: 'symlink', linkname: '../../../../..' }, { name: 'a/b/escape.txt', body: 'x' }]],
  ['hardlink outside', [{ name: 'hl', type: 'link', linkname: '../../../../etc/passwd' }]],
  ['hardlink through symlink', [{ name: 's', type: 'symlink', linkname: '/etc' }, { name: 'hl', type: 'link', linkname: 's/passwd' }]],
];

for (const [label, entries] of malicious) {
  test(`rejects a crafted layer: ${label}`, async () => {
    const before = fs.existsSync('/tmp/escape.txt');
    await assert.rejects(layers.applyLayer(null, tarOf(entries)), (err: Error & { kind?: string }) => err.kind === 'invalid-argument');
    assert.equal(fs.existsSync('/tmp/escape.txt'), before);
    assert.equal(fs.existsSync(path.join(tmp, 'escape.txt')), false);
    assert.deepEqual(tmpDirsLeft(), []);
  });
}

test('layers keep metadata, convert whiteouts, and mount as a rootfs', async () => {
  const base = await layers.applyLayer(null, tarOf([
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/keep', body: 'keep\n', uid: 1000, gid: 1001, mode: 0o4755 },
    { name: 'etc/gone', body: 'gone\n' },
    { name: 'etc/hard', type: 'link', linkname: 'etc/keep' },
    { name: 'etc/sym', type: 'symlink', linkname: 'keep' },
    { name: 'dev/', type: 'directory', mode: 0o755 },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
    { name: 'opaque/', type: 'directory', mode: 0o755 },
    { name: 'opaque/old', body: 'old' },
    { name: 'xattr', body: 'x', pax: { 'SCHILY.xattr.user.test': 'hello' } },
  ]));
  const diffDir = layers.lowerDirs(base.chainId)[0];
  const st = fs.statSync(path.join(diffDir, 'etc/keep'));
  assert.equal(st.uid, 1000);
  assert.equal(st.gid, 1001);
  assert.equal(st.mode & 0o7777, 0o4755);
  assert.equal(st.nlink, 2);
  assert.equal(fs.readlinkSync(path.join(diffDir, 'etc/sym')), 'keep');
  assert.ok(fs.statSync(path.join(diffDir, 'dev/null')).isCharacterDevice());
  assert.equal(native.lgetxattr(path.join(diffDir, 'xattr'), 'user.test')?.toString(), 'hello');

  // Same content again: stored once.
  const again = await layers.applyLayer(null, tarOf([
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/keep', body: 'keep\n', uid: 1000, gid: 1001, mode: 0o4755 },
    { name: 'etc/gone', body: 'gone\n' },
    { name: 'etc/hard', type: 'link', linkname: 'etc/keep' },
    { name: 'etc/sym', type: 'symlink', linkname: 'keep' },
    { name: 'dev/', type: 'directory', mode: 0o755 },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
    { name: 'opaque/', type: 'directory', mode: 0o755 },
    { name: 'opaque/old', body: 'old' },
    { name: 'xattr', body: 'x', pax: { 'SCHILY.xattr.user.test': 'hello' } },
  ]));
  assert.equal(again.chainId, base.chainId);

  const top = await layers.applyLayer(base.chainId, tarOf([
    { name: 'etc/.wh.gone', body: '' },
    { name: 'opaque/.wh..wh..opq', body: '' },
    { name: 'opaque/new', body: 'new' },
  ]));
  assert.notEqual(top.chainId, top.diffId);
  assert.deepEqual(layers.chainIds([base.diffId, top.diffId]), [base.chainId, top.chainId]);

  await rootfs.create(containerId, top.chainId);
  const root = await rootfs.mount(containerId);
  assert.ok(isMountPoint(root));
  assert.equal(fs.readFileSync(path.join(root, 'etc/keep'), 'utf8'), 'keep\n');
  assert.equal(fs.existsSync(path.join(root, 'etc/gone')), false);
  assert.deepEqual(fs.readdirSync(path.join(root, 'opaque')), ['new']);
  fs.writeFileSync(path.join(root, 'etc/written'), 'w');
  assert.equal(fs.existsSync(path.join(diffDir, 'etc/written')), false);
  assert.ok(fs.existsSync(path.join(rootfs.upperDir(containerId), 'etc/written')));
  assert.ok((await rootfs.sizeRw(containerId)) >= 1);
  await rootfs.unmount(containerId);
  assert.equal(isMountPoint(root), false);

  // References: the container holds the chain; removing it frees unreferenced layers.
  await rootfs.remove(containerId);
  assert.equal(layers.has(top.chainId), false);
  assert.equal(layers.has(base.chainId), false);
  assert.equal(fs.existsSync(diffDir), false);
});

test('repair drops half-extracted layers', async () => {
  fs.mkdirSync(path.join(tmp, 'layers', 'tmp-crashed', 'diff'), { recursive: true });
  await layers.repair();
  assert.deepEqual(tmpDirsLeft(), []);
});
