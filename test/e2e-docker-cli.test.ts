// The official docker CLI (v28) against berthd: version/info negotiation, run, and the
// container lifecycle with Docker's outputs, exit codes and error texts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, waitFor, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

// PID 1 sh traps TERM, so `docker stop` ends it at once with exit code 0.
const SERVICE = 'trap "exit 0" TERM; echo out; echo err >&2; sleep 1000 & wait';
const UP = /^Up (Less than a second|\d+ seconds?|About a minute)$/;

async function state(name: string): Promise<string> {
  return (await d.dockerOk(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name])).trim();
}

test('docker version negotiates with berthd', async () => {
  const raw = await d.dockerOk(['version', '--format', '{{json .}}']);
  const v = JSON.parse(raw) as { Client: { ApiVersion: string }; Server: { ApiVersion: string; MinAPIVersion: string; Version: string; Os: string } };
  const [major, minor] = v.Server.ApiVersion.split('.').map(Number);
  assert.ok(major === 1 && minor >= 45, `server API version ${v.Server.ApiVersion} < 1.45`);
  assert.equal(v.Server.MinAPIVersion, '1.24');
  assert.equal(v.Client.ApiVersion, v.Server.ApiVersion, 'the CLI negotiates down to the daemon version');
  assert.equal(v.Server.Os, 'linux');
  assert.ok(v.Server.Version);
  const plain = await d.dockerOk(['version']);
  assert.match(plain, /^Server:/m);
  assert.match(plain, /^ Engine:/m);
});

test('docker info reports the daemon', async () => {
  const info = JSON.parse(await d.dockerOk(['info', '--format', '{{json .}}'])) as Record<string, unknown>;
  assert.equal(info.OSType, 'linux');
  assert.equal(typeof info.Containers, 'number');
  assert.ok((info.Images as number) >= 1, 'the seeded busybox image is counted');
  assert.ok(info.ServerVersion);
  const plain = await d.docker(['info']);
  assert.equal(plain.code, 0, show('docker', ['info'], plain));
  assert.match(plain.stdout, /Server Version: /);
});

test('run --rm prints the output and leaves no container', async () => {
  const before = await d.dockerOk(['ps', '-aq', '--no-trunc']);
  const r = await d.docker(['run', '--rm', 'busybox', 'echo', 'hello']);
  assert.equal(r.code, 0, show('docker', ['run'], r));
  assert.equal(r.stdout, 'hello\n');
  await waitFor('the --rm container to be removed', async () => (await d.dockerOk(['ps', '-aq', '--no-trunc'])) === before);
});

