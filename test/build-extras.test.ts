// Builder features beyond the basics, against one real berthd: reproducible images
// with SOURCE_DATE_EPOCH, --output, RUN --mount (bind, cache, secret), a huge
// context streamed without memory growth, --cache-from and the progress views.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, describe as show, REPO_ROOT, type TestDaemon } from './helpers';

let d: TestDaemon;
let work: string;
before(async () => {
  d = await startDaemon();
  work = fs.mkdtempSync('/tmp/berth-build-extras-');
});
after(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  await d?.cleanup();
});

const legacy = { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 };

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function imageId(ref: string): Promise<string> {
  return (await d.dockerOk(['image', 'inspect', '-f', '{{.Id}}', ref])).trim();
}

test('SOURCE_DATE_EPOCH: two --no-cache builds of the same context give the same image ID', async () => {
  const dir = project('repro', {
    Dockerfile: 'FROM busybox\nCOPY a.txt /a.txt\nRUN echo run > /r.txt && mkdir -p /d && touch /d/x\nENV X=1\nCMD ["cat", "/a.txt"]\n',
    'a.txt': 'a\n',
  });
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await d.berth(['build', '--no-cache', '-q', '--build-arg', 'SOURCE_DATE_EPOCH=1700000000', dir], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, show('berth build', [], r));
    ids.push(r.stdout.trim());
    if (i === 0) await new Promise((res) => setTimeout(res, 1100)); // a second later: clock time must not leak in
  }
  assert.equal(ids[0], ids[1]);
  // The docker CLI's legacy path and the environment variable give the same image.
  const viaDocker = await d.docker(['build', '--no-cache', '-q', '--build-arg', 'SOURCE_DATE_EPOCH=1700000000', dir], legacy);
  assert.equal(viaDocker.stdout.trim(), ids[0], show('docker build', [], viaDocker));
  const viaEnv = await d.berth(['build', '--no-cache', '-q', dir], { timeoutMs: 120_000, env: { SOURCE_DATE_EPOCH: '1700000000' } });
  assert.equal(viaEnv.stdout.trim(), ids[0], show('berth build', [], viaEnv));
  const created = await d.dockerOk(['image', 'inspect', '-f', '{{.Created}}', ids[0]]);
  assert.match(created, /^2023-11-14T22:13:20/);
  const history = await d.dockerOk(['history', '--no-trunc', '--format', '{{.CreatedAt}}', ids[0]]);
  assert.ok(history.split('\n').filter(Boolean).length >= 4);
  // Without it, two builds differ (the test can fail).
  const a = (await d.berthOk(['build', '--no-cache', '-q', dir], { timeoutMs: 120_000 })).trim();
  await new Promise((res) => setTimeout(res, 1100));
  const b = (await d.berthOk(['build', '--no-cache', '-q', dir], { timeoutMs: 120_000 })).trim();
  assert.notEqual(a, b);
  const bad = await d.berth(['build', '-q', '--build-arg', 'SOURCE_DATE_EPOCH=soon', dir], { timeoutMs: 60_000 });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid SOURCE_DATE_EPOCH: soon/);
  void imageId;
});

