// The official docker CLI against berthd's image store: import, images, save | load,
// tag, rmi (untag/delete semantics and conflicts), image prune and container prune.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar-stream';
import { startDaemon, writeBusyboxTar, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
let rootfsTar: string;
let importedId: string;
before(async () => {
  d = await startDaemon();
  rootfsTar = path.join(d.tmpRoot, 'rootfs.tar');
  await writeBusyboxTar(rootfsTar, { extraFiles: { 'etc/imported-marker': 'imported\n' } });
});
after(async () => { await d?.cleanup(); });

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

/** Entry name → content of a tar held in memory. */
async function readTar(data: Buffer): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c) => chunks.push(c as Buffer));
      stream.on('end', () => { entries.set(header.name, Buffer.concat(chunks)); next(); });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(data);
  await done;
  return entries;
}

test('docker import a rootfs tar with changes', async () => {
  const args = ['import', '-c', 'CMD ["sh"]', '-c', 'ENV IMPORTED=yes', '-m', 'from the tests', rootfsTar, 'busybox-imported:1'];
  const r = await d.docker(args);
  assert.equal(r.code, 0, show('docker', args, r));
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  importedId = r.stdout.trim();
  const info = JSON.parse(await d.dockerOk(['image', 'inspect', 'busybox-imported:1'])) as Array<{ Id: string; RepoTags: string[]; Comment: string; Config: { Cmd: string[]; Env: string[] }; Os: string; Architecture: string }>;
  assert.equal(info[0].Id, importedId);
  assert.deepEqual(info[0].RepoTags, ['busybox-imported:1']);
  assert.deepEqual(info[0].Config.Cmd, ['sh']);
  assert.ok(info[0].Config.Env.includes('IMPORTED=yes'));
  assert.equal(info[0].Comment, 'from the tests');
  assert.equal(info[0].Os, 'linux');
  const run = await d.docker(['run', '--rm', 'busybox-imported:1', 'sh', '-c', 'cat /etc/imported-marker; echo $IMPORTED']);
  assert.equal(run.stdout, 'imported\nyes\n', show('docker', ['run'], run));
});

test('docker import from stdin', async () => {
  const r = await d.docker(['import', '-', 'from-stdin:latest'], { input: fs.readFileSync(rootfsTar) });
  assert.equal(r.code, 0, show('docker', ['import', '-'], r));
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal((await d.dockerOk(['run', '--rm', 'from-stdin', 'cat', '/etc/imported-marker'])), 'imported\n');
});

