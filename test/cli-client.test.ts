// The Engine API client against a fake daemon on a unix socket.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BerthClient, ApiError, ConnectionError, FrameDecoder, encodeFrame, jsonLines, parseHost, resolveHost } from '../src/client';
import { Readable } from 'node:stream';
import { startFakeDaemon, sendJson, frame, type FakeDaemon } from './cli-fake-daemon';

const daemons: FakeDaemon[] = [];
after(async () => { for (const d of daemons) await d.close(); });

async function fake(opts: Parameters<typeof startFakeDaemon>[0]): Promise<FakeDaemon> {
  const d = await startFakeDaemon(opts);
  daemons.push(d);
  return d;
}

test('host resolution: -H, then BERTH_HOST, then the default socket (DOCKER_HOST ignored)', () => {
  assert.equal(resolveHost('unix:///a.sock', { BERTH_HOST: 'unix:///b.sock' }), 'unix:///a.sock');
  assert.equal(resolveHost(undefined, { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///d' }), 'unix:///b.sock');
  assert.equal(resolveHost(undefined, { DOCKER_HOST: 'unix:///d' }), 'unix:///run/berth/berth.sock');
  assert.deepEqual(parseHost('tcp://127.0.0.1:2375'), { kind: 'tcp', url: 'tcp://127.0.0.1:2375', hostname: '127.0.0.1', port: 2375 });
  assert.throws(() => parseHost('ftp://x'), /unsupported protocol/);
});

test('JSON requests carry the API version and encode queries; errors become ApiError', async () => {
  const d = await fake({
    routes: {
      'GET /containers/json': (_req, res) => sendJson(res, 200, [{ Id: 'abc' }]),
      'GET /containers/nope/json': (_req, res) => sendJson(res, 404, { message: 'No such container: nope' }),
      'POST /containers/x/start': (_req, res) => { res.writeHead(304); res.end(); },
    },
  });
  const c = new BerthClient({ host: d.host });
  const list = await c.containers.list({ all: true, limit: 3, filters: { status: { exited: true } } });
  assert.deepEqual(list.map((x) => x.Id), ['abc']);
  const req = d.requests.at(-1)!;
  assert.equal(req.version, '1.45');
  assert.equal(req.query.get('all'), '1');
  assert.equal(req.query.get('limit'), '3');
  assert.deepEqual(JSON.parse(req.query.get('filters')!), { status: { exited: true } });
  await assert.rejects(c.containers.inspect('nope'), (e: unknown) => e instanceof ApiError && e.status === 404 && e.message === 'No such container: nope');
  assert.equal(await c.containers.start('x'), false); // 304: already started
  c.close();
});

test('an older daemon: the client drops to its maximum version and retries once', async () => {
  const d = await fake({ maxVersion: '1.41', routes: { 'GET /version': (_req, res) => sendJson(res, 200, { Version: 'old', ApiVersion: '1.41' }) } });
  const c = new BerthClient({ host: d.host });
  const v = await c.system.version();
  assert.equal(v.Version, 'old');
  assert.deepEqual(d.requests.map((r) => r.version), ['1.45', '1.41']);
  assert.equal(c.engine.version, '1.41');
  await c.system.version();
  assert.equal(d.requests.at(-1)!.version, '1.41');
  c.close();
});

test('no daemon: ConnectionError with Docker-like text', async () => {
  const c = new BerthClient({ host: 'unix:///nonexistent/berth.sock' });
  await assert.rejects(c.system.info(), (e: unknown) => e instanceof ConnectionError
    && e.message === 'Cannot connect to the Berth daemon at unix:///nonexistent/berth.sock. Is berthd running?');
});

test('multiplexed frames decode across arbitrary chunk boundaries', () => {
  const bytes = Buffer.concat([encodeFrame(1, 'hello\n'), encodeFrame(2, 'oops'), encodeFrame(1, '')]);
  const dec = new FrameDecoder();
  const got: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    for (const f of dec.push(bytes.subarray(i, i + 3))) got.push(`${f.stream}:${f.data.toString()}`);
  }
  assert.deepEqual(got, ['1:hello\n', '2:oops', '1:']);
  assert.equal(dec.buffered, 0);
  assert.throws(() => new FrameDecoder().push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 1, 65])), /Unrecognized input header/);
});

test('JSON-lines streams yield each message', async () => {
  const src = Readable.from([Buffer.from('{"status":"a"}\n{"str'), Buffer.from('eam":"b"}\n'), Buffer.from('{"id":"c"}')]);
  const out: unknown[] = [];
  for await (const m of jsonLines(src)) out.push(m);
  assert.deepEqual(out, [{ status: 'a' }, { stream: 'b' }, { id: 'c' }]);
});

test('hijacked attach and a wait registered before start', async () => {
  let started = false;
  const d = await fake({
    routes: {
      'POST /containers/c1/wait': (req, res) => {
        assert.equal(req.query.get('condition'), 'next-exit');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        const poll = setInterval(() => { if (started) { clearInterval(poll); res.end('{"StatusCode":3}\n'); } }, 5);
      },
      'POST /containers/c1/start': (_req, res) => { started = true; res.writeHead(204); res.end(); },
    },
    upgrades: {
      'POST /containers/c1/attach': (req, socket) => {
        assert.equal(req.headers.upgrade, 'tcp');
        assert.equal(req.query.get('stdout'), '1');
        socket.write(frame(1, 'out\n'));
        socket.end(frame(2, 'err\n'));
      },
    },
  });
  const c = new BerthClient({ host: d.host });
  const conn = await c.containers.attach('c1', { stream: true, stdout: true, stderr: true });
  assert.equal(conn.contentType, 'application/vnd.docker.multiplexed-stream');
  const waiter = await c.containers.waitRegistered('c1', 'next-exit');
  await c.containers.start('c1');
  const chunks: Buffer[] = [];
  for await (const chunk of conn.socket) chunks.push(chunk as Buffer);
  const frames = new FrameDecoder().push(Buffer.concat(chunks)).map((f) => `${f.stream}:${f.data.toString()}`);
  assert.deepEqual(frames, ['1:out\n', '2:err\n']);
  assert.deepEqual(await waiter.result, { StatusCode: 3 });
  c.close();
});
