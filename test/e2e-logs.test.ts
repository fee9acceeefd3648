// Container logs through the official docker CLI (and the Python SDK) against berthd:
// follow until exit, since/until/tail/timestamps/details, TTY, rotation with max-size and
// max-file (reading and following across rotated files, resuming after a daemon crash),
// the log drivers and their validation, and daemon-wide defaults.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, delay, run, waitFor, describe as show, REPO_ROOT, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

const RFC3339_NANO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/;

async function containerId(name: string): Promise<string> {
  return (await d.dockerOk(['inspect', '--format', '{{.Id}}', name])).trim();
}

/** container.log* of a container (name or full ID): file name → size. */
async function logFiles(name: string): Promise<Map<string, number>> {
  const id = /^[0-9a-f]{64}$/.test(name) ? name : await containerId(name);
  const dir = path.join(d.dataRoot, 'containers', id);
  const out = new Map<string, number>();
  for (const f of fs.readdirSync(dir)) if (f.startsWith('container.log')) out.set(f, fs.statSync(path.join(dir, f)).size);
  return out;
}

/**
 * Drops the first line when it is the rest of a line whose start was rotated away
 * (conmon reads at most 8 KiB at a time, so a line can be split into chunks, as Docker's
 * copier splits at 16 KiB: both show such a fragment at the start of a rotated log).
 */
function withoutLeadingFragment(lines: string[], whole: RegExp): string[] {
  return lines.length > 0 && !whole.test(lines[0]) ? lines.slice(1) : lines;
}

/** Asserts lines are "<prefix> k" for consecutive k, returns the first k. */
function assertConsecutive(lines: string[], prefix: string, what: string): number {
  assert.ok(lines.length > 0, `${what}: no lines`);
  const first = Number(lines[0].slice(prefix.length + 1));
  lines.forEach((l, k) => { if (l !== `${prefix} ${first + k}`) assert.fail(`${what}: line ${k} is ${JSON.stringify(l)}, expected "${prefix} ${first + k}"`); });
  return first;
}

