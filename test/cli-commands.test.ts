// The berth CLI end to end (as a process) against a scripted fake daemon: requests
// sent, output printed, exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFakeDaemon, sendJson, frame, type FakeDaemon, type FakeRequest } from './cli-fake-daemon';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'berth');
const ID = 'c'.repeat(64);
const IMG = 'sha256:' + 'b'.repeat(64);

interface Result { code: number | null; stdout: string; stderr: string }

function berth(host: string, args: string[], input?: string | Buffer): Promise<Result> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BERTH_HOST: host };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

let daemon: FakeDaemon;
let started = false;
let waitCode = 0;
const exited: Array<() => void> = [];
const fail = (status: number, message: string) => (_req: FakeRequest, res: import('node:http').ServerResponse) => sendJson(res, status, { message });

after(async () => { await daemon?.close(); });

test('start the fake daemon', async () => {
  daemon = await startFakeDaemon({
    routes: {
      'POST /containers/create': (req, res) => {
        const body = JSON.parse(req.body.toString()) as { Image: string };
        if (body.Image === 'missing') return sendJson(res, 404, { message: 'No such image: missing:latest' });
        sendJson(res, 201, { Id: ID, Warnings: [] });
      },
      'POST /images/create': (req, res) => {
        if (req.query.get('fromImage')) return sendJson(res, 501, { message: 'pulling images is not implemented in Berth yet' });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: IMG }) + '\n');
      },
      [`POST /containers/${ID}/wait`]: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        exited.push(() => res.end(JSON.stringify({ StatusCode: waitCode })));
      },
      [`POST /containers/${ID}/start`]: (req, res) => {
        started = true;
        res.writeHead(204);
        res.end();
        setTimeout(() => exited.splice(0).forEach((f) => f()), 30);
      },
      'POST /containers/badcmd/start': fail(400, 'failed to create task: exec: "nope": executable file not found in $PATH'),
      'GET /containers/json': (_req, res) => sendJson(res, 200, [{
        Id: ID, Names: ['/web'], Image: 'busybox', ImageID: IMG, Command: 'sleep 1000', Created: Math.floor(Date.now() / 1000) - 5,
        Ports: [], Labels: { a: '1' }, State: 'running', Status: 'Up 5 seconds',
      }]),
      [`GET /containers/${ID}/json`]: (_req, res) => sendJson(res, 200, { Id: ID, Name: '/web', State: { Status: 'running', Pid: 7 }, Config: { Tty: false, Labels: { k: 'v' } }, HostConfig: {} }),
      'GET /containers/web/json': (_req, res) => sendJson(res, 200, { Id: ID, Name: '/web', State: { Status: 'running', Pid: 7 }, Config: { Tty: false, Labels: {} }, HostConfig: {} }),
      'GET /containers/busybox/json': fail(404, 'No such container: busybox'),
      'GET /containers/ghost/json': fail(404, 'No such container: ghost'),
      'GET /images/busybox/json': (_req, res) => sendJson(res, 200, { Id: IMG, RepoTags: ['busybox:latest'] }),
      'GET /images/ghost/json': fail(404, 'No such image: ghost:latest'),
      'GET /networks/ghost': fail(404, 'network ghost not found'),
      'GET /volumes/ghost': fail(404, 'get ghost: no such volume'),
      [`GET /containers/${ID}/logs`]: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
        res.end(Buffer.concat([frame(1, 'log out\n'), frame(2, 'log err\n')]));
      },
      'POST /containers/web/stop': (_req, res) => { res.writeHead(204); res.end(); },
      'POST /containers/ghost/stop': fail(404, 'No such container: ghost'),
      'GET /images/json': (_req, res) => sendJson(res, 200, [{
        Id: IMG, ParentId: '', RepoTags: ['busybox:latest'], RepoDigests: [], Created: Math.floor(Date.now() / 1000) - 3600,
        Size: 4261000, SharedSize: -1, Labels: null, Containers: -1,
      }]),
      'DELETE /images/busybox': (_req, res) => sendJson(res, 200, [{ Untagged: 'busybox:latest' }, { Deleted: IMG }]),
      'GET /images/get': (req, res) => { res.writeHead(200, { 'Content-Type': 'application/x-tar' }); res.end(`TAR:${req.query.getAll('names').join(',')}`); },
      'POST /images/load': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ stream: `Loaded image: busybox:latest (${req.body.length} bytes)\n` }) + '\n');
      },
      'GET /events': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        // timeNano is written as text: it does not fit a double.
        res.end(`{"Type":"container","Action":"start","Actor":{"ID":"${ID}","Attributes":{"name":"web","image":"busybox"}},"time":1700000000,"timeNano":1700000000123456789}\n`);
      },
      'GET /version': (_req, res) => sendJson(res, 200, { Version: '0.1.0', ApiVersion: '1.45', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64', Components: [{ Name: 'Engine', Version: '0.1.0', Details: { ApiVersion: '1.45' } }] }),
    },
    upgrades: {
      [`POST /containers/${ID}/attach`]: (_req, socket) => {
        const poll = setInterval(() => {
          if (!started) return;
          clearInterval(poll);
          socket.write(frame(1, 'hello\n'));
          socket.end(frame(2, 'warn\n'));
        }, 5);
      },
    },
  });
});

