// Peer client against berth's registry: Debian's skopeo copies busybox in and out, inspects,
// lists tags and deletes; with htpasswd and token auth through --creds.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { htpasswdLine } from '../src/registry/auth/htpasswd';
import type { RunningRegistry } from '../src/registry/server';
import { startTestRegistry, tempDir, writeBusyboxLayout } from './registry-fixtures';

// Asynchronous: the registry under test runs in this process's event loop.
function skopeo(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

async function ok(args: string[]): Promise<string> {
  const r = await skopeo(args);
  assert.equal(r.status, 0, `skopeo ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const hostOf = (reg: RunningRegistry) => reg.url.replace(/^https?:\/\//, '');

describe('skopeo against berth registry', () => {
  let dir: string;
  let layout: string;
  let manifestDigest: string;
  let htpasswd: string;
  const servers: RunningRegistry[] = [];

  before(async () => {
    dir = tempDir('berth-reg-skopeo-');
    layout = path.join(dir, 'layout');
    ({ manifestDigest } = await writeBusyboxLayout(layout, 'v1'));
    htpasswd = path.join(dir, 'htpasswd');
    fs.writeFileSync(htpasswd, `${htpasswdLine('carol', 's3cret', 5)}\n`);
  });
  after(async () => {
    for (const s of servers) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies an image in and out, inspects, lists tags and deletes', async () => {
    const reg = await startTestRegistry(path.join(dir, 'open'));
    servers.push(reg);
    const ref = `docker://${hostOf(reg)}/library/busybox`;
    await ok(['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `${ref}:1.0`]);
    await ok(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `${ref}:1.0`, `${ref}:latest`]);
    const inspect = JSON.parse(await ok(['inspect', '--tls-verify=false', `${ref}:1.0`])) as { Digest: string; Os: string; Layers: string[] };
    assert.equal(inspect.Digest, manifestDigest, 'stored byte for byte');
    assert.equal(inspect.Os, 'linux');
    assert.equal(inspect.Layers.length, 1);
    const tags = JSON.parse(await ok(['list-tags', '--tls-verify=false', ref])) as { Tags: string[] };
    assert.deepEqual(tags.Tags, ['1.0', 'latest']);

    const out = path.join(dir, 'out');
    await ok(['copy', '--src-tls-verify=false', `${ref}:latest`, `oci:${out}:copied`]);
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    assert.equal(index.manifests[0].digest, manifestDigest);
    const layer = inspect.Layers[0];
    assert.deepEqual(fs.readFileSync(path.join(out, 'blobs', 'sha256', layer.slice(7))), fs.readFileSync(path.join(layout, 'blobs', 'sha256', layer.slice(7))));

    // Cross-repository: same registry, other repository (skopeo mounts the layer).
    await ok(['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `${ref}:1.0`, `docker://${hostOf(reg)}/team/bb:x`]);
    await ok(['delete', '--tls-verify=false', `${ref}:1.0`]);
    const gone = await skopeo(['inspect', '--tls-verify=false', `${ref}:latest`]);
    assert.notEqual(gone.status, 0, 'delete removes the manifest (and every tag naming it)');
    assert.match(gone.stderr, /manifest unknown/);
    assert.equal(JSON.parse(await ok(['inspect', '--tls-verify=false', `docker://${hostOf(reg)}/team/bb:x`])).Digest, manifestDigest);
  });

  it('htpasswd auth: --creds works, a wrong password fails with 401 unauthorized', async () => {
    const reg = await startTestRegistry(path.join(dir, 'basic'), { auth: 'htpasswd', htpasswd });
    servers.push(reg);
    const ref = `docker://${hostOf(reg)}/carol/busybox:1`;
    await ok(['copy', '--dest-tls-verify=false', '--dest-creds', 'carol:s3cret', `oci:${layout}:v1`, ref]);
    assert.equal(JSON.parse(await ok(['inspect', '--tls-verify=false', '--creds', 'carol:s3cret', ref])).Digest, manifestDigest);
    const wrong = await skopeo(['inspect', '--tls-verify=false', '--creds', 'carol:wrong', ref]);
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /401|unauthorized/i);
    const none = await skopeo(['copy', '--dest-tls-verify=false', `oci:${layout}:v1`, `docker://${hostOf(reg)}/anon/busybox:1`]);
    assert.notEqual(none.status, 0);
    assert.match(none.stderr, /401|unauthorized|authentication required/i);
  });

  it('token auth: skopeo follows the Bearer challenge to the token endpoint', async () => {
    const reg = await startTestRegistry(path.join(dir, 'token'), { auth: 'token', htpasswd });
    servers.push(reg);
    const ref = `docker://${hostOf(reg)}/carol/busybox:1`;
    await ok(['copy', '--dest-tls-verify=false', '--dest-creds', 'carol:s3cret', `oci:${layout}:v1`, ref]);
    const tags = JSON.parse(await ok(['list-tags', '--tls-verify=false', '--creds', 'carol:s3cret', `docker://${hostOf(reg)}/carol/busybox`])) as { Tags: string[] };
    assert.deepEqual(tags.Tags, ['1']);
    await ok(['delete', '--tls-verify=false', '--creds', 'carol:s3cret', ref]);
    const wrong = await skopeo(['inspect', '--tls-verify=false', '--creds', 'carol:wrong', ref]);
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /401|unauthorized/i);
  });
});
