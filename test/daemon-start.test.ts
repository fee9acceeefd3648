// berthd as a process: start-up, several -H sockets, pid file, stale socket, SIGTERM,
// and the official docker CLI printing version/info/ps/images cleanly against it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { startDaemon, run, apiRequest, waitForPing, cleanEnv, REPO_ROOT, type TestDaemon } from './helpers';

let d: TestDaemon;
let second: string;

before(async () => {
  second = path.join(fs.mkdtempSync('/tmp/berth-d2-'), 'second.sock');
  d = await startDaemon({ extraArgs: ['-H', `unix://${second}`] });
});

after(async () => {
  await d?.cleanup();
  fs.rmSync(path.dirname(second), { recursive: true, force: true });
});

test('both -H sockets serve the API with mode 0660; pid file holds the daemon pid', async () => {
  for (const sock of [d.socket, second]) {
    const r = await apiRequest(sock, 'GET', '/_ping');
    assert.equal(r.status, 200);
    assert.equal(r.text, 'OK');
    assert.equal(fs.statSync(sock).mode & 0o777, 0o660);
  }
  assert.equal(fs.readFileSync(path.join(d.execRoot, 'berthd.pid'), 'utf8').trim(), String(d.pid));
  assert.match(d.log(), /API listen on /);
});

test('a second berthd on the same roots refuses to start and leaves the first intact', async () => {
  const r = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'berthd'), '--data-root', d.dataRoot, '--exec-root', d.execRoot, '-H', `unix://${d.socket}`], { timeoutMs: 30_000, env: cleanEnv() as Record<string, string> });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /pid file found, ensure berthd is not running/);
  assert.equal((await apiRequest(d.socket, 'GET', '/_ping')).status, 200);
});

test('docker version, info, ps and images print cleanly', async () => {
  const version = await d.docker(['version']);
  assert.equal(version.code, 0, version.stderr);
  assert.match(version.stdout, /Server: Berth/);
  assert.match(version.stdout, /API version:\s+1\.45 \(minimum version 1\.24\)/);
  const info = await d.docker(['info']);
  assert.equal(info.code, 0, info.stderr);
  assert.doesNotMatch(info.stderr, /error|failed/i);
  assert.match(info.stdout, /Storage Driver: overlayfs/);
  assert.match(info.stdout, /Cgroup Driver: cgroupfs/);
  assert.match(info.stdout, /Docker Root Dir: /);
  for (const args of [['ps', '-a'], ['images']]) {
    const r = await d.docker(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  }
  assert.match((await d.dockerOk(['images'])).toString(), /busybox\s+latest/);
});

test('python SDK negotiates and lists', async () => {
  const script = 'import docker,sys; c=docker.DockerClient(base_url=sys.argv[1]); print(c.version()["ApiVersion"]); print(len(c.containers.list(all=True))); print([t for i in c.images.list() for t in i.tags])';
  const r = await run('python3', ['-c', script, d.dockerHost]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^1\.45\n\d+\n.*busybox:latest/);
});

test('stale socket file is replaced; SIGTERM exits 0 and removes pid file and socket', async () => {
  const root = fs.mkdtempSync('/tmp/berth-d3-');
  const sock = path.join(root, 'stale.sock');
  // A socket file nobody listens on, as a kill -9 leaves behind.
  spawnSync('python3', ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])', sock]);
  assert.ok(fs.statSync(sock).isSocket());
  const pidfile = path.join(root, 'exec', 'berthd.pid');
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'berthd'), '--data-root', path.join(root, 'data'), '--exec-root', path.join(root, 'exec'), '-H', `unix://${sock}`, '--cgroup-parent', `berth-test-${process.pid}`], { stdio: 'ignore', env: cleanEnv() });
  try {
    await waitForPing(sock, 30_000, () => proc.exitCode === null);
    assert.ok(fs.existsSync(pidfile));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(!fs.existsSync(pidfile));
    assert.ok(!fs.existsSync(sock));
    await assert.rejects(new Promise((resolve, reject) => net.connect(sock).once('connect', resolve).once('error', reject)));
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  }
});