test('run: create, attach, wait, start; stdout/stderr apart; exit code of the container', async () => {
  started = false;
  waitCode = 3;
  const r = await berth(daemon.host, ['run', '--rm', '--name', 'web', '-e', 'A=1', '-l', 'k=v', '-m', '64m', '--cpus', '1.5',
    '--pids-limit', '50', '--stop-timeout', '5', '--network', 'none', '--entrypoint', '', 'busybox', 'sh', '-c', 'exit 3']);
  assert.equal(r.stdout, 'hello\n');
  assert.equal(r.stderr, 'warn\n');
  assert.equal(r.code, 3);
  const create = daemon.requests.find((q) => q.path === '/containers/create')!;
  assert.equal(create.query.get('name'), 'web');
  const body = JSON.parse(create.body.toString());
  assert.deepEqual(body.Cmd, ['sh', '-c', 'exit 3']);
  assert.deepEqual(body.Entrypoint, ['']);
  assert.deepEqual(body.Env, ['A=1']);
  assert.deepEqual(body.Labels, { k: 'v' });
  assert.equal(body.StopTimeout, 5);
  assert.equal(body.AttachStdout, true);
  assert.equal(body.HostConfig.AutoRemove, true);
  assert.equal(body.HostConfig.NetworkMode, 'none');
  assert.equal(body.HostConfig.Memory, 64 * 1024 * 1024);
  assert.equal(body.HostConfig.NanoCpus, 1_500_000_000);
  assert.equal(body.HostConfig.PidsLimit, 50);
  const order = daemon.requests.map((q) => `${q.method} ${q.path}`).filter((s) => s.includes(ID));
  assert.equal(order.at(-1), `POST /containers/${ID}/start`);
  assert.ok(order.includes(`POST /containers/${ID}/attach`));
  const wait = daemon.requests.find((q) => q.path === `/containers/${ID}/wait`)!;
  assert.equal(wait.query.get('condition'), 'removed');
});

test('run -d prints the ID; a missing image says so, then the pull error (exit 125)', async () => {
  const d = await berth(daemon.host, ['run', '-d', 'busybox']);
  assert.equal(d.code, 0);
  assert.equal(d.stdout, `${ID}\n`);
  const m = await berth(daemon.host, ['run', 'missing']);
  assert.equal(m.code, 125);
  assert.equal(m.stderr, "Unable to find image 'missing:latest' locally\n"
    + "berth: Error response from daemon: pulling images is not implemented in Berth yet\n\nRun 'berth run --help' for more information\n");
});