test('run returns the exit code and keeps stdout and stderr apart', async () => {
  const r = await d.docker(['run', '--name', 'exit3', 'busybox', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 3']);
  assert.equal(r.code, 3, show('docker', ['run'], r));
  assert.equal(r.stdout, 'to-out\n');
  assert.equal(r.stderr, 'to-err\n');
  assert.equal(await state('exit3'), 'exited 3');
  assert.match(await d.dockerOk(['ps', '-a', '--filter', 'name=exit3', '--format', '{{.Status}}']), /^Exited \(3\) (Less than a second|\d+ seconds?) ago\n$/);
});

test('run -d, ps, pause and unpause', async () => {
  const id = (await d.dockerOk(['run', '-d', '--name', 'life', 'busybox', 'sh', '-c', SERVICE])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const line = (await d.dockerOk(['ps', '--filter', 'name=life', '--format', '{{.ID}}|{{.Names}}|{{.Image}}|{{.Status}}'])).trim();
  const [shortId, name, image, status] = line.split('|');
  assert.equal(shortId, id.slice(0, 12));
  assert.equal(name, 'life');
  assert.equal(image, 'busybox');
  assert.match(status, UP);
  assert.ok((await d.dockerOk(['ps', '-q', '--no-trunc'])).split('\n').includes(id));
  assert.equal(await state('life'), 'running 0');

  assert.equal(await d.dockerOk(['pause', 'life']), 'life\n');
  assert.equal(await state('life'), 'paused 0');
  assert.match((await d.dockerOk(['ps', '--filter', 'name=life', '--format', '{{.Status}}'])).trim(), /^Up .* \(Paused\)$/);
  assert.equal((await d.dockerOk(['ps', '-q', '--filter', 'status=paused'])).trim(), id.slice(0, 12));
  const again = await d.docker(['pause', 'life']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, new RegExp(`Error response from daemon: [Cc]ontainer ${id} is already paused`));
  const rm = await d.docker(['rm', 'life']);
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, /Error response from daemon: .*container is paused and must be unpaused first/);

  assert.equal(await d.dockerOk(['unpause', 'life']), 'life\n');
  assert.equal(await state('life'), 'running 0');
  const notPaused = await d.docker(['unpause', 'life']);
  assert.equal(notPaused.code, 1);
  assert.match(notPaused.stderr, new RegExp(`Error response from daemon: Container ${id} is not paused`));
});

test('stop, start, restart, kill and wait', async () => {
  assert.equal(await d.dockerOk(['stop', 'life']), 'life\n');
  assert.equal(await state('life'), 'exited 0');
  assert.match((await d.dockerOk(['ps', '-a', '--filter', 'name=life', '--format', '{{.Status}}'])).trim(), /^Exited \(0\) /);
  assert.equal(await d.dockerOk(['stop', 'life']), 'life\n', 'stop on a stopped container is a no-op (304)');

  assert.equal(await d.dockerOk(['start', 'life']), 'life\n');
  assert.equal(await state('life'), 'running 0');
  assert.equal(await d.dockerOk(['start', 'life']), 'life\n', 'start on a running container is a no-op (304)');
  const startedAt = (await d.dockerOk(['inspect', '-f', '{{.State.StartedAt}}', 'life'])).trim();

  assert.equal(await d.dockerOk(['restart', 'life']), 'life\n');
  assert.equal(await state('life'), 'running 0');
  const restartedAt = (await d.dockerOk(['inspect', '-f', '{{.State.StartedAt}}', 'life'])).trim();
  assert.ok(restartedAt > startedAt, `StartedAt moves on restart (${startedAt} -> ${restartedAt})`);

  assert.equal(await d.dockerOk(['kill', 'life']), 'life\n');
  assert.equal(await d.dockerOk(['wait', 'life']), '137\n');
  assert.equal(await state('life'), 'exited 137');
  const notRunning = await d.docker(['kill', 'life']);
  assert.equal(notRunning.code, 1);
  assert.match(notRunning.stderr, /Error response from daemon: .*[Cc]ontainer [0-9a-f]{64} is not running/);
});

test('wait blocks until the exit and prints the code', async () => {
  const id = (await d.dockerOk(['run', '-d', 'busybox', 'sh', '-c', 'sleep 1; exit 5'])).trim();
  const r = await d.docker(['wait', id]);
  assert.equal(r.code, 0, show('docker', ['wait', id], r));
  assert.equal(r.stdout, '5\n');
  assert.ok(r.durationMs > 300, 'wait returned before the container exited');
});

test('stop escalates to SIGKILL after the timeout', async () => {
  await d.dockerOk(['run', '-d', '--name', 'stubborn', 'busybox', 'sleep', '1000']);
  const started = Date.now();
  assert.equal(await d.dockerOk(['stop', '-t', '1', 'stubborn']), 'stubborn\n');
  const took = Date.now() - started;
  assert.ok(took >= 900 && took < 8000, `stop -t 1 took ${took} ms`);
  assert.equal(await state('stubborn'), 'exited 137');
});

test('logs keeps stdout and stderr apart', async () => {
  // "life" ran three times (run, start, restart): three lines on each stream.
  const r = await d.docker(['logs', 'life']);
  assert.equal(r.code, 0, show('docker', ['logs', 'life'], r));
  assert.equal(r.stdout, 'out\nout\nout\n');
  assert.equal(r.stderr, 'err\nerr\nerr\n');
  // --tail counts lines of both streams together, as Docker's log file does.
  const tail = await d.docker(['logs', '--tail', '2', 'life']);
  assert.equal(tail.stdout, 'out\n');
  assert.equal(tail.stderr, 'err\n');
  const stamped = await d.dockerOk(['logs', '-t', 'exit3']);
  assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z to-out\n$/);
});

test('inspect --format reads config and state', async () => {
  const out = await d.dockerOk(['inspect', '--format', '{{.Name}}|{{.Config.Image}}|{{.Path}}|{{json .Args}}|{{.HostConfig.NetworkMode}}|{{.State.ExitCode}}', 'exit3']);
  const [name, image, argv0, args, network, code] = out.trimEnd().split('|');
  assert.equal(name, '/exit3');
  assert.equal(image, 'busybox');
  assert.equal(argv0, 'sh');
  assert.deepEqual(JSON.parse(args), ['-c', 'echo to-out; echo to-err >&2; exit 3']);
  assert.match(network, /^(default|bridge)$/);
  assert.equal(code, '3');
  const full = JSON.parse(await d.dockerOk(['inspect', 'exit3'])) as Array<{ Id: string; Created: string; Image: string; State: { Status: string } }>;
  assert.equal(full.length, 1);
  assert.match(full[0].Id, /^[0-9a-f]{64}$/);
  assert.match(full[0].Image, /^sha256:[0-9a-f]{64}$/);
  assert.ok(!Number.isNaN(Date.parse(full[0].Created)));
});

test('rename moves the name', async () => {
  const r = await d.docker(['rename', 'exit3', 'renamed']);
  assert.equal(r.code, 0, show('docker', ['rename'], r));
  assert.equal(r.stdout, '');
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.Name}}', 'renamed'])).trim(), '/renamed');
  const old = await d.docker(['container', 'inspect', 'exit3']);
  assert.equal(old.code, 1);
  assert.match(old.stderr, /No such container: exit3/);
});

