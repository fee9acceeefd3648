// Container filesystem operations against a real berthd: docker cp (both ways, tar
// on stdin/stdout), diff, export, commit, the archive API's errors, symlinks that
// point outside the container, read-only rootfs, the Python SDK, and no mount left
// behind on stopped containers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startDaemon, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
let work: string;
before(async () => {
  d = await startDaemon();
  work = fs.mkdtempSync('/tmp/berth-fs-');
});
after(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await d?.cleanup();
});

function containerMounts(): string[] {
  return d.leftovers().mounts.map((m) => m.target).filter((m) => m.includes('/containers/'));
}

async function ok(args: string[], input?: string | Buffer): Promise<string> {
  const r = await d.docker(args, { input });
  assert.equal(r.code, 0, show('docker', args, r));
  return r.stdout;
}

function tarList(buf: Buffer): string[] {
  return execFileSync('tar', ['-tvf', '-'], { input: buf }).toString().trim().split('\n');
}

test('docker cp a directory into a stopped container and back: modes, owners and mtimes kept; nothing stays mounted', async () => {
  const src = path.join(work, 'src');
  fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(src, 'sub', 'file'), 'payload\n');
  fs.chmodSync(path.join(src, 'sub', 'file'), 0o604);
  fs.chmodSync(path.join(src, 'sub'), 0o750);
  fs.chownSync(path.join(src, 'sub', 'file'), 1234, 5678);
  fs.utimesSync(path.join(src, 'sub', 'file'), 1577934245, 1577934245);
  fs.symlinkSync('file', path.join(src, 'sub', 'link'));
  await ok(['create', '--name', 'cpdir', 'busybox', 'sh', '-c', 'stat -c "%a %u:%g %Y %n" /tmp/src/sub /tmp/src/sub/file; readlink /tmp/src/sub/link; cat /tmp/src/sub/file']);
  await ok(['cp', src, 'cpdir:/tmp/']);
  assert.deepEqual(containerMounts(), [], 'cp into a stopped container left its rootfs mounted');
  await ok(['start', '-a', 'cpdir']).then((out) => {
    assert.equal(out, '750 0:0 ' + out.split('\n')[0].split(' ')[2] + ' /tmp/src/sub\n604 1234:5678 1577934245 /tmp/src/sub/file\nfile\npayload\n');
  });
  const back = path.join(work, 'back');
  await ok(['cp', 'cpdir:/tmp/src', back]);
  assert.deepEqual(containerMounts(), []);
  const st = fs.statSync(path.join(back, 'sub', 'file'));
  assert.equal(st.mode & 0o7777, 0o604);
  assert.equal(Math.floor(st.mtimeMs / 1000), 1577934245);
  assert.equal(fs.statSync(path.join(back, 'sub')).mode & 0o7777, 0o750);
  assert.equal(fs.readlinkSync(path.join(back, 'sub', 'link')), 'file');
  assert.equal(fs.readFileSync(path.join(back, 'sub', 'file'), 'utf8'), 'payload\n');
  // A single file to a new name, and "dir/." copies the contents only.
  await ok(['cp', 'cpdir:/tmp/src/sub/file', path.join(work, 'renamed')]);
  assert.equal(fs.readFileSync(path.join(work, 'renamed'), 'utf8'), 'payload\n');
  fs.mkdirSync(path.join(work, 'contents'));
  await ok(['cp', 'cpdir:/tmp/src/sub/.', path.join(work, 'contents')]);
  assert.deepEqual(fs.readdirSync(path.join(work, 'contents')).sort(), ['file', 'link']);
});

test('docker cp with tar on stdin and stdout; a running container sees the file at once', async () => {
  await ok(['run', '-d', '--name', 'cprun', 'busybox', 'sleep', '300']);
  const tarBuf = execFileSync('tar', ['-c', '-C', path.join(work, 'src'), 'sub']);
  await ok(['cp', '-', 'cprun:/tmp'], tarBuf);
  const r = await d.docker(['cp', 'cprun:/tmp/sub/file', '-']);
  assert.match(r.stdout, /payload/);
});

