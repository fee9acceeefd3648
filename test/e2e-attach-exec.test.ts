// Interactive use through the official docker CLI and the Python SDK against berthd:
// run -it / exec -it driven through a real pseudo-terminal (resize, detach keys,
// re-attach), stdin pipes (incl. 50 MB checksummed), start -ai, exec exit codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { startDaemon, waitFor, describe as show, REPO_ROOT, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

type Step = { expect: string; timeout?: number } | { send: string } | { resize: [number, number] } | { sleep: number };

/** Runs `docker args...` in a pseudo-terminal through test/fixtures/pty_drive.py. */
async function inPty(args: string[], steps: Step[], size: [number, number] = [40, 120], client: 'docker' | 'berth' = 'docker'): Promise<{ exit: number; output: string }> {
  const argv = client === 'docker' ? ['docker', ...args] : ['node', path.join(REPO_ROOT, 'bin', 'berth'), ...args];
  const plan = { argv, env: { DOCKER_HOST: d.dockerHost, BERTH_HOST: d.dockerHost }, rows: size[0], cols: size[1], timeout: 20, steps };
  const r = await d.run('python3', [path.join(REPO_ROOT, 'test', 'fixtures', 'pty_drive.py'), JSON.stringify(plan)], { timeoutMs: 60000 });
  const res = JSON.parse(r.stdout || '{}') as { exit?: number; output?: string; error?: string };
  if (res.error !== undefined || res.exit === undefined) assert.fail(`pty session failed: ${res.error}\n--- output ---\n${res.output}\n${show('python3', ['pty_drive.py'], r)}`);
  return { exit: res.exit, output: res.output ?? '' };
}

test('docker run -it: a shell computes, sees resizes, and its exit code is the CLI exit code', async () => {
  const r = await inPty(['run', '-it', '--rm', 'busybox', 'sh'], [
    { expect: '# ' },
    { send: 'echo $((6*7))\r' }, { expect: '\\r\\n42\\r\\n' },
    { send: 'stty size\r' }, { expect: '40 120' },
    { resize: [30, 100] }, { sleep: 0.3 },
    { send: 'stty size\r' }, { expect: '30 100' },
    { send: 'exit 3\r' },
  ]);
  assert.equal(r.exit, 3, r.output);
});

test('ctrl-p ctrl-q detaches, docker attach re-attaches, exec -it works alongside', async () => {
  const name = 'detach-me';
  const first = await inPty(['run', '-it', '--name', name, 'busybox', 'sh'], [
    { expect: '# ' }, { send: 'export MARK=kept\r' }, { expect: '# ' }, { send: '\x10\x11' },
  ]);
  assert.equal(first.exit, 0, first.output);
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.State.Status}}', name])).trim(), 'running');

  const exec = await inPty(['exec', '-it', name, 'sh'], [
    { expect: '# ' }, { send: 'echo $((6*7)); stty size\r' }, { expect: '42\\r\\n25 90' }, { send: 'exit 5\r' },
  ], [25, 90]);
  assert.equal(exec.exit, 5, exec.output);

  const again = await inPty(['attach', name], [
    { sleep: 0.3 }, { send: 'echo mark=$MARK\r' }, { expect: 'mark=kept' }, { send: 'exit 7\r' },
  ]);
  assert.equal(again.exit, 7, again.output);
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', name])).trim(), 'exited 7');
  await d.dockerOk(['rm', name]);
});