test('rm refuses a running container and rm -f removes it', async () => {
  await d.dockerOk(['run', '-d', '--name', 'doomed', 'busybox', 'sleep', '1000']);
  const refused = await d.docker(['rm', 'doomed']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Error response from daemon: cannot remove container "\/?doomed": container is running: stop the container before removing or force remove/);
  assert.equal(await d.dockerOk(['rm', '-f', 'doomed']), 'doomed\n');
  const gone = await d.docker(['inspect', 'doomed']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /No such (object|container): doomed/);
});

test('errors carry Docker texts', async () => {
  const start = await d.docker(['start', 'nope']);
  assert.equal(start.code, 1);
  assert.match(start.stderr, /^Error response from daemon: No such container: nope$/m);

  const first = (await d.dockerOk(['create', '--name', 'dup', 'busybox'])).trim();
  const dup = await d.docker(['run', '-d', '--name', 'dup', 'busybox']);
  assert.equal(dup.code, 125);
  assert.ok(dup.stderr.includes(`Error response from daemon: Conflict. The container name "/dup" is already in use by container "${first}". You have to remove (or rename) that container to be able to reuse that name.`), dup.stderr);

  const image = await d.docker(['run', '--rm', 'no-such-image:never']);
  assert.equal(image.code, 125);
  assert.match(image.stderr, /No such image: no-such-image:never|pull access denied|Unable to find image/);

  const api = await d.api('POST', '/containers/nope/start');
  assert.equal(api.status, 404);
  assert.deepEqual(api.json, { message: 'No such container: nope' });
  const started = await d.api('POST', `/v1.45/containers/renamed/start`);
  assert.equal(started.status, 204);
  await d.dockerOk(['wait', 'renamed']);
});

test('ps filters, -n and -l', async () => {
  const exited = (await d.dockerOk(['ps', '-a', '--filter', 'status=exited', '--format', '{{.Names}}'])).split('\n').filter(Boolean);
  for (const name of ['life', 'stubborn', 'renamed']) assert.ok(exited.includes(name), `${name} in ${exited.join(',')}`);
  assert.deepEqual((await d.dockerOk(['ps', '-a', '--filter', 'exited=137', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort(), ['life', 'stubborn']);
  assert.equal((await d.dockerOk(['ps', '-a', '-n', '2', '-q'])).split('\n').filter(Boolean).length, 2);
  assert.equal((await d.dockerOk(['ps', '-l', '--format', '{{.Names}}'])).trim(), 'dup');
  assert.equal((await d.dockerOk(['ps', '-a', '--filter', 'status=created', '--format', '{{.Names}}'])).trim(), 'dup');
});

test('run of a missing executable fails with 127, and --rm leaves nothing behind', async () => {
  const before = (await d.dockerOk(['ps', '-aq'])).trim().split('\n').filter(Boolean).length;
  const r = await d.docker(['run', '--rm', 'busybox', 'no-such-command']);
  assert.equal(r.code, 127, show('docker', ['run', '--rm', 'busybox', 'no-such-command'], r));
  assert.match(r.stderr, /executable file not found in \$PATH/);
  assert.equal((await d.dockerOk(['ps', '-aq'])).trim().split('\n').filter(Boolean).length, before);
});