test('docker cp from a running container to stdout is a tar of the path', async () => {
  const r = await d.docker(['cp', 'cprun:/tmp/sub', '-']);
  assert.equal(r.code, 0, show('docker', ['cp'], r));
  const names = tarList(r.stdoutBytes).map((l) => l.split(/\s+/).slice(5).join(' '));
  assert.ok(names.includes('sub/') && names.includes('sub/file') && names.includes('sub/link -> file'), names.join());
  const mounted = containerMounts();
  assert.equal(mounted.length, 1, `only the running container is mounted: ${mounted.join()}`);
});

test('archive API errors: missing path 404, file used as directory 400, empty path 400, PUT onto a file 400', async () => {
  const missing = await d.docker(['cp', 'cpdir:/nonexistent', work]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Could not find the file \/nonexistent in container cpdir/);
  const head = await d.api('HEAD', '/containers/cpdir/archive?path=/nonexistent');
  assert.equal(head.status, 404);
  const notDir = await d.api('GET', '/containers/cpdir/archive?path=/etc/passwd/');
  assert.equal(notDir.status, 400);
  const empty = await d.api('GET', '/containers/cpdir/archive?path=');
  assert.equal(empty.status, 400);
  assert.equal((empty.json as { message: string }).message, 'bad parameter: path cannot be empty');
  const onFile = await d.api('PUT', '/containers/cpdir/archive?path=/etc/passwd', { body: execFileSync('tar', ['-c', '-C', work, 'renamed']) });
  assert.equal(onFile.status, 400);
  assert.equal((onFile.json as { message: string }).message, 'extraction point is not a directory');
  const noCtr = await d.api('HEAD', '/containers/nosuch/archive?path=/');
  assert.equal(noCtr.status, 404);
  assert.deepEqual(containerMounts().length, 1);
});

test('HEAD archive: Go FileMode bits and a symlink target resolved inside the container', async () => {
  const dir = await d.api('HEAD', '/containers/cpdir/archive?path=/tmp/src/sub');
  assert.equal(dir.status, 200);
  const stat = JSON.parse(Buffer.from(String(dir.headers['x-docker-container-path-stat']), 'base64').toString()) as Record<string, unknown>;
  assert.equal(stat.name, 'sub');
  assert.equal(stat.mode, 2 ** 31 + 0o750);
  const link = await d.api('HEAD', '/containers/cpdir/archive?path=/tmp/src/sub/link');
  const lstat = JSON.parse(Buffer.from(String(link.headers['x-docker-container-path-stat']), 'base64').toString()) as Record<string, unknown>;
  assert.equal(lstat.mode, 2 ** 27 + 0o777);
  assert.equal(lstat.linkTarget, '/tmp/src/sub/file');
});

test('symlinks pointing outside the container resolve inside its rootfs (read and write)', async () => {
  // /escape -> /../../../../tmp/<work> and /abs -> <work>: both must stay in the container.
  fs.writeFileSync(path.join(work, 'host-secret'), 'host only\n');
  await ok(['run', '--name', 'links', 'busybox', 'sh', '-c',
    `ln -s ../../../../..${work} /escape && ln -s ${work} /abs && mkdir -p ${work} && echo inside > ${work}/host-secret`]);
  const r = await d.docker(['cp', 'links:/escape/host-secret', '-']);
  assert.equal(r.code, 0, show('docker', ['cp'], r));
  assert.match(r.stdout, /inside/);
  assert.doesNotMatch(r.stdout, /host only/);
  const r2 = await d.docker(['cp', '-L', 'links:/abs/host-secret', path.join(work, 'fetched')]);
  assert.equal(r2.code, 0, show('docker', ['cp'], r2));
  assert.equal(fs.readFileSync(path.join(work, 'fetched'), 'utf8'), 'inside\n');
  // Writing through the link lands in the container, never on the host.
  fs.writeFileSync(path.join(work, 'planted'), 'x');
  await ok(['cp', path.join(work, 'planted'), 'links:/escape/']);
  assert.equal(fs.existsSync(path.join(work, 'planted')), true);
  const planted = await d.docker(['cp', `links:${work}/planted`, '-']);
  assert.equal(planted.code, 0, show('docker', ['cp'], planted));
  assert.equal(fs.readFileSync(path.join(work, 'host-secret'), 'utf8'), 'host only\n');
});

