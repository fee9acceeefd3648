// Archives against a real Docker Engine (Debian's docker.io 20.10), when installed:
// our `save` output goes into `docker load` and runs there, and Docker's own
// `docker save` of a multi-layer build (with whiteouts) loads here with the same ID
// and history. Docker runs isolated: own data root, exec root, socket, no bridge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { buildBusyboxRootfsTar } from '../src/image';
import { run, type RunResult } from './helpers/exec';
import { newStore } from './image-fixtures';

const DOCKERD = '/usr/sbin/dockerd';
const skip = fs.existsSync(DOCKERD) ? false : 'Docker Engine (docker.io) is not installed';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dockerd-'));
const sock = path.join(root, 'docker.sock');
let dockerd: ChildProcess | undefined;

function docker(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run('docker', args, { env: { DOCKER_HOST: `unix://${sock}`, ...env }, timeoutMs: 120_000, cwd: root });
}

async function dockerOk(args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await docker(args, env);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  if (skip) return;
  dockerd = spawn(DOCKERD, [
    '--data-root', path.join(root, 'data'), '--exec-root', path.join(root, 'exec'), '-H', `unix://${sock}`,
    '--pidfile', path.join(root, 'docker.pid'), '--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-masq=false',
  ], { stdio: ['ignore', 'ignore', fs.openSync(path.join(root, 'dockerd.log'), 'w')] });
  const deadline = Date.now() + 60_000;
  while ((await docker(['version'])).code !== 0) {
    if (Date.now() > deadline || dockerd.exitCode !== null) assert.fail(`dockerd did not start: ${fs.readFileSync(path.join(root, 'dockerd.log'), 'utf8').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  if (dockerd && dockerd.exitCode === null) {
    // dockerd stops the containerd it started; give it time, then force.
    let containerdPid = 0;
    try { containerdPid = Number(fs.readFileSync(path.join(root, 'exec', 'containerd', 'containerd.pid'), 'utf8').trim()); } catch { /* not started */ }
    dockerd.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      new Promise((r) => dockerd?.once('exit', () => r(true))),
      new Promise((r) => { timer = setTimeout(() => r(false), 30_000); }),
    ]);
    clearTimeout(timer);
    if (!exited) dockerd.kill('SIGKILL');
    try { if (containerdPid > 0) process.kill(containerdPid, 'SIGKILL'); } catch { /* already gone */ }
  }
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m?.startsWith(root));
  for (const m of mounts.sort().reverse()) await run('umount', ['-l', m]);
  fs.rmSync(root, { recursive: true, force: true });
});

test('docker load (Docker 20.10) accepts our save: same ID, tags, and it runs', { skip }, async () => {
  const { images } = newStore();
  const img = await images.importTar(buildBusyboxRootfsTar(), { reference: 'berthbox:1', changes: ['CMD ["echo", "from berth"]'] });
  await images.tag('berthbox:1', 'localhost:5000/team/berthbox', '2');
  const file = path.join(root, 'berth.tar');
  await new Promise((resolve, reject) => images.save(['berthbox:1', 'localhost:5000/team/berthbox:2']).pipe(fs.createWriteStream(file)).on('finish', () => resolve(undefined)).on('error', reject));
  assert.equal(await dockerOk(['load', '-i', file]), 'Loaded image: berthbox:1\nLoaded image: localhost:5000/team/berthbox:2\n');
  assert.equal((await dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'localhost:5000/team/berthbox:2'])).trim(), img.id);
  assert.equal(await dockerOk(['run', '--rm', '--network', 'none', 'berthbox:1']), 'from berth\n');
});

test('our load accepts Docker 20.10\'s save of a multi-layer build: same ID, history, files', { skip }, async () => {
  const ctx = path.join(root, 'ctx');
  fs.mkdirSync(ctx);
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), [
    'FROM berthbox:1',
    'RUN echo hi > /x && mkdir /d && echo a > /d/a',
    'ENV A=1',
    'RUN rm /etc/group && rm -r /d && mkdir /d && echo b > /d/b',
    'LABEL k=v',
  ].join('\n') + '\n');
  await dockerOk(['build', '--network', 'none', '-q', '-t', 'built:1', ctx], { DOCKER_BUILDKIT: '0' });
  const id = (await dockerOk(['image', 'inspect', '-f', '{{.Id}}', 'built:1'])).trim();
  const file = path.join(root, 'built.tar');
  await dockerOk(['save', '-o', file, 'built:1']);

  const s = newStore();
  const { images, messages } = await s.images.load(fs.createReadStream(file));
  assert.deepEqual(messages, ['Loaded image: built:1']);
  assert.equal(images[0].id, id);
  assert.equal(images[0].layers.length, 2 + 1);
  const theirs = (await dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Size}}', 'built:1'])).trim().split('\n');
  const ours = s.images.history('built:1').map((h) => `${h.CreatedBy}|${h.Size}`);
  assert.deepEqual(ours.slice(0, 4).map((l) => l.split('|')[0]), theirs.slice(0, 4).map((l) => l.split('|')[0]));
  assert.deepEqual(s.images.history('built:1').slice(0, 4).map((h) => h.Size), [0, 2, 0, 5]);
  // The top layer's whiteouts reached the overlay form: /etc/group is a whiteout, /d is opaque.
  const top = s.layers.lowerDirs(images[0].chainId ?? '')[0];
  const group = fs.lstatSync(path.join(top, 'etc', 'group'));
  assert.ok(group.isCharacterDevice() && group.rdev === 0);
  assert.deepEqual(fs.readdirSync(path.join(top, 'd')), ['b']);
});
