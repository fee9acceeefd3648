// Registry credentials end to end: the reference registry behind htpasswd (bcrypt)
// basic auth; docker login / berth login share Docker's config.json (DOCKER_CONFIG);
// a wrong password is refused with "unauthorized"; X-Registry-Auth on the raw API;
// the Python SDK's push and pull with auth_config.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, startReferenceRegistry, describe as show, type TestDaemon, type ReferenceRegistry } from './helpers';

let d: TestDaemon;
let reg: ReferenceRegistry;
let configDir: string;
let env: Record<string, string>;
before(async () => {
  d = await startDaemon();
  reg = await startReferenceRegistry(path.join(d.tmpRoot, 'registry'), { user: 'alice', password: 's3cret' });
  configDir = path.join(d.tmpRoot, 'docker-config');
  env = { DOCKER_CONFIG: configDir };
});
after(async () => {
  await reg?.stop();
  await d?.cleanup();
});

const authHeader = (username: string, password: string) => Buffer.from(JSON.stringify({ username, password, serveraddress: reg.host })).toString('base64url');

test('push without credentials fails, a wrong password is unauthorized', async () => {
  const ref = `${reg.host}/private/img:1`;
  await d.dockerOk(['tag', 'busybox', ref]);
  const push = await d.docker(['push', ref], { env });
  assert.notEqual(push.code, 0, show('docker', ['push', ref], push));
  assert.match(push.stderr + push.stdout, /no basic auth credentials/);
  const login = await d.docker(['login', '-u', 'alice', '--password-stdin', reg.host], { env, input: 'wrong\n' });
  assert.notEqual(login.code, 0);
  assert.match(login.stderr, /unauthorized/i);
  assert.equal(fs.existsSync(path.join(configDir, 'config.json')) && fs.readFileSync(path.join(configDir, 'config.json'), 'utf8').includes(reg.host), false);
  const res = await d.api('POST', '/v1.45/auth', { body: { username: 'alice', password: 'nope', serveraddress: reg.host } });
  assert.equal(res.status, 401, res.text);
});

test('docker login, then push and pull; berth uses the same credentials', async () => {
  const ref = `${reg.host}/private/img:1`;
  const login = await d.docker(['login', '-u', 'alice', '--password-stdin', reg.host], { env, input: 's3cret\n' });
  assert.equal(login.code, 0, show('docker', ['login'], login));
  assert.match(login.stdout, /Login Succeeded/);
  const config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
  assert.equal(Buffer.from(config.auths[reg.host].auth, 'base64').toString(), 'alice:s3cret');
  await d.dockerOk(['push', ref], { env });
  const id = (await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  await d.dockerOk(['rmi', ref]);
  const pull = await d.docker(['pull', ref], { env });
  assert.equal(pull.code, 0, show('docker', ['pull', ref], pull));
  assert.equal((await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', ref])).trim(), id);
  // berth reads docker's config.json.
  await d.berthOk(['rmi', ref]);
  const berthPull = await d.berth(['pull', ref], { env });
  assert.equal(berthPull.code, 0, show('berth', ['pull', ref], berthPull));
  assert.match(berthPull.stdout, /Status: Downloaded newer image/);
});

test('berth login and logout write config.json docker reads', async () => {
  const out = await d.berthOk(['logout', reg.host], { env });
  assert.match(out, new RegExp(`Removing login credentials for ${reg.host}`));
  const denied = await d.docker(['pull', `${reg.host}/private/img:1`], { env });
  assert.notEqual(denied.code, 0);
  const bad = await d.berth(['login', '-u', 'alice', '--password-stdin', reg.host], { env, input: 'wrong\n' });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /unauthorized/i);
  const good = await d.berth(['login', '-u', 'alice', '--password-stdin', reg.host], { env, input: 's3cret\n' });
  assert.equal(good.code, 0, show('berth', ['login'], good));
  assert.match(good.stdout, /Login Succeeded/);
  await d.dockerOk(['tag', 'busybox', `${reg.host}/private/other:3`]);
  const push = await d.docker(['push', `${reg.host}/private/other:3`], { env });
  assert.equal(push.code, 0, show('docker', ['push'], push));
  assert.match(push.stdout, /Mounted from private\/img|Layer already exists/);
});

test('X-Registry-Auth: a wrong password is a 401 unauthorized, the right one pulls', async () => {
  const url = `/v1.45/images/create?fromImage=${encodeURIComponent(`${reg.host}/private/img`)}&tag=1`;
  const bad = await d.api('POST', url, { headers: { 'X-Registry-Auth': authHeader('alice', 'wrong') } });
  assert.equal(bad.status, 401, bad.text);
  assert.match(bad.text, /unauthorized/);
  const good = await d.api('POST', url, { headers: { 'X-Registry-Auth': authHeader('alice', 's3cret') }, timeoutMs: 60_000 });
  assert.equal(good.status, 200, good.text);
  assert.match(good.text, /Status: (Image is up to date|Downloaded newer image)/);
});

test('Python SDK images.push and images.pull with auth_config', async () => {
  const script = `
import docker, sys
c = docker.from_env()
auth = {'username': 'alice', 'password': 's3cret'}
repo = sys.argv[1]
c.images.get('busybox').tag(repo, 'py')
out = c.images.push(repo, tag='py', auth_config=auth)
assert 'digest: sha256:' in out, out
c.images.remove(repo + ':py')
img = c.images.pull(repo, tag='py', auth_config=auth)
print(img.id)
`;
  const r = await d.run('python3', ['-c', script, `${reg.host}/private/py`]);
  assert.equal(r.code, 0, show('python3', ['-c', '<script>'], r));
  assert.equal(r.stdout.trim(), (await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).trim());
});