test('read-only rootfs: docker cp into it is refused', async () => {
  await ok(['create', '--name', 'ro', '--read-only', 'busybox', 'true']);
  const r = await d.docker(['cp', path.join(work, 'renamed'), 'ro:/tmp/']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /container rootfs is marked read-only/);
  assert.deepEqual(containerMounts().length, 1);
});

test('docker diff lists A/C/D with parents, and leaves out runtime mount points', async () => {
  await ok(['run', '--name', 'changes', 'busybox', 'sh', '-c', 'echo hi > /root/new; rm /bin/ls; mkdir -p /tmp/d/e; echo x > /tmp/d/e/f; echo y >> /etc/passwd']);
  const out = await ok(['diff', 'changes']);
  assert.deepEqual(out.trim().split('\n'), [
    'C /bin', 'D /bin/ls', 'C /etc', 'C /etc/passwd', 'C /root', 'A /root/new', 'C /tmp', 'A /tmp/d', 'A /tmp/d/e', 'A /tmp/d/e/f',
  ]);
  const untouched = await ok(['create', 'busybox', 'true']);
  assert.equal(await ok(['diff', untouched.trim()]), '');
});

test('docker export | tar t lists the merged filesystem, with the container changes', async () => {
  const r = await d.docker(['export', 'changes']);
  assert.equal(r.code, 0, show('docker', ['export'], r));
  const names = tarList(r.stdoutBytes).map((l) => l.split(/\s+/).slice(5).join(' '));
  assert.ok(names.includes('root/new'), 'added file exported');
  assert.ok(names.includes('bin/busybox'));
  assert.ok(!names.includes('bin/ls'), 'deleted file not exported');
  assert.deepEqual(containerMounts().length, 1);
  const file = path.join(work, 'export.tar');
  await ok(['export', '-o', file, 'changes']);
  assert.ok(fs.statSync(file).size > 1_000_000);
});

test('docker commit: the new image runs with the change; --change CMD; history and parent', async () => {
  const id = (await ok(['commit', '-m', 'my message', '-a', 'me', '-c', 'CMD ["cat","/root/new"]', 'changes', 'committed:v1'])).trim();
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  assert.equal(await ok(['run', '--rm', 'committed:v1']), 'hi\n');
  const ls = await d.docker(['run', '--rm', 'committed:v1', 'ls', '/bin/ls']);
  assert.notEqual(ls.code, 0, 'deleted file stays deleted in the image');
  const inspect = JSON.parse(await ok(['image', 'inspect', 'committed:v1']))[0] as Record<string, unknown>;
  assert.equal(inspect.Author, 'me');
  assert.equal(inspect.Comment, 'my message');
  assert.deepEqual((inspect.Config as { Cmd: string[] }).Cmd, ['cat', '/root/new']);
  assert.equal((inspect.RootFS as { Layers: string[] }).Layers.length, 2);
  const history = await ok(['history', '--format', '{{.Comment}}', 'committed:v1']);
  assert.equal(history.split('\n')[0], 'my message');
  // Nothing changed: no new layer, an empty_layer history entry.
  const fresh = (await ok(['create', 'busybox', 'true'])).trim();
  await ok(['commit', fresh, 'empty:commit']);
  const emptyInspect = JSON.parse(await ok(['image', 'inspect', 'empty:commit']))[0] as { RootFS: { Layers: string[] } };
  assert.equal(emptyInspect.RootFS.Layers.length, 1);
});