test('run: usage errors exit 125; a conflicting --rm/--restart is refused before any request', async () => {
  const before = daemon.requests.length;
  const a = await berth(daemon.host, ['run', '--rm', '--restart', 'always', 'busybox']);
  assert.equal(a.code, 125);
  assert.match(a.stderr, /^berth: conflicting options: cannot specify both --restart and --rm/);
  const b = await berth(daemon.host, ['run', '--nope', 'busybox']);
  assert.equal(b.code, 125);
  assert.equal(b.stderr, "unknown flag: --nope\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n");
  const c = await berth(daemon.host, ['run', '--cpus', 'x', 'busybox']);
  assert.equal(c.code, 125);
  assert.match(c.stderr, /invalid argument "x" for "--cpus" flag: failed to parse x as a rational number/);
  assert.equal(daemon.requests.length, before);
});

test('start errors map to 127 like docker run', async () => {
  const r = await berth(daemon.host, ['start', 'badcmd']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /executable file not found[\s\S]*failed to start containers: badcmd/);
});

test('ps: Docker table, quiet, format, filters', async () => {
  const r = await berth(daemon.host, ['ps', '-a', '--filter', 'status=running', '-n', '2']);
  assert.equal(r.code, 0);
  const [head, row] = r.stdout.split('\n');
  assert.equal(head, 'CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS         PORTS     NAMES');
  assert.equal(row, 'cccccccccccc   busybox   "sleep 1000"   5 seconds ago   Up 5 seconds             web');
  const q = daemon.requests.at(-1)!;
  assert.equal(q.query.get('all'), '1');
  assert.equal(q.query.get('limit'), '2');
  assert.deepEqual(JSON.parse(q.query.get('filters')!), { status: { running: true } });
  assert.equal((await berth(daemon.host, ['ps', '-q'])).stdout, 'cccccccccccc\n');
  assert.equal((await berth(daemon.host, ['container', 'ls', '--no-trunc', '-q'])).stdout, `${ID}\n`);
  assert.equal((await berth(daemon.host, ['ps', '--format', '{{.Names}} {{.Label "a"}} {{.State}}'])).stdout, 'web 1 running\n');
  const bad = await berth(daemon.host, ['ps', '--filter', 'nonsense']);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /^invalid argument "nonsense" for "-f, --filter" flag: bad format of filter \(expected name=value\)\n\nUsage: {2}berth ps \[OPTIONS\]/);
});

