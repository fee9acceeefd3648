// The builder fetches base images through the registry client: a FROM (and COPY --from)
// image missing locally is pulled, with the credentials the CLI sends in
// X-Registry-Config; --pull fetches even when a local copy exists. Official docker CLI
// (legacy builder) and berth build against berthd, with berth's registry on loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as show, type TestDaemon } from './helpers';
import { daemonWithRegistries } from './registry-fixtures';
import { htpasswdLine } from '../src/registry/auth/htpasswd';

let d: TestDaemon;
const fixture = daemonWithRegistries((daemon) => { d = daemon; });
const registry = (name: string, args?: string[]) => fixture.registry(name, args);

function project(name: string, dockerfile: string): string {
  const dir = path.join(d.tmpRoot, `ctx-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

const legacy = (env: Record<string, string> = {}) => ({ env: { DOCKER_BUILDKIT: '0', ...env }, timeoutMs: 120_000 });

/** Pushes an image whose /v says `value` as `ref`, then removes it locally. */
async function publish(ref: string, value: string, env: Record<string, string> = {}): Promise<void> {
  const dir = project(`pub-${value}`, `FROM busybox\nRUN echo ${value} > /v\n`);
  const built = await d.docker(['build', '-q', '-t', ref, dir], legacy(env));
  assert.equal(built.code, 0, show('docker', ['build'], built));
  const push = await d.docker(['push', ref], { env });
  assert.equal(push.code, 0, show('docker', ['push', ref], push));
  await d.dockerOk(['rmi', ref]);
}

test('FROM and COPY --from of images missing locally are pulled (docker legacy builder and berth build)', async () => {
  const host = await registry('open');
  await publish(`${host}/base/one:1`, 'one');
  await publish(`${host}/base/two:1`, 'two');
  const dir = project('pull', `FROM ${host}/base/one:1\nCOPY --from=${host}/base/two:1 /v /v2\nRUN cat /v /v2 > /both\nCMD ["cat", "/both"]\n`);
  const built = await d.docker(['build', '-t', 'pulled-base', dir], legacy());
  assert.equal(built.code, 0, show('docker', ['build'], built));
  assert.match(built.stdout, /Pulling from base\/one/);
  assert.match(built.stdout, /Status: Downloaded newer image for /);
  assert.equal(await d.dockerOk(['run', '--rm', 'pulled-base']), 'one\ntwo\n');
  // Both base images are now stored locally under their names.
  await d.dockerOk(['image', 'inspect', `${host}/base/one:1`, `${host}/base/two:1`]);

  await d.dockerOk(['rmi', `${host}/base/one:1`]);
  const viaBerth = await d.berth(['build', '--progress', 'plain', '-t', 'pulled-base-2', dir], { timeoutMs: 120_000 });
  assert.equal(viaBerth.code, 0, show('berth', ['build'], viaBerth));
  assert.match(viaBerth.stdout + viaBerth.stderr, /Pulling from base\/one/);
  assert.equal(await d.dockerOk(['run', '--rm', 'pulled-base-2']), 'one\ntwo\n');
});

test('a missing base image that no registry has fails the build with the pull error and tags nothing', async () => {
  const host = await registry('empty');
  const dir = project('missing', `FROM ${host}/nothing/here:1\nRUN true\n`);
  const built = await d.docker(['build', '-t', 'never-built', dir], legacy());
  assert.notEqual(built.code, 0);
  assert.match(built.stderr, /manifest unknown|not found/i);
  const inspect = await d.docker(['image', 'inspect', 'never-built']);
  assert.notEqual(inspect.code, 0);
});

test('--pull fetches a newer base even when a local copy exists', async () => {
  const host = await registry('newer');
  const ref = `${host}/base/moving:1`;
  await publish(ref, 'new');
  await d.dockerOk(['tag', 'busybox', ref]); // the local copy of the name is stale (it has no /v)
  const dir = project('moving', `FROM ${ref}\nRUN cat /v > /seen\nCMD ["cat", "/seen"]\n`);
  const local = await d.docker(['build', '-t', 'moving-local', dir], legacy());
  assert.notEqual(local.code, 0, 'busybox has no /v, so the local base must have been used');
  const pulled = await d.docker(['build', '--pull', '-t', 'moving-pulled', dir], legacy());
  assert.equal(pulled.code, 0, show('docker', ['build', '--pull'], pulled));
  assert.equal(await d.dockerOk(['run', '--rm', 'moving-pulled']), 'new\n');
});

test('credentials from docker login reach the builder (X-Registry-Config) for docker and berth', async () => {
  const htpasswd = path.join(d.tmpRoot, 'htpasswd-build');
  fs.writeFileSync(htpasswd, `${htpasswdLine('erin', 's3cret', 5)}\n`);
  const host = await registry('auth', ['--auth', 'htpasswd', '--htpasswd', htpasswd]);
  const env = { DOCKER_CONFIG: path.join(d.tmpRoot, 'docker-config-build') };
  const login = await d.docker(['login', '-u', 'erin', '--password-stdin', host], { env, input: 's3cret\n' });
  assert.equal(login.code, 0, show('docker', ['login'], login));
  await publish(`${host}/private/base:1`, 'secret-base', env);
  const dir = project('private', `FROM ${host}/private/base:1\nCMD ["cat", "/v"]\n`);

  const anonymous = await d.docker(['build', '-t', 'private-anon', dir], legacy());
  assert.notEqual(anonymous.code, 0);
  assert.match(anonymous.stderr, /unauthorized|authentication required|no basic auth credentials/i);

  const built = await d.docker(['build', '-t', 'private-built', dir], legacy(env));
  assert.equal(built.code, 0, show('docker', ['build'], built));
  assert.equal(await d.dockerOk(['run', '--rm', 'private-built']), 'secret-base\n');

  await d.dockerOk(['rmi', `${host}/private/base:1`]);
  const viaBerth = await d.berth(['build', '-t', 'private-berth', dir], { env, timeoutMs: 120_000 });
  assert.equal(viaBerth.code, 0, show('berth', ['build'], viaBerth));
  assert.equal(await d.dockerOk(['run', '--rm', 'private-berth']), 'secret-base\n');
});