test('--output type=local / -o DIR / type=tar export the final stage and leave no container behind', async () => {
  const dir = project('output', {
    Dockerfile: 'FROM busybox AS b\nRUN echo built > /made.txt\nFROM scratch\nCOPY --from=b /made.txt /out/made.txt\nCOPY a.txt /a.txt\n',
    'a.txt': 'from context\n',
  });
  const local = path.join(work, 'out-local');
  const r = await d.berth(['build', '--output', `type=local,dest=${local}`, dir], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, show('berth build', [], r));
  assert.equal(fs.readFileSync(path.join(local, 'out/made.txt'), 'utf8'), 'built\n');
  assert.equal(fs.readFileSync(path.join(local, 'a.txt'), 'utf8'), 'from context\n');
  assert.deepEqual(fs.readdirSync(local).sort(), ['a.txt', 'out']);
  const short = path.join(work, 'out-short');
  await d.berthOk(['build', '-q', '-o', short, dir], { timeoutMs: 120_000 });
  assert.equal(fs.readFileSync(path.join(short, 'a.txt'), 'utf8'), 'from context\n');
  const tarFile = path.join(work, 'out.tar');
  await d.berthOk(['build', '-q', '--output', `type=tar,dest=${tarFile}`, dir], { timeoutMs: 120_000 });
  const listing = await d.run('tar', ['tf', tarFile]);
  assert.deepEqual(listing.stdout.split('\n').filter(Boolean).sort(), ['a.txt', 'out/', 'out/made.txt']);
  const piped = await d.run('sh', ['-c', `${path.join(REPO_ROOT, 'bin', 'berth')} build -o - "$1" | tar t | sort`, 'sh', dir], { timeoutMs: 120_000 });
  assert.equal(piped.stdout, 'a.txt\nout/\nout/made.txt\n', piped.stderr);
  assert.match(piped.stderr, /Step 1\/5 : FROM busybox AS b/); // progress left stdout to the tar
  assert.equal(await d.dockerOk(['ps', '-aq']), '');
  const bad = await d.berth(['build', '-o', 'type=oci,dest=x', dir]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /output type "oci" is not supported/);
});