test('inspect: containers then images, templates, not found', async () => {
  const r = await berth(daemon.host, ['inspect', '--format', '{{.State.Pid}} {{index .Config.Labels "k"}}', 'web']);
  assert.equal(r.stdout, '7 \n');
  const img = await berth(daemon.host, ['inspect', 'busybox']);
  assert.equal(img.code, 0);
  assert.deepEqual(JSON.parse(img.stdout), [{ Id: IMG, RepoTags: ['busybox:latest'] }]);
  assert.match(img.stdout, /^\[\n {4}\{\n {8}"Id"/);
  const missing = await berth(daemon.host, ['inspect', 'web', 'ghost']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'Error: No such object: ghost\n');
  assert.equal(JSON.parse(missing.stdout).length, 1);
  const typed = await berth(daemon.host, ['container', 'inspect', '-f', '{{.Nope}}', 'web']);
  assert.equal(typed.code, 1);
  assert.match(typed.stderr, /map has no entry for key "Nope"/);
  const badTmpl = await berth(daemon.host, ['inspect', '-f', '{{.Id', 'web']);
  assert.equal(badTmpl.code, 64);
});

test('logs demultiplexes stdout and stderr', async () => {
  const r = await berth(daemon.host, ['logs', '--tail', '5', '--since', '10m', 'web']);
  assert.equal(r.stdout, 'log out\n');
  assert.equal(r.stderr, 'log err\n');
  const q = daemon.requests.at(-1)!;
  assert.equal(q.query.get('tail'), '5');
  assert.match(q.query.get('since')!, /^\d+$/);
});

test('stop: names echoed, failures reported at the end, exit 1', async () => {
  const r = await berth(daemon.host, ['stop', '-t', '3', 'web', 'ghost']);
  assert.equal(r.stdout, 'web\n');
  assert.equal(r.stderr, 'Error response from daemon: No such container: ghost\n');
  assert.equal(r.code, 1);
  assert.equal(daemon.requests.find((q) => q.path === '/containers/web/stop')!.query.get('t'), '3');
});

test('images, rmi, save -o (atomic), load, import', async () => {
  const images = await berth(daemon.host, ['images']);
  assert.equal(images.stdout, 'REPOSITORY   TAG       IMAGE ID       CREATED             SIZE\nbusybox      latest    bbbbbbbbbbbb   About an hour ago   4.26MB\n');
  const rmi = await berth(daemon.host, ['rmi', 'busybox']);
  assert.equal(rmi.stdout, `Untagged: busybox:latest\nDeleted: ${IMG}\n`);
  const out = path.join(daemon.dir, 'img.tar');
  const save = await berth(daemon.host, ['save', '-o', out, 'busybox', 'other']);
  assert.equal(save.code, 0);
  assert.equal(fs.readFileSync(out, 'utf8'), 'TAR:busybox,other');
  assert.deepEqual(fs.readdirSync(daemon.dir).filter((f) => f.startsWith('.berth_temp')), []);
  const load = await berth(daemon.host, ['load', '-i', out]);
  assert.equal(load.stdout, 'Loaded image: busybox:latest (17 bytes)\n');
  const imp = await berth(daemon.host, ['import', '-c', 'CMD ["sh"]', '-m', 'hi', '-', 'mine:v1'], 'rootfs-bytes');
  assert.equal(imp.code, 0, imp.stderr);
  assert.equal(imp.stdout, `${IMG}\n`);
  const q = daemon.requests.at(-1)!;
  assert.equal(q.query.get('fromSrc'), '-');
  assert.equal(q.query.get('repo'), 'mine');
  assert.equal(q.query.get('tag'), 'v1');
  assert.deepEqual(q.query.getAll('changes'), ['CMD ["sh"]']);
  assert.equal(q.body.toString(), 'rootfs-bytes');
});

test('events: Docker default line format', async () => {
  process.env.TZ = 'UTC';
  const r = await berth(daemon.host, ['events', '--until', '0s']);
  assert.match(r.stdout, new RegExp(`^2023-11-14T22:13:20\\.123456789(Z|[+-]\\d\\d:\\d\\d) container start ${ID} \\(image=busybox, name=web\\)\\n$`));
});

test('version uses the server answer; help, unknown and later-milestone commands', async () => {
  const v = await berth(daemon.host, ['version', '--format', '{{.Server.Version}} {{.Client.APIVersion}}']);
  assert.equal(v.stdout, '0.1.0 1.45\n');
  const help = await berth(daemon.host, ['stop', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: {2}berth stop \[OPTIONS\] CONTAINER \[CONTAINER\.\.\.\]\n\nStop one or more running containers\n\nAliases:\n {2}berth container stop, berth stop\n\nOptions:\n {2}-s, --signal string {3}Signal to send to the container\n/);
  const unknown = await berth(daemon.host, ['frobnicate']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "berth: unknown command: berth frobnicate\n\nRun 'berth --help' for more information\n");
  const later = await berth(daemon.host, ['port', 'web']);
  assert.equal(later.code, 1);
  assert.equal(later.stderr, "berth: 'port' is not implemented yet\n");
  const args = await berth(daemon.host, ['rename', 'a']);
  assert.equal(args.code, 1);
  assert.match(args.stderr, /^berth: 'berth rename' requires 2 arguments\n/);
});

test('no daemon: Docker-style connection error, exit 1', async () => {
  const r = await berth('unix:///nonexistent/x.sock', ['ps']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Cannot connect to the Berth daemon at unix:///nonexistent/x.sock. Is berthd running?\n');
});
