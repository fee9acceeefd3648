// The builder end to end against a real berthd: the official docker CLI's legacy
// builder, berth build and the Python SDK build a multi-stage Dockerfile; the image
// runs; history shows the steps; the cache is content-keyed; independent stages run
// in parallel; bad input fails cleanly and leaves nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
let work: string;
before(async () => {
  d = await startDaemon();
  work = fs.mkdtempSync('/tmp/berth-build-');
});
after(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await d?.cleanup();
});

const MULTI = `# syntax=docker/dockerfile:1
ARG BASE=busybox
FROM $BASE AS build
ARG GREETING=hello
ENV APP=/app \\
    MODE=test
WORKDIR $APP
COPY src/ ./src/
RUN echo "$GREETING from \${MODE:-none}" > out.txt && cat src/a.txt >> out.txt
RUN <<EOF
echo "heredoc $APP" > /app/heredoc.txt
EOF

FROM busybox AS final
COPY --from=build /app/ /srv/
COPY <<"CONF" /etc/app.conf
literal=$APP
CONF
COPY late.txt /srv/late.txt
USER nobody
HEALTHCHECK --interval=5s --retries=2 CMD true
ENTRYPOINT ["cat"]
CMD ["/srv/out.txt"]
`;

function writeTree(dir: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

function project(name: string, files: Record<string, string>): string {
  return writeTree(path.join(work, name), files);
}

const legacy = { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 };

async function dockerBuild(args: string[]) {
  return d.docker(['build', ...args], legacy);
}

function cachedSteps(out: string): number {
  return (out.match(/ ---> Using cache/g) ?? []).length;
}

let ctxDir: string;

test('DOCKER_BUILDKIT=0 docker build of a multi-stage Dockerfile; the image runs as written; history shows the steps', async () => {
  ctxDir = project('multi', {
    Dockerfile: MULTI, 'src/a.txt': 'file a\n', 'late.txt': 'late v1\n', '.dockerignore': 'ignored*\n', 'ignored.txt': 'no\n',
  });
  const r = await dockerBuild(['-t', 'multi:1', '--build-arg', 'GREETING=hi', ctxDir]);
  assert.equal(r.code, 0, show('docker build', [], r));
  assert.match(r.stdout, /Step 1\/15 : FROM \$BASE AS build\n/);
  assert.match(r.stdout, /Successfully built [0-9a-f]{12}\nSuccessfully tagged multi:1\n/);
  assert.equal(await d.dockerOk(['run', '--rm', 'multi:1']), 'hi from test\nfile a\n');
  assert.equal(await d.dockerOk(['run', '--rm', 'multi:1', '/srv/heredoc.txt', '/etc/app.conf', '/srv/late.txt']), 'heredoc /app\nliteral=$APP\nlate v1\n');
  assert.equal((await d.dockerOk(['run', '--rm', '--entrypoint', 'id', 'multi:1', '-u'])).trim(), '65534');
  const cfg = JSON.parse(await d.dockerOk(['image', 'inspect', 'multi:1', '--format', '{{json .Config}}'])) as Record<string, unknown>;
  assert.deepEqual(cfg.Entrypoint, ['cat']);
  assert.deepEqual(cfg.Cmd, ['/srv/out.txt']);
  assert.equal(cfg.User, 'nobody');
  assert.deepEqual(cfg.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 5e9, Retries: 2 });
  const history = await d.dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Size}}', 'multi:1']);
  const lines = history.trim().split('\n');
  assert.equal(lines[0], '/bin/sh -c #(nop)  CMD ["/srv/out.txt"]|0B');
  assert.equal(lines[1], '/bin/sh -c #(nop)  ENTRYPOINT ["cat"]|0B');
  assert.match(lines[2], /^\/bin\/sh -c #\(nop\)  HEALTHCHECK &\{\["CMD-SHELL" "true"\] "5s" "0s" "0s" "0s" '\\x02'\}\|0B$/);
  assert.equal(lines[3], '/bin/sh -c #(nop)  USER nobody|0B');
  assert.match(lines[4], /^\/bin\/sh -c #\(nop\)  COPY file:[0-9a-f]{64} in \/srv\/late\.txt \|8B$/);
  assert.match(lines[6], /^\/bin\/sh -c #\(nop\)  COPY dir:[0-9a-f]{64} in \/srv\/ \|/);
  // .dockerignore: the ignored file never reaches COPY (Dockerfile from stdin this time).
  const ls = await d.docker(['build', '-q', '-t', 'ls:1', '-f', '-', ctxDir], { ...legacy, input: 'FROM busybox\nCOPY . /c/\n' });
  assert.equal(ls.code, 0, show('docker build -q -f -', [], ls));
  assert.match(ls.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
  const names = (await d.dockerOk(['run', '--rm', 'ls:1', 'ls', '-A', '/c'])).trim().split('\n');
  assert.ok(names.includes('late.txt') && names.includes('src') && names.includes('.dockerignore'), names.join(' '));
  assert.ok(!names.includes('ignored.txt'), names.join(' '));
});

test('berth build of the same Dockerfile is fully cached; RUN with build args records them', async () => {
  const r = await d.berth(['build', '-t', 'multi:2', '--build-arg', 'GREETING=hi', ctxDir], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, show('berth build', [], r));
  assert.equal(cachedSteps(r.stdout), 13, r.stdout); // every step but the two FROMs
  const id1 = await d.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'multi:1']);
  const id2 = await d.dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'multi:2']);
  assert.equal(id1, id2);
  const buildHistory = await d.dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'multi:1']);
  assert.ok(!buildHistory.includes('GREETING'), 'the final stage does not carry the build stage history');
});

