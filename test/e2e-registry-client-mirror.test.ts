// --registry-mirror and --insecure-registry on berthd: docker.io pulls go to the
// mirror (here the reference registry on loopback), `docker info` lists both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { startDaemon, startReferenceRegistry, describe as show, type TestDaemon, type ReferenceRegistry } from './helpers';

let d: TestDaemon;
let reg: ReferenceRegistry;
before(async () => {
  const tmp = path.join('/tmp', `berth-mirror-${process.pid}`);
  reg = await startReferenceRegistry(tmp);
  d = await startDaemon({ extraArgs: ['--registry-mirror', `http://${reg.host}`, '--insecure-registry', 'registry.invalid:5000', '--max-concurrent-downloads', '2'] });
});
after(async () => {
  await d?.cleanup();
  await reg?.stop();
  const fs = await import('node:fs');
  if (reg) fs.rmSync(reg.root, { recursive: true, force: true });
});

test('docker.io pulls go through the mirror; docker info lists mirror and insecure registry', async () => {
  // Seed the mirror: library/mirrored:1 pushed straight to it.
  await d.dockerOk(['tag', 'busybox', `${reg.host}/library/mirrored:1`]);
  await d.dockerOk(['push', `${reg.host}/library/mirrored:1`]);
  const id = (await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).trim();
  const pull = await d.docker(['pull', 'mirrored:1']);
  assert.equal(pull.code, 0, show('docker', ['pull', 'mirrored:1'], pull));
  assert.match(pull.stdout, /Pulling from library\/mirrored/);
  assert.match(pull.stdout, /docker\.io\/library\/mirrored:1/);
  assert.equal((await d.dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'mirrored:1'])).trim(), id);
  const info = await d.dockerOk(['info']);
  assert.match(info, new RegExp(`Registry Mirrors:\\s*\\n\\s*http://${reg.host.replace(/\./g, '\\.')}/`));
  assert.match(info, /Insecure Registries:[\s\S]*registry\.invalid:5000/);
});

test('bad registry flags are refused like dockerd', async () => {
  const r = await d.run(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'berthd'), '--insecure-registry', 'http://x:5000', '--data-root', '/nonexistent-berth']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /insecure registry http:\/\/x:5000 should not contain ':\/\/'/);
});
