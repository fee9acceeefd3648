// berth_native: errno-shaped errors, mknod, xattrs on links, mount with a
// private cwd, and the SOCK_SEQPACKET socket against a Python peer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as native from '../src/native';
import { tempDir, unmountBelow } from './archive-fixtures';

const tmp = tempDir('berth-native-');
after(() => {
  unmountBelow(tmp);
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('errors carry code, errno, syscall and path like Node fs errors', () => {
  const missing = path.join(tmp, 'missing', 'node');
  assert.throws(() => native.mknod(missing, native.S_IFIFO | 0o600, 0), (err: NodeJS.ErrnoException) => {
    assert.equal(err.code, 'ENOENT');
    assert.equal(err.errno, -2);
    assert.equal(err.syscall, 'mknod');
    assert.equal(err.path, missing);
    assert.equal(err.message, `ENOENT: no such file or directory, mknod '${missing}'`);
    return true;
  });
  assert.throws(() => native.umount2(tmp, 0), { code: 'EINVAL', syscall: 'umount2' });
  assert.throws(() => native.lsetxattr(tmp, 'user.x', 'text' as unknown as Buffer), TypeError);
  assert.throws(() => native.mknod('a\0b', 0, 0), TypeError);
});

test('mknod and makedev make devices and fifos', () => {
  const dev = path.join(tmp, 'null');
  native.mknod(dev, native.S_IFCHR | 0o600, native.makedev(1, 3));
  assert.ok(fs.statSync(dev).isCharacterDevice());
  assert.equal(fs.statSync(dev).rdev, native.makedev(1, 3));
  assert.equal(native.makedev(1, 3), 259);
  native.mknod(path.join(tmp, 'fifo'), native.S_IFIFO | 0o600, 0);
  assert.ok(fs.statSync(path.join(tmp, 'fifo')).isFIFO());
});

test('xattrs never follow symlinks and keep binary values', () => {
  const file = path.join(tmp, 'file');
  const link = path.join(tmp, 'link');
  fs.writeFileSync(file, '');
  fs.symlinkSync(file, link);
  const value = Buffer.from([0, 1, 255, 128]);
  native.lsetxattr(file, 'user.bin', value);
  assert.deepEqual(native.lgetxattr(file, 'user.bin'), value);
  assert.equal(native.lgetxattr(link, 'user.bin'), null, 'the link itself has no attribute');
  native.lsetxattr(link, 'trusted.mark', Buffer.from('on-link'));
  assert.equal(native.lgetxattr(file, 'trusted.mark'), null, 'setting on the link did not reach the file');
  assert.deepEqual(native.llistxattr(link), ['trusted.mark']);
  native.lsetxattr(file, 'user.empty', Buffer.alloc(0));
  assert.deepEqual(native.lgetxattr(file, 'user.empty'), Buffer.alloc(0));
  assert.deepEqual(native.llistxattr(file).sort(), ['user.bin', 'user.empty']);
});

test('mount with cwd resolves relative overlay lower dirs without touching the process cwd', () => {
  for (const d of ['lower/a', 'lower/b', 'upper', 'work', 'merged']) fs.mkdirSync(path.join(tmp, d), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'lower/a/from-a'), 'a');
  fs.writeFileSync(path.join(tmp, 'lower/b/from-b'), 'b');
  const cwd = process.cwd();
  const merged = path.join(tmp, 'merged');
  native.mount('overlay', merged, 'overlay', 0, `lowerdir=a:b,upperdir=${path.join(tmp, 'upper')},workdir=${path.join(tmp, 'work')}`, path.join(tmp, 'lower'));
  try {
    assert.equal(process.cwd(), cwd);
    assert.deepEqual(fs.readdirSync(merged).sort(), ['from-a', 'from-b']);
  } finally {
    native.umount2(merged, native.MNT_DETACH);
  }
  assert.throws(() => native.mount('overlay', merged, 'overlay', 0, 'lowerdir=a', path.join(tmp, 'nope')), { code: 'ENOENT' });
});

const PEER = `
import os, socket, sys
d, b = os.path.split(sys.argv[1]); os.chdir(d)
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(b); s.listen(1)
print("ready", flush=True)
c, _ = s.accept()
c.send(b"\\x02out"); c.send(b"\\x03err")
got = []
while True:
    p = c.recv(65536)
    if not p: break
    got.append(len(p))
c.send(b"\\x02" + (str(sum(got)) + " " + str(max(got))).encode())
c.close()
`;

test('seqpacket: packets keep their boundaries, long paths connect, writes are split, shutdown ends stdin', async () => {
  const dir = path.join(tmp, 'd'.repeat(120));
  fs.mkdirSync(dir);
  const sock = path.join(dir, 'attach');
  assert.ok(sock.length > 108);
  const peer = spawn('python3', ['-c', PEER, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve) => peer.stdout.once('data', resolve));
    const s = native.connectSeqpacketSocket(sock);
    const packets: string[] = [];
    const ended = new Promise<void>((resolve) => s.on('end', resolve));
    const closed = new Promise<void>((resolve) => s.on('close', resolve));
    s.on('data', (p: Buffer) => packets.push(`${p[0]}:${p.subarray(1).toString()}`));
    s.write(Buffer.alloc(100_000, 'i'));
    s.end();
    await ended;
    assert.deepEqual(packets, ['2:out', '3:err', `2:100000 ${native.MAX_PACKET}`]);
    await closed; // both sides done: the socket closes itself
  } finally {
    peer.kill();
  }
  assert.throws(() => native.connectSeqpacket(path.join(tmp, 'no-such-socket')), { code: 'ENOENT' });
});