test('docker commit of a running container pauses it and keeps it running', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  await ok(['commit', 'cprun', 'fromrunning']);
  const state = (await ok(['inspect', '-f', '{{.State.Status}}', 'cprun'])).trim();
  assert.equal(state, 'running');
  assert.equal(await ok(['run', '--rm', 'fromrunning', 'cat', '/tmp/sub/file']), 'payload\n');
  const ev = await d.docker(['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1),
    '--filter', 'container=cprun', '--format', '{{.Action}}']);
  assert.match(ev.stdout, /pause\ncommit\nunpause\n/);
});

test('Python SDK: put_archive, get_archive, diff and commit', async () => {
  const script = `
import io, json, os, tarfile, docker
c = docker.DockerClient(base_url=os.environ['BERTH_TEST_URL'], timeout=60)
ct = c.containers.create('busybox', 'cat /data/greet.txt', name='pysdk')
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w:gz') as t:
    data = b'hello sdk'
    ti = tarfile.TarInfo('greet.txt'); ti.size = len(data); ti.mode = 0o640; ti.mtime = 1600000000
    t.addfile(ti, io.BytesIO(data))
os_ok = ct.put_archive('/tmp', buf.getvalue())
strm, stat = ct.get_archive('/tmp/greet.txt')
raw = b''.join(strm)
with tarfile.open(fileobj=io.BytesIO(raw)) as t:
    m = t.getmembers()[0]
    got = [m.name, m.mode, m.mtime, t.extractfile(m).read().decode()]
missing = None
try:
    ct.get_archive('/nope')
except docker.errors.NotFound as e:
    missing = e.explanation
img = ct.commit(repository='pyimg', tag='t1', message='from py', changes=['ENV A=b'])
print('RESULT ' + json.dumps({'put': os_ok, 'stat': stat, 'got': got, 'diff': ct.diff(), 'missing': missing,
  'tags': img.tags, 'env': img.attrs['Config']['Env']}))
`;
  const r = await d.run('python3', ['-c', script], { env: { BERTH_TEST_URL: d.dockerHost }, timeoutMs: 90_000 });
  assert.equal(r.code, 0, show('python3', ['-c', '...'], r));
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT ')) as string;
  const v = JSON.parse(line.slice(7)) as Record<string, unknown>;
  assert.equal(v.put, true);
  assert.deepEqual(v.stat, { name: 'greet.txt', size: 9, mode: 0o640, mtime: '2020-09-13T12:26:40Z', linkTarget: '' });
  assert.deepEqual(v.got, ['greet.txt', 0o640, 1600000000, 'hello sdk']);
  assert.deepEqual(v.diff, [{ Path: '/tmp', Kind: 0 }, { Path: '/tmp/greet.txt', Kind: 1 }]);
  assert.match(String(v.missing), /Could not find the file \/nope in container/);
  assert.deepEqual(v.tags, ['pyimg:t1']);
  assert.ok((v.env as string[]).includes('A=b'));
});

test('berth cp, diff, export and commit', async () => {
  const out = path.join(work, 'berth-out');
  const r = await d.berth(['cp', 'changes:/tmp/d', out]);
  assert.equal(r.code, 0, show('berth', ['cp'], r));
  assert.equal(fs.readFileSync(path.join(out, 'e', 'f'), 'utf8'), 'x\n');
  const into = await d.berth(['cp', path.join(work, 'src'), 'cpdir:/etc/']);
  assert.equal(into.code, 0, show('berth', ['cp'], into));
  const diff = await d.berthOk(['diff', 'cpdir']);
  assert.match(diff, /^A \/etc\/src\/sub\/file$/m);
  const exp = await d.berth(['export', 'cpdir']);
  assert.ok(tarList(exp.stdoutBytes).some((l) => l.endsWith('etc/src/sub/file')));
  const id = (await d.berthOk(['commit', '-c', 'CMD ["cat","/etc/src/sub/file"]', 'cpdir', 'berthimg'])).trim();
  assert.match(id, /^sha256:/);
  assert.equal(await ok(['run', '--rm', 'berthimg']), 'payload\n');
  const missing = await d.berth(['cp', 'cpdir:/nope', out]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Could not find the file \/nope in container cpdir/);
  assert.deepEqual(containerMounts().length, 1);
});