test('cache: touch keeps it, editing a late file rebuilds from that step, --no-cache rebuilds all, a restart keeps it', async () => {
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(ctxDir, 'late.txt'), later, later);
  fs.utimesSync(path.join(ctxDir, 'src/a.txt'), later, later);
  let r = await dockerBuild(['-t', 'multi:3', '--build-arg', 'GREETING=hi', ctxDir]);
  assert.equal(r.code, 0, show('build after touch', [], r));
  assert.equal(cachedSteps(r.stdout), 13);
  fs.writeFileSync(path.join(ctxDir, 'late.txt'), 'late v2\n');
  r = await dockerBuild(['-t', 'multi:3', '--build-arg', 'GREETING=hi', ctxDir]);
  assert.equal(r.code, 0, show('build after edit', [], r));
  // The build stage and the two first COPYs of the final one stay cached.
  assert.equal(cachedSteps(r.stdout), 8, r.stdout);
  assert.match(r.stdout, /Step 11\/15 : COPY late.txt \/srv\/late.txt\n ---> [0-9a-f]{12}\n/);
  assert.equal(await d.dockerOk(['run', '--rm', 'multi:3', '/srv/late.txt']), 'late v2\n');
  await d.restart();
  r = await dockerBuild(['-t', 'multi:3', '--build-arg', 'GREETING=hi', ctxDir]);
  assert.equal(cachedSteps(r.stdout), 13, 'the cache survives a daemon restart');
  r = await d.berth(['build', '--no-cache', '-t', 'multi:4', '--build-arg', 'GREETING=hi', ctxDir], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, show('no-cache', [], r));
  assert.equal(cachedSteps(r.stdout), 0);
  assert.equal((r.stdout.match(/ ---> Running in /g) ?? []).length, 2);
});

test('independent stages run in parallel; --target builds only what it needs', async () => {
  const dir = project('parallel', {
    Dockerfile: [
      'FROM busybox AS a', 'RUN sleep 2 && echo a > /a',
      'FROM busybox AS b', 'RUN sleep 2 && echo b > /b',
      'FROM busybox AS unused', 'RUN exit 1',
      'FROM busybox', 'COPY --from=a /a /a', 'COPY --from=b /b /b', 'RUN cat /a /b',
    ].join('\n') + '\n',
  });
  const started = Date.now();
  const r = await d.berth(['build', '--no-cache', '-t', 'par:1', dir], { timeoutMs: 60_000 });
  const seconds = (Date.now() - started) / 1000;
  assert.equal(r.code, 0, show('parallel build', [], r));
  assert.ok(seconds < 3.8, `two 2 s stages took ${seconds.toFixed(2)} s`);
  assert.match(r.stdout, /a\nb\n/);
  assert.ok(!r.stdout.includes('exit 1'), 'the unused stage was not built');
  // Output reads in file order even though the stages overlapped.
  assert.ok(r.stdout.indexOf('Step 1/') < r.stdout.indexOf('Step 3/'));
  const t = await d.berth(['build', '--target', 'b', '-q', dir], { timeoutMs: 60_000 });
  assert.equal(t.code, 0, show('target', [], t));
  assert.match(t.stdout.trim(), /^sha256:[0-9a-f]{64}$/);
});

