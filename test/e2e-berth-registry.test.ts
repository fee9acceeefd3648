// The whole workflow on berth's own parts: the official docker CLI against berthd pushing to
// and pulling from berth's registry server (bin/berth-registry) on loopback — without auth,
// with htpasswd basic auth and with bearer tokens from its built-in token endpoint.
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

/** tag → push → rmi → pull (progress shown) → run, image ID unchanged. */
async function roundTrip(host: string, repo: string, env: Record<string, string> = {}): Promise<void> {
  const ref = `${host}/${repo}:1`;
  await d.dockerOk(['tag', 'busybox', ref]);
  const id = (await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  const push = await d.docker(['push', ref], { env });
  assert.equal(push.code, 0, show('docker', ['push', ref], push));
  assert.match(push.stdout, /1: digest: sha256:[0-9a-f]{64} size: \d+/);
  await d.dockerOk(['rmi', ref]);
  const pull = await d.docker(['pull', ref], { env });
  assert.equal(pull.code, 0, show('docker', ['pull', ref], pull));
  assert.match(pull.stdout, /Status: (Downloaded newer image|Image is up to date) for /);
  assert.equal((await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', ref])).trim(), id);
  assert.equal(await d.dockerOk(['run', '--rm', ref, 'echo', 'pulled and ran']), 'pulled and ran\n');
}

test('docker push / pull / run through berth registry without auth', async () => {
  const host = await registry('open');
  await roundTrip(host, 'team/app');
  // A second push finds every blob there already.
  const again = await d.dockerOk(['push', `${host}/team/app:1`]);
  assert.match(again, /Layer already exists/);
});

for (const mode of ['htpasswd', 'token'] as const) {
  test(`docker login and push / pull through berth registry with ${mode} auth; a wrong password is unauthorized`, async () => {
    const htpasswd = path.join(d.tmpRoot, `htpasswd-${mode}`);
    fs.writeFileSync(htpasswd, `${htpasswdLine('dave', 'pa55word', 5)}\n`);
    const host = await registry(mode, ['--auth', mode, '--htpasswd', htpasswd]);
    const env = { DOCKER_CONFIG: path.join(d.tmpRoot, `docker-config-${mode}`) };
    const denied = await d.docker(['push', `${host}/secure/app:1`], { env });
    assert.notEqual(denied.code, 0);
    const wrong = await d.docker(['login', '-u', 'dave', '--password-stdin', host], { env, input: 'nope\n' });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /unauthorized/i);
    const login = await d.docker(['login', '-u', 'dave', '--password-stdin', host], { env, input: 'pa55word\n' });
    assert.equal(login.code, 0, show('docker', ['login'], login));
    assert.match(login.stdout, /Login Succeeded/);
    await roundTrip(host, 'secure/app', env);
  });
}
