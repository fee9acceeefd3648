// berth build beyond a local directory: remote contexts fetched by the daemon
// (POST /build?remote=URL: tarballs, plain Dockerfiles, git repositories) from a
// tiny HTTP server on 127.0.0.1, and --push / --output type=image|registry
// pushing the built image to berth's own registry on loopback, and RUN
// --mount=type=ssh with an agent socket forwarded by --ssh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { startDaemon, describe as show, type TestDaemon } from './helpers';
import { spawnRegistry } from './registry-fixtures';
import { isGitUrl, parseGitUrl } from '../src/build/context/remote';

let d: TestDaemon;
let work: string;
let server: http.Server;
let base: string;
const registries: ChildProcess[] = [];
/** Path → [content type, body] the test server answers with. */
const served = new Map<string, [string | undefined, Buffer]>();

before(async () => {
  d = await startDaemon();
  work = fs.mkdtempSync('/tmp/berth-build-remote-');
  server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/redirect') { res.writeHead(302, { Location: '/ctx.tar.gz' }).end(); return; }
    const file = url.startsWith('/repo.git/') ? path.join(work, url.slice(1)) : undefined;
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) { res.writeHead(200).end(fs.readFileSync(file)); return; }
    const hit = served.get(url);
    if (!hit) { res.writeHead(404).end('no such file'); return; }
    res.writeHead(200, hit[0] ? { 'Content-Type': hit[0] } : {}).end(hit[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  for (const child of registries) child.kill('SIGTERM');
  server?.closeAllConnections();
  await new Promise((resolve) => server ? server.close(resolve) : resolve(undefined));
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await d?.cleanup();
});

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const app = { Dockerfile: 'FROM busybox\nCOPY msg.txt /msg.txt\nCMD ["cat", "/msg.txt"]\n', 'msg.txt': 'from a remote tar\n' };

test('remote tar contexts: plain and gzip (through a redirect), by berth build URL, the docker CLI and the API', async () => {
  const dir = project('tar', app);
  served.set('/ctx.tar', ['application/x-tar', execFileSync('tar', ['-C', dir, '-cf', '-', '.'])]);
  served.set('/ctx.tar.gz', [undefined, execFileSync('tar', ['-C', dir, '-czf', '-', '.'])]);
  await d.berthOk(['build', '-q', '-t', 'remote-plain', `${base}/ctx.tar`]);
  assert.equal(await d.dockerOk(['run', '--rm', 'remote-plain']), 'from a remote tar\n');
  const viaDocker = await d.docker(['build', '-t', 'remote-docker', `${base}/ctx.tar`], { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 });
  assert.equal(viaDocker.code, 0, show('docker', ['build', `${base}/ctx.tar`], viaDocker));
  assert.equal(await d.dockerOk(['run', '--rm', 'remote-docker']), 'from a remote tar\n');
  const r = await d.api('POST', `/build?t=remote-gz&remote=${encodeURIComponent(`${base}/redirect`)}`);
  assert.equal(r.status, 200, r.text);
  assert.doesNotMatch(r.text, /errorDetail/);
  assert.equal(await d.dockerOk(['run', '--rm', 'remote-gz']), 'from a remote tar\n');
});

test('a text/plain remote is the Dockerfile of an empty context; a missing URL fails clearly', async () => {
  served.set('/Dockerfile', ['text/plain; charset=utf-8', Buffer.from('FROM busybox\nRUN echo made remotely > /m\nCMD ["cat", "/m"]\n')]);
  await d.berthOk(['build', '-q', '-t', 'remote-df', `${base}/Dockerfile`]);
  assert.equal(await d.dockerOk(['run', '--rm', 'remote-df']), 'made remotely\n');
  const missing = await d.berth(['build', `${base}/nothing.tar`]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /failed to GET .*nothing\.tar with status 404/);
  const bad = await d.api('POST', `/build?remote=${encodeURIComponent('ftp://127.0.0.1/x')}`);
  assert.equal(bad.status, 400);
});

test('git contexts: URL#ref:subdir fetched with git', async () => {
  const src = project('gitsrc', { 'sub/Dockerfile': 'FROM busybox\nCOPY f /f\nCMD ["cat", "/f"]\n', 'sub/f': 'from git main\n', 'README': 'top\n' });
  const git = (args: string[], cwd: string) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  git(['init', '-q', '-b', 'main'], src);
  git(['add', '.'], src);
  git(['commit', '-q', '-m', 'one'], src);
  git(['clone', '-q', '--bare', src, path.join(work, 'repo.git')], work);
  git(['update-server-info'], path.join(work, 'repo.git'));
  await d.berthOk(['build', '-q', '-t', 'remote-git', `${base}/repo.git#main:sub`]);
  assert.equal(await d.dockerOk(['run', '--rm', 'remote-git']), 'from git main\n');
  const noDir = await d.berth(['build', `${base}/repo.git#main:nope`]);
  assert.notEqual(noDir.code, 0);
  assert.match(noDir.stderr, /path "nope" not found/);
});

test('--push and --output type=image,push=true push the built image to a registry; pulled back it runs', async () => {
  const r = await spawnRegistry(['--root', path.join(work, 'registry')]);
  registries.push(r.child);
  const host = new URL(r.url).host;
  const dir = project('push', { Dockerfile: 'FROM busybox\nRUN echo pushed build > /p\nCMD ["cat", "/p"]\n' });
  const ref = `${host}/built/app:1`;
  const out = await d.berthOk(['build', '--push', '-t', ref, dir]);
  assert.match(out, /1: digest: sha256:[0-9a-f]{64} size: \d+/);
  const ref2 = `${host}/built/other:2`;
  const out2 = await d.berthOk(['build', '-q', '--output', `type=image,name=${ref2},push=true`, dir]);
  assert.match(out2, /^sha256:[0-9a-f]{64}\n$/);
  await d.dockerOk(['rmi', ref, ref2]);
  for (const pulled of [ref, ref2]) {
    await d.dockerOk(['pull', pulled]);
    assert.equal(await d.dockerOk(['run', '--rm', pulled]), 'pushed build\n');
  }
  const noTag = await d.berth(['build', '--output', 'type=registry', dir]);
  assert.notEqual(noTag.code, 0);
  assert.match(noTag.stderr, /tag is needed when pushing to registry/);
});

test('RUN --mount=type=ssh: the --ssh socket is bound and SSH_AUTH_SOCK set; required without --ssh fails', async () => {
  const socket = path.join(work, 'agent.sock');
  const agent = net.createServer((c) => c.end());
  await new Promise<void>((resolve) => agent.listen(socket, resolve));
  try {
    const dir = project('ssh', {
      Dockerfile: 'FROM busybox\nRUN --mount=type=ssh test -S "$SSH_AUTH_SOCK" && echo "$SSH_AUTH_SOCK" > /sock\n'
        + 'RUN --mount=type=ssh,id=other,target=/agent,required test -S /agent && ! test -e /run/buildkit/ssh_agent.0 && echo ok >> /sock\nCMD ["cat", "/sock"]\n',
    });
    await d.berthOk(['build', '-q', '-t', 'ssh-built', '--ssh', 'default', '--ssh', `other=${socket}`, dir], { env: { SSH_AUTH_SOCK: socket } });
    assert.equal(await d.dockerOk(['run', '--rm', 'ssh-built']), '/run/buildkit/ssh_agent.0\nok\n');
    const missing = await d.berth(['build', '--no-cache', '--ssh', `default=${socket}`, dir]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /no SSH key "other" forwarded/);
    const notSocket = await d.berth(['build', '--ssh', `default=${path.join(dir, 'Dockerfile')}`, dir]);
    assert.notEqual(notSocket.code, 0);
    assert.match(notSocket.stderr, /is not an ssh-agent socket/);
  } finally {
    agent.close();
  }
});

test('git URL detection and #ref:subdir parsing', () => {
  assert.ok(isGitUrl('git://example.invalid/r'));
  assert.ok(isGitUrl('git@example.invalid:o/r.git'));
  assert.ok(isGitUrl('github.com/o/r'));
  assert.ok(isGitUrl('https://example.invalid/o/r.git#v1:dir'));
  assert.ok(!isGitUrl('https://example.invalid/ctx.tar.gz'));
  assert.deepEqual(parseGitUrl('github.com/o/r#v1:a/b/'), { repo: 'https://github.com/o/r', ref: 'v1', subdir: 'a/b' });
  assert.deepEqual(parseGitUrl('https://h.invalid/r.git'), { repo: 'https://h.invalid/r.git', ref: 'HEAD', subdir: '' });
  assert.deepEqual(parseGitUrl('https://h.invalid/r.git#:sub'), { repo: 'https://h.invalid/r.git', ref: 'HEAD', subdir: 'sub' });
  assert.throws(() => parseGitUrl('https://h.invalid/r.git#main:../x'), /must stay inside/);
  assert.throws(() => parseGitUrl('https://h.invalid/r.git#--upload-pack=x'), /invalid git reference/);
});
