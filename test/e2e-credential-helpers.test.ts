// Credential helpers (config.json `credsStore` / `credHelpers`) with the berth CLI,
// shared with the official docker CLI: berth login stores through the helper and
// leaves only an empty `auths` entry; berth push and docker pull get the
// credentials from the helper; berth logout erases them; a missing helper is a
// clear error. The helper is a small program speaking Docker's helper protocol.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, type TestDaemon } from './helpers';
import { spawnRegistry } from './registry-fixtures';
import { htpasswdLine } from '../src/registry/auth/htpasswd';
import type { ChildProcess } from 'node:child_process';

let d: TestDaemon;
let registry: ChildProcess | undefined;
let host = '';
let binDir = '';
let store = '';

const HELPER = `#!/usr/bin/env node
const fs = require('fs');
const FILE = process.env.BERTH_TEST_CRED_STORE;
let db = {};
try { db = JSON.parse(fs.readFileSync(FILE, 'utf8')); } catch {}
const input = fs.readFileSync(0, 'utf8').trim();
const save = () => fs.writeFileSync(FILE, JSON.stringify(db));
switch (process.argv[2]) {
  case 'store': { const doc = JSON.parse(input); db[doc.ServerURL] = { Username: doc.Username, Secret: doc.Secret }; save(); break; }
  case 'get': {
    const e = db[input];
    if (!e) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
    process.stdout.write(JSON.stringify({ ServerURL: input, ...e }));
    break;
  }
  case 'erase': delete db[input]; save(); break;
  case 'list': process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(db).map(([k, v]) => [k, v.Username])))); break;
  default: process.exit(2);
}
`;

before(async () => {
  d = await startDaemon();
  binDir = path.join(d.tmpRoot, 'bin');
  fs.mkdirSync(binDir);
  fs.writeFileSync(path.join(binDir, 'docker-credential-berthtest'), HELPER, { mode: 0o755 });
  store = path.join(d.tmpRoot, 'helper-store.json');
  const htpasswd = path.join(d.tmpRoot, 'htpasswd');
  fs.writeFileSync(htpasswd, `${htpasswdLine('dave', 'pa55word', 5)}\n`);
  const r = await spawnRegistry(['--root', path.join(d.tmpRoot, 'registry'), '--auth', 'htpasswd', '--htpasswd', htpasswd]);
  registry = r.child;
  host = new URL(r.url).host;
});
after(async () => {
  registry?.kill('SIGTERM');
  await d?.cleanup();
});

function clientEnv(name: string, config: Record<string, unknown>): Record<string, string> {
  const dir = path.join(d.tmpRoot, `config-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return { DOCKER_CONFIG: dir, PATH: `${binDir}:${process.env.PATH}`, BERTH_TEST_CRED_STORE: store };
}

const helperStore = (): Record<string, { Username: string; Secret: string }> => (fs.existsSync(store) ? JSON.parse(fs.readFileSync(store, 'utf8')) : {});
const configOf = (env: Record<string, string>) => JSON.parse(fs.readFileSync(path.join(env.DOCKER_CONFIG, 'config.json'), 'utf8')) as { auths?: Record<string, Record<string, string>> };

test('credsStore: berth login stores through the helper, berth push and docker pull use it, berth logout erases it', async () => {
  const env = clientEnv('store', { credsStore: 'berthtest' });
  const ref = `${host}/helped/app:1`;
  const login = await d.berth(['login', '-u', 'dave', '--password-stdin', host], { env, input: 'pa55word\n' });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Login Succeeded/);
  assert.deepEqual(helperStore()[host], { Username: 'dave', Secret: 'pa55word' });
  assert.deepEqual(configOf(env).auths?.[host], {}, 'no secret in config.json');

  await d.dockerOk(['tag', 'busybox', ref]);
  const push = await d.berth(['push', ref], { env });
  assert.equal(push.code, 0, push.stderr);
  await d.dockerOk(['rmi', ref]);
  const pull = await d.docker(['pull', ref], { env }); // the docker CLI asks the same helper
  assert.equal(pull.code, 0, pull.stderr);

  const logout = await d.berth(['logout', host], { env });
  assert.equal(logout.code, 0, logout.stderr);
  assert.match(logout.stdout, /Removing login credentials for /);
  assert.equal(helperStore()[host], undefined);
  assert.equal(configOf(env).auths?.[host], undefined);
  const denied = await d.berth(['push', ref], { env });
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /no basic auth credentials|unauthorized/i);
});

test('credHelpers: a per-registry helper takes that registry; docker login through it works for berth', async () => {
  const env = clientEnv('per-host', { credHelpers: { [host]: 'berthtest' } });
  const login = await d.docker(['login', '-u', 'dave', '--password-stdin', host], { env, input: 'pa55word\n' });
  assert.equal(login.code, 0, login.stderr);
  assert.equal(helperStore()[host]?.Username, 'dave');
  const ref = `${host}/helped/other:1`;
  await d.dockerOk(['tag', 'busybox', ref]);
  const push = await d.berth(['push', ref], { env });
  assert.equal(push.code, 0, push.stderr);
  await d.berthOk(['logout', host], { env });
  assert.equal(helperStore()[host], undefined);
});

test('a credsStore whose program is missing is a clear error', async () => {
  const env = clientEnv('missing', { credsStore: 'nosuchhelper' });
  const login = await d.berth(['login', '-u', 'dave', '--password-stdin', host], { env, input: 'pa55word\n' });
  assert.notEqual(login.code, 0);
  assert.match(login.stderr, /docker-credential-nosuchhelper.*not found in \$PATH/);
});