test('logs -f follows until the container exits: every line in order, the last unterminated one too', async () => {
  const script = 'sleep 1; i=0; while [ $i -lt 3000 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done; printf last';
  await d.dockerOk(['run', '-d', '--name', 'follow', 'busybox', 'sh', '-c', script]);
  const r = await d.docker(['logs', '-f', 'follow'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, show('docker', ['logs', '-f', 'follow'], r));
  const out = r.stdout.split('\n');
  assert.equal(out.pop(), 'last', 'the final line without a newline is delivered');
  assert.equal(assertConsecutive(out, 'out', 'stdout'), 0);
  assert.equal(out.length, 3000);
  const err = r.stderr.split('\n').filter(Boolean);
  assert.equal(assertConsecutive(err, 'err', 'stderr'), 0);
  assert.equal(err.length, 3000);
  // Following a stopped container prints what is there and returns at once.
  const again = await d.docker(['logs', '-f', 'follow']);
  assert.equal(again.code, 0);
  assert.ok(again.durationMs < 5000, `logs -f on an exited container took ${again.durationMs} ms`);
  assert.equal(again.stdout, r.stdout);
});

test('--since, --until, --tail, -t select and stamp like Docker', async () => {
  await d.dockerOk(['run', '-d', '--name', 'timed', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5 6; do echo l$i; sleep 0.2; done']);
  assert.equal(await d.dockerOk(['wait', 'timed']), '0\n');
  const stamped = (await d.dockerOk(['logs', '-t', 'timed'])).trim().split('\n').map((l) => l.split(' '));
  assert.deepEqual(stamped.map((p) => p[1]), ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']);
  for (const [ts] of stamped) assert.match(ts, RFC3339_NANO_Z);
  const t3 = stamped[2][0];
  const lines = async (...args: string[]) => (await d.dockerOk(['logs', ...args, 'timed'])).split('\n').filter(Boolean);
  assert.deepEqual(await lines('--since', t3), ['l3', 'l4', 'l5', 'l6'], 'since is inclusive (RFC 3339)');
  assert.deepEqual(await lines('--until', t3), ['l1', 'l2', 'l3'], 'until is inclusive (RFC 3339)');
  // Unix seconds with nanoseconds, as the CLI sends them to the API.
  const ms = Date.parse(t3);
  const unix = `${Math.floor(ms / 1000)}.${t3.slice(20, 29)}`;
  assert.deepEqual(await lines('--since', unix, '--until', unix), ['l3'], `unix timestamp ${unix}`);
  assert.deepEqual(await lines('--since', '1h'), ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'], 'relative since');
  assert.deepEqual(await lines('--until', '1h'), [], 'relative until: nothing is older than an hour');
  assert.deepEqual(await lines('--tail', '2'), ['l5', 'l6']);
  assert.deepEqual(await lines('-n', '0'), []);
  assert.deepEqual(await lines('--tail', 'all'), ['l1', 'l2', 'l3', 'l4', 'l5', 'l6']);
  assert.deepEqual(await lines('--tail', '2', '--since', t3), ['l5', 'l6']);
  const both = await d.dockerOk(['logs', '-t', '--tail', '1', 'timed']);
  assert.equal(both, `${stamped[5][0]} l6\n`);
  const bad = await d.docker(['logs', '--since', 'yesterday-ish', 'timed']);
  assert.notEqual(bad.code, 0);
});

test('--details shows the labels/env attributes chosen by log options, an empty prefix without', async () => {
  await d.dockerOk(['run', '-d', '--name', 'detailed', '--label', 'team=a b', '--label', 'other=x', '-e', 'STAGE=prod',
    '--log-opt', 'labels=team', '--log-opt', 'env=STAGE', '--log-opt', 'tag={{.Name}}', 'busybox', 'echo', 'hi']);
  await d.dockerOk(['run', '-d', '--name', 'plain', 'busybox', 'echo', 'hi']);
  await d.dockerOk(['wait', 'detailed']);
  await d.dockerOk(['wait', 'plain']);
  assert.equal(await d.dockerOk(['logs', '--details', 'detailed']), 'STAGE=prod,tag=detailed,team=a+b hi\n');
  assert.equal(await d.dockerOk(['logs', '--details', 'plain']), ' hi\n');
  assert.match(await d.dockerOk(['logs', '--details', '-t', 'plain']), /^\S+Z  hi\n$/);
});

test('TTY containers: raw stream (CR LF from the terminal), multiplexed otherwise', async () => {
  await d.dockerOk(['run', '-d', '-t', '--name', 'tty', 'busybox', 'sh', '-c', 'echo out; echo err >&2']);
  await d.dockerOk(['wait', 'tty']);
  const r = await d.docker(['logs', 'tty']);
  assert.equal(r.stdout, 'out\r\nerr\r\n');
  assert.equal(r.stderr, '');
  const raw = await d.api('GET', '/v1.45/containers/tty/logs?stdout=1&stderr=1');
  assert.equal(raw.headers['content-type'], 'application/vnd.docker.raw-stream');
  assert.equal(raw.body.toString(), 'out\r\nerr\r\n');
  const mux = await d.api('GET', '/v1.45/containers/plain/logs?stdout=1');
  assert.equal(mux.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  assert.deepEqual([...mux.body.subarray(0, 8)], [1, 0, 0, 0, 0, 0, 0, 3]);
  assert.equal(mux.body.subarray(8).toString(), 'hi\n');
});

test('rotation: max-size=10k max-file=3 keeps 3 files, logs reads across them, a follower sees every line', async () => {
  // 100 bursts of 200 lines (~11 KB of log each): rotations all along, some while lines are being written.
  const script = 'sleep 1; i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); [ $((i % 200)) -eq 0 ] && usleep 20000; done; sleep 0.5';
  await d.dockerOk(['run', '-d', '--name', 'rotating', '--log-opt', 'max-size=10k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', script]);
  const followed = await d.docker(['logs', '-f', 'rotating'], { timeoutMs: 90_000 });
  assert.equal(followed.code, 0, show('docker', ['logs', '-f', 'rotating'], followed));
  const seen = followed.stdout.split('\n').filter(Boolean);
  assert.equal(assertConsecutive(seen, 'line', 'follower'), 0, 'the follower started before the first line');
  assert.equal(seen.length, 20000);

  const files = await logFiles('rotating');
  assert.deepEqual([...files.keys()].sort(), ['container.log', 'container.log.1', 'container.log.2'], JSON.stringify([...files]));
  const all = withoutLeadingFragment((await d.dockerOk(['logs', 'rotating'])).split('\n').filter(Boolean), /^line \d+$/);
  const first = assertConsecutive(all, 'line', 'logs across rotated files');
  assert.ok(first > 0, 'older lines were rotated away');
  assert.equal(all[all.length - 1], 'line 19999', 'the newest lines are all there');
  assert.deepEqual((await d.dockerOk(['logs', '--tail', '3', 'rotating'])).split('\n').filter(Boolean), ['line 19997', 'line 19998', 'line 19999']);
  const lc = JSON.parse(await d.dockerOk(['inspect', '--format', '{{json .HostConfig.LogConfig}}', 'rotating'])) as unknown;
  assert.deepEqual(lc, { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '3' } });
});

test('max-file=1 truncates at max-size (conmon rotates in place)', async () => {
  await d.dockerOk(['run', '-d', '--name', 'single', '--log-opt', 'max-size=10k', 'busybox', 'sh', '-c', 'i=0; while [ $i -lt 5000 ]; do echo "line $i"; i=$((i+1)); done']);
  await d.dockerOk(['wait', 'single']);
  const files = await logFiles('single');
  assert.deepEqual([...files.keys()], ['container.log']);
  assert.ok((files.get('container.log') as number) <= 10_000, `size ${files.get('container.log')}`);
  const lines = (await d.dockerOk(['logs', 'single'])).split('\n').filter(Boolean);
  assertConsecutive(lines, 'line', 'single file');
  assert.equal(lines[lines.length - 1], 'line 4999');
});

test('log drivers: none has no logs (Docker\'s error), unknown drivers and bad options are refused before anything exists', async () => {
  const countBefore = (await d.dockerOk(['ps', '-aq'])).split('\n').filter(Boolean).length;
  const attached = await d.docker(['run', '--name', 'nolog', '--log-driver', 'none', 'busybox', 'echo', 'still attached']);
  assert.equal(attached.stdout, 'still attached\n', 'attach does not need a log file');
  const logs = await d.docker(['logs', 'nolog']);
  assert.equal(logs.code, 1);
  assert.equal(logs.stderr.trim(), 'Error response from daemon: configured logging driver does not support reading');
  assert.equal((await logFiles('nolog')).size, 0, 'no log file is written');

  const refused: Array<[string[], string]> = [
    [['--log-driver', 'syslog'], "logger: no log driver named 'syslog' is registered"],
    [['--log-opt', 'max-size=abc'], "invalid size: 'abc'"],
    [['--log-opt', 'max-size=10q'], "invalid suffix: 'q'"],
    [['--log-opt', 'max-size=1k', '--log-opt', 'max-file=0'], 'max-file cannot be less than 1'],
    [['--log-opt', 'max-file=three'], 'strconv.Atoi: parsing "three": invalid syntax'],
    [['--log-opt', 'colour=blue'], "unknown log opt 'colour' for json-file log driver"],
    [['--log-driver', 'local', '--log-opt', 'env=A'], "unknown log opt 'env' for log driver local"],
  ];
  for (const [flags, message] of refused) {
    const r = await d.docker(['run', ...flags, 'busybox', 'true']);
    assert.equal(r.code, 125, show('docker', ['run', ...flags], r));
    assert.equal(r.stderr.split('\n')[0], `docker: Error response from daemon: ${message}`);
  }
  const countAfter = (await d.dockerOk(['ps', '-aq'])).split('\n').filter(Boolean).length;
  assert.equal(countAfter, countBefore + 1, 'only the none-driver container was created');

  await d.dockerOk(['run', '--name', 'localdrv', '--log-driver', 'local', 'busybox', 'echo', 'local works']);
  assert.equal(await d.dockerOk(['logs', 'localdrv']), 'local works\n');
});

test('Python SDK: container.logs(stream=True) yields the lines, follow ends at exit', async () => {
  const code = `
import os, json, docker
client = docker.DockerClient(base_url=os.environ['BERTH_TEST_URL'], timeout=60)
c = client.containers.run('busybox', ['sh', '-c', 'sleep 0.5; for i in 1 2 3; do echo py$i; sleep 0.1; done'], detach=True)
chunks = [x.decode() for x in c.logs(stream=True, follow=True)]
again = c.logs(stream=True, timestamps=True)
print(json.dumps({'chunks': chunks, 'stamped': [x.decode() for x in again], 'tail': c.logs(tail=1).decode()}))
c.remove()
`;
  const r = await d.run('python3', ['-c', code], { env: { BERTH_TEST_URL: d.dockerHost }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, show('python3', ['-c', code], r));
  const out = JSON.parse(r.stdout) as { chunks: string[]; stamped: string[]; tail: string };
  assert.equal(out.chunks.join(''), 'py1\npy2\npy3\n');
  assert.equal(out.stamped.length, 3);
  out.stamped.forEach((l, k) => assert.match(l, new RegExp(`^\\S+Z py${k + 1}\\n$`)));
  assert.equal(out.tail, 'py3\n');
});

test('rotation resumes after a berthd crash: still at most max-file files, newest lines kept', async () => {
  // Bursts of ~4 KB every 100 ms for ~6 s: rotations happen before, during and after the crash.
  const script = 'i=0; while [ $i -lt 60 ]; do j=0; while [ $j -lt 40 ]; do echo "line $((i*40+j)) padding-padding-padding-padding-padding-padding"; j=$((j+1)); done; i=$((i+1)); sleep 0.1; done';
  await d.dockerOk(['run', '-d', '--name', 'survivor', '--log-opt', 'max-size=10k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', script]);
  const id = await containerId('survivor');
  await waitFor('a first rotation', async () => (await logFiles(id)).has('container.log.1'));
  await d.kill9();
  await delay(1500); // conmon keeps writing: container.log grows past max-size meanwhile
  const grown = (await logFiles(id)).get('container.log') ?? 0;
  assert.ok(grown > 10_000, `the log grew while berthd was down (${grown} bytes)`);
  await d.restart();
  assert.equal(await d.dockerOk(['wait', 'survivor'], { timeoutMs: 60_000 }), '0\n');
  const files = await logFiles('survivor');
  assert.ok(files.size <= 3, JSON.stringify([...files]));
  // The file that grew during the crash was rotated at restart and pushed out by later rotations.
  for (const name of ['container.log', 'container.log.1']) {
    assert.ok((files.get(name) ?? 0) < 50_000, `${name}: ${JSON.stringify([...files])}: rotation did not resume`);
  }
  const lines = withoutLeadingFragment((await d.dockerOk(['logs', 'survivor'])).split('\n').filter(Boolean), /^line \d+ padding/)
    .map((l) => l.split(' ').slice(0, 2).join(' '));
  assertConsecutive(lines, 'line', 'after the crash');
  assert.equal(lines[lines.length - 1], 'line 2399');
});

test('daemon defaults: --log-opt applies to the default driver, shows in inspect and info; bad defaults stop berthd', async () => {
  const bad = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'berthd'), '--data-root', path.join(d.tmpRoot, 'never'), '--log-opt', 'max-size=abc'], { timeoutMs: 20_000 });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr + bad.stdout, /failed to set log opts: invalid size: 'abc'/);
  assert.equal(fs.existsSync(path.join(d.tmpRoot, 'never')), false);

  const d2 = await startDaemon({ extraArgs: ['--log-opt', 'max-size=10k', '--log-opt', 'max-file=2'] });
  try {
    await d2.dockerOk(['create', '--name', 'defaults', 'busybox', 'true']);
    await d2.dockerOk(['create', '--name', 'override', '--log-opt', 'max-file=4', 'busybox', 'true']);
    await d2.dockerOk(['create', '--name', 'other', '--log-driver', 'local', 'busybox', 'true']);
    const lc = async (n: string) => JSON.parse(await d2.dockerOk(['inspect', '--format', '{{json .HostConfig.LogConfig}}', n])) as unknown;
    assert.deepEqual(await lc('defaults'), { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '2' } });
    assert.deepEqual(await lc('override'), { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '4' } });
    assert.deepEqual(await lc('other'), { Type: 'local', Config: {} });
    assert.equal((await d2.dockerOk(['info', '--format', '{{.LoggingDriver}}'])).trim(), 'json-file');
  } finally {
    await d2.cleanup();
  }
});