test('docker images lists repositories and tags', async () => {
  const table = lines(await d.dockerOk(['images']));
  assert.match(table[0], /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
  const rows = lines(await d.dockerOk(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']));
  assert.ok(rows.includes(`busybox-imported:1 ${importedId.slice(7, 19)}`), rows.join('\n'));
  assert.ok(rows.some((row) => row.startsWith('busybox:latest ')), rows.join('\n'));
  assert.deepEqual(lines(await d.dockerOk(['images', 'busybox', '--format', '{{.Repository}}:{{.Tag}}'])), ['busybox:latest']);
  assert.deepEqual(lines(await d.dockerOk(['images', '-q', '--no-trunc', 'busybox-imported:1'])), [importedId]);
  const history = await d.docker(['history', 'busybox-imported:1']);
  assert.equal(history.code, 0, show('docker', ['history'], history));
  assert.match(lines(history.stdout)[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
});

test('docker save writes a loadable archive and load restores the same image ID', async () => {
  const file = path.join(d.tmpRoot, 'saved.tar');
  await d.dockerOk(['save', '-o', file, 'busybox-imported:1']);
  const entries = await readTar(fs.readFileSync(file));
  const manifest = JSON.parse(entries.get('manifest.json')?.toString() ?? 'null') as Array<{ Config: string; RepoTags: string[]; Layers: string[] }>;
  assert.equal(manifest.length, 1);
  assert.deepEqual(manifest[0].RepoTags, ['busybox-imported:1']);
  assert.ok(entries.has(manifest[0].Config), `config ${manifest[0].Config} in the archive`);
  for (const layer of manifest[0].Layers) assert.ok(entries.has(layer), `layer ${layer} in the archive`);

  const rmi = await d.dockerOk(['rmi', 'busybox-imported:1']);
  assert.equal(lines(rmi)[0], 'Untagged: busybox-imported:1');
  assert.equal(lines(rmi)[1], `Deleted: ${importedId}`);
  assert.equal((await d.docker(['image', 'inspect', 'busybox-imported:1'])).code, 1);

  const load = await d.dockerOk(['load', '-i', file]);
  assert.match(load, /^Loaded image: busybox-imported:1$/m);
  assert.equal((await d.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'busybox-imported:1'])).trim(), importedId);
});

test('docker save | docker load through a pipe', async () => {
  const r = await d.run('sh', ['-c', 'docker save busybox | docker load']);
  assert.equal(r.code, 0, show('sh', ['-c', 'docker save busybox | docker load'], r));
  assert.match(r.stdout, /Loaded image: busybox:latest/);
  assert.equal((await d.dockerOk(['run', '--rm', 'busybox', 'echo', 'still works'])), 'still works\n');
});

test('docker tag and rmi of one of several tags only untags', async () => {
  assert.equal(await d.dockerOk(['tag', 'busybox-imported:1', 'example.com/team/thing:v2']), '');
  assert.equal((await d.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'example.com/team/thing:v2'])).trim(), importedId);
  const missing = await d.docker(['tag', 'nope:1', 'x:1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error response from daemon: No such image: nope:1/);

  const byId = await d.docker(['rmi', importedId.slice(7, 19)]);
  assert.equal(byId.code, 1);
  assert.match(byId.stderr, new RegExp(`conflict: unable to delete ${importedId.slice(7, 19)} \\(must be forced\\) - image is referenced in multiple repositories`));

  assert.equal(await d.dockerOk(['rmi', 'example.com/team/thing:v2']), 'Untagged: example.com/team/thing:v2\n');
  assert.equal((await d.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'busybox-imported:1'])).trim(), importedId);
});

test('rmi refuses an image a container uses', async () => {
  const ctr = (await d.dockerOk(['create', '--name', 'user', 'busybox-imported:1'])).trim();
  const r = await d.docker(['rmi', 'busybox-imported:1']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`Error response from daemon: conflict: unable to remove repository reference "busybox-imported:1" \\(must force\\) - container ${ctr.slice(0, 12)} is using its referenced image ${importedId.slice(7, 19)}`));
  await d.dockerOk(['rm', 'user']);
  const none = await d.docker(['rmi', 'no-such:image']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /Error response from daemon: No such image: no-such:image/);
});

test('image prune removes dangling images only', async () => {
  const dangling = (await d.dockerOk(['import', rootfsTar])).trim();
  assert.match(dangling, /^sha256:[0-9a-f]{64}$/);
  assert.ok(lines(await d.dockerOk(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).includes(dangling));
  const r = await d.dockerOk(['image', 'prune', '-f']);
  assert.match(r, /^Deleted Images:$/m);
  assert.match(r, new RegExp(`^deleted: ${dangling}$`, 'm'));
  assert.match(r, /^Total reclaimed space: /m);
  assert.equal((await d.docker(['image', 'inspect', dangling])).code, 1);
  assert.equal((await d.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'busybox-imported:1'])).trim(), importedId);
});

test('container prune removes stopped containers only', async () => {
  const stopped = (await d.dockerOk(['create', '--name', 'pruneme', 'busybox', 'true'])).trim();
  await d.dockerOk(['start', '-a', 'pruneme']);
  const running = (await d.dockerOk(['run', '-d', '--name', 'keepme', 'busybox', 'sleep', '1000'])).trim();
  const r = await d.dockerOk(['container', 'prune', '-f']);
  assert.match(r, /^Deleted Containers:$/m);
  assert.match(r, new RegExp(`^${stopped}$`, 'm'));
  assert.doesNotMatch(r, new RegExp(running));
  assert.match(r, /^Total reclaimed space: /m);
  const left = lines(await d.dockerOk(['ps', '-a', '-q', '--no-trunc']));
  assert.deepEqual(left, [running]);
  await d.dockerOk(['rm', '-f', 'keepme']);
});