test('berth CLI: run -it with resize and detach, attach, exec -it, exec exit codes and stdin', async () => {
  const run = await inPty(['run', '-it', '--name', 'b-tty', 'busybox', 'sh'], [
    { expect: '# ' }, { send: 'echo $((6*7)); stty size\r' }, { expect: '\r\n42\r\n30 100\r\n' },
    { resize: [20, 70] }, { sleep: 0.3 }, { send: 'stty size\r' }, { expect: '20 70' }, { send: '\x10\x11' },
  ], [30, 100], 'berth');
  assert.equal(run.exit, 0, run.output);
  const exec = await inPty(['exec', '-it', 'b-tty', 'sh'], [{ expect: '# ' }, { send: 'stty size; exit 9\r' }, { expect: '22 77' }], [22, 77], 'berth');
  assert.equal(exec.exit, 9, exec.output);
  const again = await inPty(['attach', 'b-tty'], [{ sleep: 0.3 }, { send: 'echo again\r' }, { expect: 'again\r\n' }, { send: 'exit 6\r' }], [24, 80], 'berth');
  assert.equal(again.exit, 6, again.output);

  await d.dockerOk(['run', '-d', '--name', 'b-svc', 'busybox', 'sleep', '1000']);
  const code = await d.berth(['exec', 'b-svc', 'sh', '-c', 'echo hi; echo e >&2; exit 3']);
  assert.equal(code.code, 3);
  assert.equal(code.stdout, 'hi\n');
  assert.equal(code.stderr, 'e\n');
  assert.equal((await d.berth(['exec', 'b-svc', 'nonexist'])).code, 126);
  assert.equal((await d.berth(['exec', '-i', 'b-svc', 'cat'], { input: 'piped\n' })).stdout, 'piped\n');
  assert.equal((await d.berth(['run', '-i', '--rm', 'busybox', 'wc', '-l'], { input: 'a\nb\n' })).stdout.trim(), '2');
  const stopped = await d.berth(['attach', 'b-tty']);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stderr, /You cannot attach to a stopped container, start it first/);
  await d.dockerOk(['rm', '-f', 'b-svc', 'b-tty']);
});

test('custom --detach-keys detach a TTY session', async () => {
  const r = await inPty(['run', '-it', '--detach-keys', 'ctrl-x,x', '--name', 'dk', 'busybox', 'sh'], [
    { expect: '# ' }, { send: '\x18x' },
  ]);
  assert.equal(r.exit, 0, r.output);
  assert.equal((await d.dockerOk(['inspect', '-f', '{{.State.Status}}', 'dk'])).trim(), 'running');
  await d.dockerOk(['rm', '-f', 'dk']);
});

test('stdin pipes: line count, 50 MB checksum, start -ai, exec -i', async () => {
  const wc = await d.docker(['run', '-i', '--rm', 'busybox', 'wc', '-l'], { input: 'a\nb\n' });
  assert.equal(wc.code, 0, show('docker', ['run', '-i'], wc));
  assert.equal(wc.stdout.trim(), '2');

  const big = randomBytes(50 * 1024 * 1024);
  const want = createHash('sha256').update(big).digest('hex');
  const sum = await d.docker(['run', '-i', '--rm', 'busybox', 'sha256sum'], { input: big, timeoutMs: 120000 });
  assert.equal(sum.code, 0, show('docker', ['run', '-i', 'sha256sum'], sum));
  assert.equal(sum.stdout.split(' ')[0], want);

  await d.dockerOk(['create', '-i', '--name', 'sai', 'busybox', 'sh', '-c', 'read x; echo got $x; exit 4']);
  const sai = await d.docker(['start', '-ai', 'sai'], { input: 'hello\n' });
  assert.equal(sai.code, 4, show('docker', ['start', '-ai'], sai));
  assert.equal(sai.stdout, 'got hello\n');

  await d.dockerOk(['run', '-d', '--name', 'svc', 'busybox', 'sleep', '1000']);
  const cat = await d.docker(['exec', '-i', 'svc', 'cat'], { input: 'piped\n' });
  assert.equal(cat.stdout, 'piped\n', show('docker', ['exec', '-i'], cat));
});

