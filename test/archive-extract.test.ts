// extractLayer: metadata preservation, whiteout conversion, diff IDs, long names,
// replacement rules and input errors (crafted escapes: archive-malicious.test.ts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { extractLayer } from '../src/archive';
import * as native from '../src/native';
import { MTIME, sha256, snapshotTree, tarBuffer, tarStream, tempDir, type Entry } from './archive-fixtures';

const tmp = tempDir('berth-extract-');
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => fs.mkdtempSync(path.join(tmp, `d${n++}-`));
const secs = Math.floor(MTIME.getTime() / 1000);
// A valid VFS_CAP_REVISION_2 blob granting cap_net_raw (bit 13) as permitted + effective.
const CAP_NET_RAW = Buffer.from([0x01, 0, 0, 0x02, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

test('ownership, modes, times, hardlinks, symlinks, devices, fifos and xattrs are preserved', async () => {
  const dest = freshDir();
  const entries: Entry[] = [
    { name: 'etc/', type: 'directory', mode: 0o750, uid: 3, gid: 4 },
    { name: 'etc/suid', body: 'data\n', mode: 0o4755, uid: 1000, gid: 1001 },
    { name: 'etc/hard', type: 'link', linkname: 'etc/suid' },
    { name: 'etc/sym', type: 'symlink', linkname: 'suid', uid: 5, gid: 6 },
    { name: 'tmp/', type: 'directory', mode: 0o1777 },
    { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
    { name: 'dev/loop0', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660, gid: 6 },
    { name: 'run/fifo', type: 'fifo', mode: 0o620 },
    { name: 'xattr', body: 'x', pax: { 'SCHILY.xattr.user.test': 'hello' } },
    { name: 'ping', body: 'elf', uid: 1000, pax: { 'SCHILY.xattr.security.capability': CAP_NET_RAW.toString('latin1') } },
    { name: 'ünïcode name', body: 'u' },
  ];
  const result = await extractLayer(await tarStream(entries), dest);
  assert.equal(result.size, 5 + 1 + 3 + 1);
  const tree = snapshotTree(dest);
  const get = (p: string) => { const i = tree.get(p); assert.ok(i, `missing ${p}`); return i; };
  assert.deepEqual([get('etc').mode, get('etc').uid, get('etc').gid, get('etc').mtime], [0o750, 3, 4, secs]);
  assert.deepEqual([get('etc/suid').mode, get('etc/suid').uid, get('etc/suid').gid, get('etc/suid').mtime], [0o4755, 1000, 1001, secs]);
  assert.equal(get('etc/hard').ino, get('etc/suid').ino);
  assert.deepEqual([get('etc/sym').type, get('etc/sym').link, get('etc/sym').uid, get('etc/sym').gid], ['symlink', 'suid', 5, 6]);
  assert.equal(Math.floor(fs.lstatSync(path.join(dest, 'etc/sym')).mtimeMs / 1000), secs);
  assert.equal(get('tmp').mode, 0o1777);
  assert.deepEqual([get('dev/null').type, get('dev/null').rdev, get('dev/null').mode], ['char', native.makedev(1, 3), 0o666]);
  assert.deepEqual([get('dev/loop0').type, get('dev/loop0').rdev, get('dev/loop0').gid], ['block', native.makedev(7, 0), 6]);
  assert.deepEqual([get('run/fifo').type, get('run/fifo').mode], ['fifo', 0o620]);
  assert.equal(get('run').mode, 0o755); // implied parent
  assert.deepEqual(get('xattr').xattrs, { 'user.test': Buffer.from('hello').toString('hex') });
  // chown would clear a capability set before it: it must survive on a non-root file.
  assert.equal(get('ping').uid, 1000);
  assert.equal(get('ping').xattrs['security.capability'], CAP_NET_RAW.toString('hex'));
  assert.equal(fs.readFileSync(path.join(dest, 'ünïcode name'), 'utf8'), 'u');
});

test('binary xattr values and GNU long names written by GNU tar come through byte for byte', async () => {
  const src = freshDir();
  const long = Array.from({ length: 6 }, (_, i) => `directory-level-${i}-${'x'.repeat(40)}`).join('/');
  fs.mkdirSync(path.join(src, long), { recursive: true });
  fs.writeFileSync(path.join(src, long, 'file'), 'deep');
  fs.symlinkSync(`../${'t'.repeat(150)}`, path.join(src, 'longlink'));
  const value = Buffer.from([0x00, 0xff, 0x80, 0xfe, 0x0a, 0x3d, 0x20]);
  native.lsetxattr(path.join(src, long, 'file'), 'user.bin', value);
  for (const format of ['posix', 'gnu']) {
    const xattrs = format === 'posix' ? ['--xattrs', '--xattrs-include=*'] : [];
    const bytes = execFileSync('tar', [...xattrs, `--format=${format}`, '-C', src, '-cf', '-', '.']);
    const dest = freshDir();
    const result = await extractLayer(Readable.from([bytes]), dest);
    assert.equal(result.diffId, sha256(bytes));
    assert.equal(fs.readFileSync(path.join(dest, long, 'file'), 'utf8'), 'deep');
    assert.equal(fs.readlinkSync(path.join(dest, 'longlink')), `../${'t'.repeat(150)}`);
    if (format === 'posix') assert.deepEqual(native.lgetxattr(path.join(dest, long, 'file'), 'user.bin'), value);
  }
});

test('diff ID covers every uncompressed byte; gzip input gives the same diff ID', async () => {
  const plain = Buffer.concat([await tarBuffer([{ name: 'a', body: 'abc' }, { name: 'big', body: randomBytes(3 << 20) }]), Buffer.alloc(10240)]);
  const a = await extractLayer(Readable.from([plain]), freshDir());
  assert.equal(a.diffId, sha256(plain));
  assert.equal(a.size, 3 + (3 << 20));
  const dest = freshDir();
  const gz = gzipSync(plain);
  // Deliver the gzip stream in odd-sized pieces to exercise the magic sniffing and reader.
  const pieces = Array.from({ length: Math.ceil(gz.length / 7777) }, (_, i) => gz.subarray(i * 7777, (i + 1) * 7777));
  const b = await extractLayer(Readable.from(pieces), dest);
  assert.equal(b.diffId, a.diffId);
  assert.equal(fs.statSync(path.join(dest, 'big')).size, 3 << 20);
  const empty = Buffer.alloc(1024);
  const c = await extractLayer(Readable.from([empty]), freshDir());
  assert.deepEqual(c, { diffId: sha256(empty), size: 0 });
});

test('whiteouts become overlay whiteouts and opaque dirs; keep mode leaves them as files', async () => {
  const entries: Entry[] = [
    { name: 'etc/.wh.gone', body: '' },
    { name: '.wh.toplevel', body: '' },
    { name: 'opq/', type: 'directory', mode: 0o755 },
    { name: 'opq/.wh..wh..opq', body: '' },
    { name: 'opq/new', body: 'n' },
    { name: '.wh..wh.plnk/', type: 'directory' },
    { name: 'etc/.wh..wh.aufs', body: '' },
    { name: 'x', body: '', pax: { 'SCHILY.xattr.trusted.overlay.redirect': '/elsewhere', 'SCHILY.xattr.user.ok': '1' } },
  ];
  const dest = freshDir();
  await extractLayer(await tarStream(entries), dest);
  for (const p of ['etc/gone', 'toplevel']) {
    const st = fs.lstatSync(path.join(dest, p));
    assert.ok(st.isCharacterDevice() && st.rdev === 0, `${p} is a 0:0 whiteout`);
  }
  assert.equal(native.lgetxattr(path.join(dest, 'opq'), 'trusted.overlay.opaque')?.toString(), 'y');
  assert.deepEqual(fs.readdirSync(dest).sort(), ['etc', 'opq', 'toplevel', 'x']);
  assert.deepEqual(fs.readdirSync(path.join(dest, 'etc')), ['gone']);
  assert.equal(native.lgetxattr(path.join(dest, 'x'), 'trusted.overlay.redirect'), null, 'overlay xattrs never come from a tar');
  assert.equal(native.lgetxattr(path.join(dest, 'x'), 'user.ok')?.toString(), '1');

  const kept = freshDir();
  await extractLayer(await tarStream(entries), kept, { whiteouts: 'keep' });
  assert.ok(fs.lstatSync(path.join(kept, 'etc/.wh.gone')).isFile());
  assert.ok(fs.existsSync(path.join(kept, 'opq/.wh..wh..opq')));
});

test('later entries replace earlier ones in place, never through them', async () => {
  const outside = freshDir();
  fs.writeFileSync(path.join(outside, 'target'), 'original');
  const dest = freshDir();
  await extractLayer(await tarStream([
    { name: 'a', body: 'file first' },
    { name: 'a/', type: 'directory', mode: 0o711 },
    { name: 'a/b', body: 'inside' },
    { name: 'x/', type: 'directory' },
    { name: 'x/y', body: 'gone soon' },
    { name: 'x', body: 'x is a file now' },
    { name: 'l', type: 'symlink', linkname: path.join(outside, 'target') },
    { name: 'l', body: 'replaces the link' },
    { name: 'd/', type: 'directory', mode: 0o700 },
    { name: 'd/keep', body: 'k' },
    { name: 'd/', type: 'directory', mode: 0o755, uid: 7 },
  ]), dest);
  assert.equal(fs.readFileSync(path.join(dest, 'a/b'), 'utf8'), 'inside');
  assert.equal(fs.statSync(path.join(dest, 'a')).mode & 0o7777, 0o711);
  assert.equal(fs.readFileSync(path.join(dest, 'x'), 'utf8'), 'x is a file now');
  assert.ok(fs.lstatSync(path.join(dest, 'l')).isFile());
  assert.equal(fs.readFileSync(path.join(outside, 'target'), 'utf8'), 'original');
  assert.equal(fs.readFileSync(path.join(dest, 'd/keep'), 'utf8'), 'k', 'a repeated directory entry keeps its contents');
  assert.deepEqual([fs.statSync(path.join(dest, 'd')).mode & 0o777, fs.statSync(path.join(dest, 'd')).uid], [0o755, 7]);
});

test('broken input is refused as invalid', async () => {
  const good = await tarBuffer([{ name: 'f', body: randomBytes(5000) }, { name: 'g', body: 'x' }]);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['truncated body', good.subarray(0, 2048), /unexpected end of archive/],
    ['bad checksum', Buffer.concat([Buffer.from(good.subarray(0, 512)).fill(0x41, 0, 10), good.subarray(512)]), /checksum/],
    ['corrupt gzip', Buffer.concat([gzipSync(good).subarray(0, 100), Buffer.alloc(100, 7)]), /invalid layer tar/],
    ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]), /unsupported compression format: xz/],
    ['garbage', randomBytes(4096), /invalid tar archive/],
  ];
  for (const [label, bytes, pattern] of cases) {
    await assert.rejects(extractLayer(Readable.from([bytes]), freshDir()), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'invalid-argument', `${label}: ${err.message}`);
      assert.match(err.message, pattern, label);
      return true;
    });
  }
});