test('RUN --mount: bind from the context and from a stage, cache persisting between builds, secrets kept out of the image', async () => {
  const dir = project('mounts', {
    Dockerfile: [
      'FROM busybox AS other',
      'RUN echo fromstage > /st.txt',
      'FROM busybox',
      'RUN --mount=type=bind,target=/ctx cat /ctx/data.txt > /seen.txt && ! touch /ctx/new 2>/dev/null',
      'RUN --mount=type=bind,source=data.txt,target=/rw.txt,rw echo changed > /rw.txt',
      'RUN --mount=type=bind,from=other,source=/st.txt,target=/x/st.txt cat /x/st.txt >> /seen.txt',
      'RUN --mount=type=cache,target=/cache,id=c1 echo run >> /cache/runs && wc -l < /cache/runs > /runs.txt',
      'RUN --mount=type=secret,id=tok cat /run/secrets/tok > /dev/null && wc -c < /run/secrets/tok > /secret-len.txt',
      '',
    ].join('\n'),
    'data.txt': 'ctxdata\n',
  });
  const secretFile = path.join(work, 'tok.txt');
  fs.writeFileSync(secretFile, 'TOPSECRET-VALUE\n');
  const runs: string[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await d.berth(['build', '--no-cache', '-t', 'mounts:1', '--secret', `id=tok,src=${secretFile}`, dir], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, show('berth build', [], r));
    runs.push((await d.dockerOk(['run', '--rm', 'mounts:1', 'cat', '/runs.txt'])).trim());
  }
  assert.deepEqual(runs, ['1', '2']); // the cache mount outlived the first build
  assert.equal(await d.dockerOk(['run', '--rm', 'mounts:1', 'cat', '/seen.txt', '/secret-len.txt']), 'ctxdata\nfromstage\n16\n');
  assert.equal(fs.readFileSync(path.join(dir, 'data.txt'), 'utf8'), 'ctxdata\n'); // rw writes went to a copy
  // Neither the secret nor the mount points are in the image; the history names no secret content.
  const listing = await d.dockerOk(['run', '--rm', 'mounts:1', 'sh', '-c', 'ls -a / ; grep -rl TOPSECRET / --exclude-dir=proc --exclude-dir=sys 2>/dev/null; true']);
  assert.doesNotMatch(listing, /^(ctx|cache|run|x|rw\.txt)$/m);
  assert.doesNotMatch(listing, /TOPSECRET/);
  const saved = await d.run('sh', ['-c', 'docker save mounts:1 | grep -ac TOPSECRET || true'], { env: {} });
  assert.equal(saved.stdout.trim(), '0');
  const history = await d.dockerOk(['history', '--no-trunc', 'mounts:1']);
  assert.doesNotMatch(history, /TOPSECRET/);
  // A required secret that was not sent fails the step by name.
  const needs = project('needs-secret', { Dockerfile: 'FROM busybox\nRUN --mount=type=secret,id=missing,required cat /run/secrets/missing\n' });
  const r = await d.berth(['build', needs], { timeoutMs: 60_000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /secret missing: not found/);
  // sharing=locked: two parallel stages take turns on the same cache.
  const locked = project('locked', {
    Dockerfile: ['a', 'b'].map((x) => `FROM busybox AS ${x}\nRUN --mount=type=cache,target=/c,id=lk,sharing=locked echo ${x}-start >> /c/log && sleep 0.5 && echo ${x}-end >> /c/log && touch /done\n`).join('')
      + 'FROM busybox\nCOPY --from=a /done /a\nCOPY --from=b /done /b\nRUN --mount=type=cache,target=/c,id=lk cat /c/log > /log.txt\n',
  });
  await d.berthOk(['build', '-t', 'locked:1', locked], { timeoutMs: 120_000 });
  const log = (await d.dockerOk(['run', '--rm', 'locked:1', 'cat', '/log.txt'])).trim().split('\n');
  assert.equal(log.length, 4);
  assert.equal(log[0].split('-')[0], log[1].split('-')[0], log.join(','));
  assert.deepEqual([log[0].split('-')[1], log[1].split('-')[1]], ['start', 'end']);
  // builder prune drops cache mounts too.
  await d.berthOk(['builder', 'prune', '-f']);
  await d.berthOk(['build', '--no-cache', '-t', 'mounts:1', '--secret', `id=tok,src=${secretFile}`, dir], { timeoutMs: 120_000 });
  assert.equal((await d.dockerOk(['run', '--rm', 'mounts:1', 'cat', '/runs.txt'])).trim(), '1');
});

function hwmKb(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

test('a context with a 1 GB sparse file streams through berth build and docker build without berthd growing past ~150 MB', async () => {
  const dir = project('huge', {
    Dockerfile: 'FROM busybox\nCOPY mixed.bin small.txt /in/\nRUN md5sum /in/mixed.bin | cut -d" " -f1 > /in/sum\n',
    'small.txt': 'small\n',
  });
  fs.closeSync(fs.openSync(path.join(dir, 'big.bin'), 'w'));
  fs.truncateSync(path.join(dir, 'big.bin'), 1 << 30);
  // Data, a long run of zeros, data: the daemon keeps holes but never loses bytes.
  const mixed = Buffer.concat([Buffer.alloc(1 << 20, 7), Buffer.alloc(6 << 20), Buffer.from('tail')]);
  fs.writeFileSync(path.join(dir, 'mixed.bin'), mixed);
  const { createHash } = await import('node:crypto');
  const want = createHash('md5').update(mixed).digest('hex');
  const pid = d.pid!;
  for (const client of ['berth', 'docker'] as const) {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    const r = client === 'berth'
      ? await d.berth(['build', '-q', '--no-cache', dir], { timeoutMs: 120_000 })
      : await d.docker(['build', '-q', '--no-cache', dir], legacy);
    assert.equal(r.code, 0, show(`${client} build`, [], r));
    const peakMb = hwmKb(pid) / 1024;
    assert.ok(peakMb < 150, `${client} build: berthd peak RSS ${peakMb.toFixed(0)} MB`);
    const id = r.stdout.trim().split('\n').pop()!;
    assert.equal((await d.dockerOk(['run', '--rm', id, 'cat', '/in/sum'])).trim(), want);
  }
  fs.rmSync(path.join(dir, 'big.bin'));
});

test('--cache-from: a loaded image (no parent chain, no cache entries) satisfies the steps its history matches', async () => {
  const dir = project('cachefrom', {
    Dockerfile: 'FROM busybox\nRUN echo ran-step > /r.txt\nENV K=v\nCOPY a.txt /a.txt\nCMD ["cat", "/r.txt"]\n',
    'a.txt': 'a\n',
  });
  await d.berthOk(['build', '-t', 'cf:src', dir], { timeoutMs: 120_000 });
  const srcId = await imageId('cf:src');
  const tarPath = path.join(work, 'cf.tar');
  await d.dockerOk(['save', '-o', tarPath, 'cf:src']);
  await d.dockerOk(['rmi', 'cf:src']);
  await d.berthOk(['builder', 'prune', '-f']);
  await d.dockerOk(['load', '-i', tarPath]);
  // Without --cache-from nothing is cached (the test can fail).
  const plain = await d.berth(['build', '-t', 'cf:plain', dir], { timeoutMs: 120_000 });
  assert.equal(plain.code, 0, show('berth build', [], plain));
  assert.match(plain.stdout, /Running in/);
  await d.dockerOk(['rmi', 'cf:plain']);
  await d.berthOk(['builder', 'prune', '-f']);
  for (const client of ['docker', 'berth'] as const) {
    const args = ['build', '--cache-from', 'cf:src', '-t', `cf:${client}`, dir];
    const r = client === 'docker' ? await d.docker(args, legacy) : await d.berth(args, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, show(`${client} build`, [], r));
    assert.doesNotMatch(r.stdout, /Running in/);
    assert.equal((r.stdout.match(/ ---> Using cache/g) ?? []).length, 4, r.stdout);
    assert.equal(await imageId(`cf:${client}`), srcId); // the last step is the source image itself
    assert.equal(await d.dockerOk(['run', '--rm', `cf:${client}`]), 'ran-step\n');
  }
  // A changed file invalidates from its step on.
  fs.writeFileSync(path.join(dir, 'a.txt'), 'b\n');
  const changed = await d.berth(['build', '--cache-from', 'cf:src', dir], { timeoutMs: 120_000 });
  assert.equal((changed.stdout.match(/ ---> Using cache/g) ?? []).length, 2, changed.stdout);
});

/** Runs berth under a pseudo-terminal (util-linux script), so stdout is a TTY. */
async function berthInTty(args: string[]) {
  const cmd = [path.join(REPO_ROOT, 'bin', 'berth'), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return d.run('script', ['-qec', cmd, '/dev/null'], { timeoutMs: 120_000 });
}

test('progress: a live TTY view with per-step times and CACHED markers; plain lines with --progress plain or without a TTY', async () => {
  const dir = project('progress', {
    Dockerfile: 'FROM busybox\nRUN echo step-output && sleep 0.3\nENV A=b\n',
    'Dockerfile.bad': 'FROM busybox\nRUN echo before-fail; exit 3\n',
  });
  const cold = await berthInTty(['build', '--no-cache', dir]);
  assert.equal(cold.code, 0, show('berth build (tty)', [], cold));
  assert.match(cold.stdout, /\[\+\] Building \d+\.\ds \(3\/3\)/);
  assert.match(cold.stdout, / => \[2\/3\] RUN echo step-output && sleep 0\.3 +\d+\.\ds/);
  assert.match(cold.stdout, /\x1b\[\d+A\x1b\[J/); // redrawn in place
  assert.doesNotMatch(cold.stdout, /Step 1\/3 :/);
  const warm = await berthInTty(['build', dir]);
  assert.match(warm.stdout, / => \[2\/3\] RUN echo step-output && sleep 0\.3 +CACHED/);
  assert.match(warm.stdout, / => \[3\/3\] ENV A=b +CACHED/);
  assert.match(warm.stdout, /Successfully built [0-9a-f]{12}/);
  const bad = await berthInTty(['build', '-f', path.join(dir, 'Dockerfile.bad'), dir]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stdout, /RUN echo before-fail; exit 3 +ERROR/);
  assert.match(bad.stdout, /before-fail/);
  const plainTty = await berthInTty(['build', '--progress', 'plain', dir]);
  assert.match(plainTty.stdout, /Step 2\/3 : RUN echo step-output/);
  assert.doesNotMatch(plainTty.stdout, /\x1b\[/);
  const piped = await d.berth(['build', dir], { timeoutMs: 120_000 });
  assert.match(piped.stdout, /Step 2\/3 : RUN echo step-output[^\n]*\n ---> Using cache\n/);
  const wrong = await d.berth(['build', '--progress', 'fancy', dir]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /invalid progress mode "fancy"/);
});