test('docker exec: exit codes, streams, user/workdir/env, detached, failures, paused and stopped', async () => {
  const r = await d.docker(['exec', 'svc', 'sh', '-c', 'echo hi; echo err >&2; exit 3']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.stderr, 'err\n');
  const who = await d.dockerOk(['exec', '-u', 'nobody', '-w', '/tmp', '-e', 'FOO=bar', 'svc', 'sh', '-c', 'id -u; pwd; echo $FOO']);
  assert.equal(who, '65534\n/tmp\nbar\n');
  const missing = await d.docker(['exec', 'svc', 'no-such-command']);
  assert.equal(missing.code, 126);
  assert.match(missing.stdout + missing.stderr, /OCI runtime exec failed: .*executable file not found in \$PATH/);
  await d.dockerOk(['exec', '-d', 'svc', 'sh', '-c', 'sleep 0.3; touch /tmp/detached']);
  await waitFor('detached exec ran', async () => (await d.docker(['exec', 'svc', 'test', '-f', '/tmp/detached'])).code === 0, { timeoutMs: 10000 });
  const tty = await d.dockerOk(['exec', '-t', 'svc', 'tty']);
  assert.match(tty, /^\/dev\/pts\/\d+\r\n$/);
  const events = await d.dockerOk(['events', '--since', '0', '--until', String(Math.ceil(Date.now() / 1000)), '--filter', 'container=svc', '--format', '{{.Action}}']);
  assert.match(events, /^exec_create: sh -c echo hi; echo err >&2; exit 3$/m);
  assert.match(events, /^exec_start: sh -c echo hi/m);
  assert.match(events, /^exec_die$/m);

  await d.dockerOk(['pause', 'svc']);
  const paused = await d.docker(['exec', 'svc', 'true']);
  assert.notEqual(paused.code, 0);
  assert.match(paused.stderr, /is paused, unpause the container before exec/);
  await d.dockerOk(['unpause', 'svc']);
  await d.dockerOk(['kill', 'svc']);
  const stopped = await d.docker(['exec', 'svc', 'true']);
  assert.match(stopped.stderr, /is not running/);
  const api = await d.api('POST', '/containers/svc/exec', { body: { Cmd: ['true'] } });
  assert.equal(api.status, 409);
});

test('python SDK: exec_run, attach socket, demux, streaming', async () => {
  await d.dockerOk(['run', '-di', '--name', 'py', 'busybox', 'sh', '-c', 'while read l; do echo "echo:$l"; done']);
  const script = `
import docker, json, socket, time
c = docker.DockerClient(base_url=${JSON.stringify(d.dockerHost)})
ct = c.containers.get('py')
r1 = ct.exec_run(['sh', '-c', 'echo out; echo e >&2; exit 4'])
r2 = ct.exec_run(['sh', '-c', 'echo out; echo e >&2'], demux=True)
r3 = list(ct.exec_run(['sh', '-c', 'echo a; sleep 0.2; echo b'], stream=True).output)
att = c.containers.run('busybox', ['sh', '-c', 'read l; echo got:$l'], stdin_open=True, detach=True)
s = att.attach_socket(params={'stdin': 1, 'stdout': 1, 'stream': 1})
s._sock.settimeout(10)
s._sock.sendall(b'hello\\n')
data = b''
while b'got:hello' not in data:
    chunk = s._sock.recv(4096)
    if not chunk: break
    data += chunk
s.close()
att.wait(timeout=10)
att.remove()
print(json.dumps([r1.exit_code, r1.output.decode(), r2.exit_code, [x.decode() for x in r2.output], [x.decode() for x in r3], data[8:].decode()]))
`;
  const r = await d.run('python3', ['-c', script]);
  assert.equal(r.code, 0, show('python3', ['exec_run'], r));
  assert.deepEqual(JSON.parse(r.stdout), [4, 'out\ne\n', 0, ['out\n', 'e\n'], ['a\n', 'b\n'], 'got:hello\n']);
  await d.dockerOk(['rm', '-f', 'py']);
});

test('docker run -i with stdin attached while the container is created: interactive loop over a pipe', async () => {
  const r = await d.docker(['run', '-i', '--rm', 'busybox', 'sh', '-c', 'while read l; do echo "<$l>"; done; echo end'], { input: 'one\ntwo\n' });
  assert.equal(r.code, 0, show('docker', ['run', '-i'], r));
  assert.equal(r.stdout, '<one>\n<two>\nend\n');
});

test('attach/resize/exec API errors', async () => {
  assert.equal((await d.api('POST', '/containers/nope/resize?h=1&w=1')).status, 404);
  await d.dockerOk(['create', '--name', 'cr', 'busybox', 'true']);
  assert.equal((await d.api('POST', '/containers/cr/resize?h=1&w=1')).status, 409);
  assert.equal((await d.api('POST', '/containers/cr/resize?h=x&w=1')).status, 400);
  assert.equal((await d.api('GET', '/exec/' + 'f'.repeat(64) + '/json')).status, 404);
  await d.dockerOk(['rm', 'cr']);
});