test('Python SDK images.build(path=..., tag=...) returns the image and the log stream', async () => {
  const dir = project('sdk', { Dockerfile: 'FROM busybox\nLABEL via=sdk\nRUN echo built-by-sdk\n' });
  const script = `
import docker, json, os
client = docker.DockerClient(base_url=os.environ['URL'], timeout=120)
image, logs = client.images.build(path=os.environ['DIR'], tag='sdk:1', rm=True)
text = ''.join(chunk.get('stream', '') for chunk in logs)
print('RESULT ' + json.dumps({'id': image.id, 'tags': image.tags, 'labels': image.labels, 'log': text}))
`;
  const r = await d.run('python3', ['-c', script], { env: { URL: d.dockerHost, DIR: dir }, timeoutMs: 120_000 });
  assert.equal(r.code, 0, show('python', [], r));
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '))!;
  const res = JSON.parse(line.slice(7)) as { id: string; tags: string[]; labels: Record<string, string>; log: string };
  assert.match(res.id, /^sha256:/);
  assert.deepEqual(res.tags, ['sdk:1']);
  assert.equal(res.labels.via, 'sdk');
  assert.match(res.log, /built-by-sdk/);
});

test('bad input: syntax error with its line, missing COPY source, COPY ../outside, bad flag', async () => {
  const dir = project('bad', {
    'syntax.Dockerfile': 'FROM busybox\nRUN true\nFORM busybox\n',
    'missing.Dockerfile': 'FROM busybox\nCOPY nothere.txt /x\n',
    'outside.Dockerfile': 'FROM busybox\nCOPY ../secret /x\n',
    'flag.Dockerfile': 'FROM busybox\nCOPY --frm=a x /y\n',
  });
  let r = await dockerBuild(['-f', path.join(dir, 'syntax.Dockerfile'), dir]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Error response from daemon: syntax\.Dockerfile:3: unknown instruction: FORM/);
  r = await d.berth(['build', '-f', path.join(dir, 'syntax.Dockerfile'), dir]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /syntax\.Dockerfile:3: unknown instruction: FORM/);
  r = await dockerBuild(['-f', path.join(dir, 'missing.Dockerfile'), dir]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr + r.stdout, /COPY failed: file not found in build context or excluded by \.dockerignore: stat nothere\.txt: file does not exist/);
  r = await d.berth(['build', '-f', path.join(dir, 'outside.Dockerfile'), dir]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Forbidden path outside the build context: \.\.\/secret/);
  r = await dockerBuild(['-f', path.join(dir, 'flag.Dockerfile'), dir]);
  assert.match(r.stderr, /flag\.Dockerfile:2: Unknown flag: frm/);
});

test('a failing RUN shows its output and exit code, tags nothing and leaves nothing behind', async () => {
  const dir = project('fail', { Dockerfile: 'FROM busybox\nCOPY . /ctx\nRUN echo to-out; echo to-err >&2; exit 3\n' });
  const before = (await d.dockerOk(['images', '-a', '-q'])).trim().split('\n').length;
  const r = await dockerBuild(['-t', 'fail:1', dir]);
  assert.equal(r.code, 3, show('failing build', [], r));
  assert.match(r.stdout, /to-out\nto-err\n/);
  assert.match(r.stderr, /The command '\/bin\/sh -c echo to-out; echo to-err >&2; exit 3' returned a non-zero code: 3/);
  const b = await d.berth(['build', '-t', 'fail:2', dir]);
  assert.equal(b.code, 3);
  assert.match(b.stderr, /returned a non-zero code: 3/);
  assert.equal((await d.docker(['image', 'inspect', 'fail:1'])).code, 1);
  assert.equal((await d.docker(['image', 'inspect', 'fail:2'])).code, 1);
  assert.equal((await d.dockerOk(['ps', '-a', '-q'])).trim(), '');
  assert.deepEqual(d.leftovers().mounts, []);
  const after = (await d.dockerOk(['images', '-a', '-q'])).trim().split('\n').length;
  assert.equal(after, before + 1, 'only the COPY step (a reusable cache entry) was kept');
  const containersDir = path.join(d.dataRoot, 'containers');
  assert.deepEqual(fs.readdirSync(containersDir), []);
  assert.deepEqual(fs.readdirSync(path.join(d.dataRoot, 'build')).filter((n) => n.startsWith('ctx-')), []);
});

test('builder prune drops the cache; the next build runs every step again', async () => {
  const r = await d.berthOk(['builder', 'prune', '-f']);
  assert.match(r, /Total reclaimed space: /);
  const again = await dockerBuild(['-t', 'multi:5', '--build-arg', 'GREETING=hi', ctxDir]);
  assert.equal(again.code, 0);
  assert.equal(cachedSteps(again.stdout), 0);
});
