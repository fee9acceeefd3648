// createLayerTar: dir → tar → dir round trips keep everything extractLayer keeps;
// overlay whiteouts and opaque dirs go back to AUFS form; GNU tar reads the output.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createLayerTar, extractLayer } from '../src/archive';
import * as native from '../src/native';
import { linkGroups, snapshotTree, tarStream, tempDir, withoutInodes } from './archive-fixtures';

const tmp = tempDir('berth-create-');
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => fs.mkdtempSync(path.join(tmp, `d${n++}-`));

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function buildTree(root: string): void {
  const long = Array.from({ length: 5 }, (_, i) => `level-${i}-${'y'.repeat(50)}`).join('/');
  fs.mkdirSync(path.join(root, long), { recursive: true });
  fs.writeFileSync(path.join(root, long, `${'n'.repeat(120)}.txt`), 'long name');
  fs.mkdirSync(path.join(root, 'bin'));
  fs.writeFileSync(path.join(root, 'bin/tool'), 'tool');
  fs.chmodSync(path.join(root, 'bin/tool'), 0o4711);
  fs.linkSync(path.join(root, 'bin/tool'), path.join(root, 'bin/tool-link'));
  fs.linkSync(path.join(root, 'bin/tool'), path.join(root, 'hard-at-top'));
  fs.symlinkSync('tool', path.join(root, 'bin/sym'));
  fs.symlinkSync(`/${'z'.repeat(200)}`, path.join(root, 'bin/long-target'));
  fs.lchownSync(path.join(root, 'bin/sym'), 12, 34);
  fs.mkdirSync(path.join(root, 'dev'));
  native.mknod(path.join(root, 'dev/tty'), native.S_IFCHR | 0o666, native.makedev(5, 0));
  native.mknod(path.join(root, 'dev/sda'), native.S_IFBLK | 0o660, native.makedev(8, 0));
  native.mknod(path.join(root, 'dev/big'), native.S_IFCHR | 0o600, native.makedev(300, 70000));
  native.mknod(path.join(root, 'dev/fifo'), native.S_IFIFO | 0o640, 0);
  fs.chmodSync(path.join(root, 'dev/tty'), 0o666);
  fs.mkdirSync(path.join(root, 'empty'), { mode: 0o1777 });
  fs.chmodSync(path.join(root, 'empty'), 0o1777);
  fs.writeFileSync(path.join(root, 'big.bin'), randomBytes(700_000));
  fs.writeFileSync(path.join(root, 'ü-owned'), 'x');
  fs.chownSync(path.join(root, 'ü-owned'), 2_500_000, 70000); // beyond 7 octal digits: PAX uid
  native.lsetxattr(path.join(root, 'ü-owned'), 'user.bin', Buffer.from([0, 255, 10, 61]));
  for (const p of ['bin/tool', 'big.bin', 'ü-owned', 'bin', 'empty']) fs.utimesSync(path.join(root, p), 1_500_000_000, 1_500_000_000);
}

test('dir → tar → dir keeps names, owners, modes, times, links, devices and xattrs', async () => {
  const src = freshDir();
  buildTree(src);
  const bytes = await collect(createLayerTar(src));
  assert.deepEqual(bytes, await collect(createLayerTar(src)), 'output is deterministic');
  const dest = freshDir();
  const result = await extractLayer(Readable.from([bytes]), dest);
  assert.equal(result.size, 9 + 4 + 700_000 + 1);
  const a = snapshotTree(src);
  const b = snapshotTree(dest);
  a.delete(''); b.delete(''); // roots are made by the caller, not by the tar
  assert.deepEqual(withoutInodes(b), withoutInodes(a));
  assert.deepEqual(linkGroups(b), linkGroups(a));
  assert.deepEqual(linkGroups(b), [['bin/tool', 'bin/tool-link', 'hard-at-top']]);

  // GNU tar reads the same archive with the same content.
  const gnu = freshDir();
  execFileSync('tar', ['--xattrs', '--xattrs-include=*', '--numeric-owner', '-p', '-C', gnu, '-xf', '-'], { input: bytes });
  const c = snapshotTree(gnu);
  c.delete('');
  assert.deepEqual(withoutInodes(c), withoutInodes(a));
});

test('overlay whiteouts and opaque dirs become .wh. entries and come back as overlay form', async () => {
  const src = freshDir();
  await extractLayer(await tarStream([
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/.wh.passwd', body: '' },
    { name: 'opq/', type: 'directory', mode: 0o755 },
    { name: 'opq/.wh..wh..opq', body: '' },
    { name: 'opq/new', body: 'n' },
  ]), src);
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path.join(src, 'sock'), resolve));
  try {
    const bytes = await collect(createLayerTar(src));
    const listing = execFileSync('tar', ['-tf', '-'], { input: bytes }).toString().trim().split('\n');
    assert.deepEqual(listing, ['etc/', 'etc/.wh.passwd', 'opq/', 'opq/.wh..wh..opq', 'opq/new'], 'sockets skipped, whiteouts in AUFS form');
    assert.equal(bytes.includes(Buffer.from('trusted.overlay')), false, 'overlay xattrs stay out of the tar');
    const dest = freshDir();
    await extractLayer(Readable.from([bytes]), dest);
    assert.ok(fs.lstatSync(path.join(dest, 'etc/passwd')).isCharacterDevice());
    assert.equal(native.lgetxattr(path.join(dest, 'opq'), 'trusted.overlay.opaque')?.toString(), 'y');

    const kept = await collect(createLayerTar(src, { whiteouts: 'keep' }));
    const keptListing = execFileSync('tar', ['-tvf', '-'], { input: kept }).toString();
    assert.match(keptListing, /^c.* etc\/passwd$/m, 'keep mode leaves the device as it is');
  } finally {
    server.close();
  }
});
