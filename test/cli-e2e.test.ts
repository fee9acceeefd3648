// The berth CLI against a real berthd: the lifecycle, images and system commands with
// Docker's output and exit codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, writeBusyboxTar, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

test('version, info, images show the daemon and the seeded busybox', async () => {
  assert.match(await d.berthOk(['version']), /Server: Berth\n Engine:\n {2}Version: +\S+\n {2}API version: +1\.\d+ \(minimum version 1\.24\)/);
  assert.match(await d.berthOk(['info']), /\n Server Version: \S+\n/);
  assert.match(await d.berthOk(['images']), /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE\nbusybox +latest +[0-9a-f]{12} /);
});

test('run: output streams, exit codes, --rm, missing command and image', async () => {
  const hello = await d.berth(['run', '--rm', 'busybox', 'echo', 'hello']);
  assert.deepEqual([hello.code, hello.stdout], [0, 'hello\n']);
  const three = await d.berth(['run', '--name', 'three', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.deepEqual([three.code, three.stdout, three.stderr], [3, 'out\n', 'err\n']);
  const env = await d.berthOk(['run', '--rm', '-e', 'A=1', '-w', '/tmp', '-u', 'nobody', '-h', 'boxy', 'busybox', 'sh', '-c', 'echo $A $(pwd) $(id -un) $(hostname)']);
  assert.equal(env, '1 /tmp nobody boxy\n');
  const missingCmd = await d.berth(['run', '--rm', 'busybox', 'no-such-command']);
  assert.equal(missingCmd.code, 127);
  assert.match(missingCmd.stderr, /^berth: Error response from daemon: .*executable file not found/);
  const missingImage = await d.berth(['run', 'no-such-image']);
  assert.equal(missingImage.code, 125);
  assert.match(missingImage.stderr, /^Unable to find image 'no-such-image:latest' locally\nberth: Error response from daemon: /);
  const names = await d.berthOk(['ps', '-a', '--format', '{{.Names}}']);
  assert.equal(names, 'three\n'); // the --rm containers are gone
  assert.equal(await d.berthOk(['rm', 'three']), 'three\n');
});

test('detached lifecycle: ps, pause, logs, inspect, rename, restart, stop, kill, wait, rm', async () => {
  const id = (await d.berthOk(['run', '-d', '--name', 'web', '-l', 'tier=front', 'busybox', 'sh', '-c', 'echo started; trap "exit 0" TERM; while true; do sleep 0.1; done'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const table = await d.berthOk(['ps']);
  assert.match(table, new RegExp(`^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES\\n${id.slice(0, 12)} +busybox +"sh -c 'echo started…" +.+ ago +Up .+ +web\\n$`));
  assert.equal(await d.berthOk(['ps', '-q', '--filter', 'label=tier=front']), `${id.slice(0, 12)}\n`);
  assert.equal(await d.berthOk(['pause', 'web']), 'web\n');
  assert.match(await d.berthOk(['ps', '--format', '{{.Status}}']), /^Up .+ \(Paused\)\n$/);
  assert.equal(await d.berthOk(['inspect', '-f', '{{.State.Status}} {{.State.Paused}}', 'web']), 'paused true\n');
  await d.berthOk(['unpause', 'web']);
  assert.equal(await d.berthOk(['logs', 'web']), 'started\n');
  assert.equal(await d.berthOk(['inspect', '--format', '{{index .Config.Labels "tier"}} {{.Name}}', 'web']), 'front /web\n');
  await d.berthOk(['rename', 'web', 'web2']);
  assert.equal(await d.berthOk(['restart', '-t', '5', 'web2']), 'web2\n');
  assert.equal(await d.berthOk(['stop', 'web2']), 'web2\n');
  assert.equal(await d.berthOk(['inspect', '-f', '{{.State.ExitCode}}', 'web2']), '0\n');
  assert.equal(await d.berthOk(['start', 'web2']), 'web2\n');
  assert.equal(await d.berthOk(['kill', '-s', 'KILL', 'web2']), 'web2\n');
  assert.equal(await d.berthOk(['wait', 'web2']), '137\n');
  assert.match(await d.berthOk(['ps', '-a', '--format', '{{.Status}}']), /^Exited \(137\) .+ ago\n$/);
  const conflict = await d.berth(['rename', 'web2', 'web2']);
  assert.equal(conflict.code, 1);
  const gone = await d.berth(['stop', 'nope']);
  assert.deepEqual([gone.code, gone.stderr], [1, 'Error response from daemon: No such container: nope\n']);
  assert.equal(await d.berthOk(['rm', '-f', 'web2']), 'web2\n');
});

test('images: tag, history, inspect, save -o / rmi / load round trip, import with --change, prune', async () => {
  await d.berthOk(['tag', 'busybox', 'mybox:v1']);
  assert.match(await d.berthOk(['images', 'mybox']), /\nmybox +v1 +[0-9a-f]{12} /);
  assert.match(await d.berthOk(['history', 'mybox:v1']), /^IMAGE +CREATED +CREATED BY +SIZE +COMMENT\n/);
  const tar = path.join(d.tmpRoot, 'mybox.tar');
  await d.berthOk(['save', '-o', tar, 'mybox:v1']);
  assert.ok(fs.statSync(tar).size > 1000);
  assert.match(await d.berthOk(['rmi', 'mybox:v1']), /^Untagged: mybox:v1\n$/);
  assert.equal(await d.berthOk(['load', '-i', tar]), 'Loaded image: mybox:v1\n');
  assert.equal(await d.berthOk(['image', 'inspect', '-f', '{{json .RepoTags}}', 'mybox:v1']), '["busybox:latest","mybox:v1"]\n');
  const rootfs = path.join(d.tmpRoot, 'rootfs.tar');
  await writeBusyboxTar(rootfs);
  const imported = await d.berthOk(['import', '-c', 'CMD ["echo", "from-import"]', '-m', 'test import', '-', 'imported:v2'], { input: fs.readFileSync(rootfs) });
  assert.match(imported, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(await d.berthOk(['run', '--rm', 'imported:v2']), 'from-import\n');
  assert.match(await d.berthOk(['image', 'rm', 'imported:v2']), /^Untagged: imported:v2\nDeleted: sha256:/);
  assert.match(await d.berthOk(['image', 'prune', '-f']), /Total reclaimed space: /);
  assert.match(await d.berthOk(['rmi', 'mybox:v1']), /^Untagged: mybox:v1\n$/);
});

test('events: the lifecycle in order; container prune; system df', async () => {
  const since = String(Math.floor(Date.now() / 1000) - 1);
  await d.berthOk(['run', '--name', 'evt', 'busybox', 'true']);
  const until = String(Math.floor(Date.now() / 1000) + 1);
  const events = await d.berthOk(['events', '--since', since, '--until', until, '--filter', 'container=evt', '--format', '{{.Action}}']);
  const actions = events.trim().split('\n').filter((a) => ['create', 'attach', 'start', 'die'].includes(a));
  assert.deepEqual(actions, ['create', 'attach', 'start', 'die']);
  const pretty = await d.berthOk(['events', '--since', since, '--until', until, '--filter', 'event=create', '--filter', 'container=evt']);
  assert.match(pretty, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(Z|[+-]\d\d:\d\d) container create [0-9a-f]{64} \(image=busybox, name=evt\)\n$/);
  const pruned = await d.berthOk(['container', 'prune', '-f']);
  assert.match(pruned, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: \S+\n$/);
  assert.match(await d.berthOk(['system', 'df']), /^TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE\nImages +1 +0 +\S+ +\S+ \(100%\)\nContainers +0 +0 +0B +0B\n/);
});
