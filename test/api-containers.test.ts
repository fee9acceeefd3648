// Container endpoints over a real unix socket with fake services: create, inspect/list,
// lifecycle statuses, wait, logs, attach (hijack), delete and prune.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request, requestHead, readAll, upgrade, demux, serveFakeBackend } from './api-client';

const api = serveFakeBackend();
const backend = api.backend;

test('container create: malformed JSON, bad content type, success with name', async () => {
  const bad = await request(api.sock, 'POST', '/containers/create', { body: '{"Image":', headers: { 'Content-Type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.match(bad.json<{ message: string }>().message, /^invalid JSON: /);
  const empty = await request(api.sock, 'POST', '/containers/create', { headers: { 'Content-Type': 'application/json' } });
  assert.equal(empty.status, 400);
  const text = await request(api.sock, 'POST', '/containers/create', { body: '{}', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(text.status, 400);
  assert.match(text.json<{ message: string }>().message, /unsupported Content-Type header \(text\/plain\)/);
  const ok = await request(api.sock, 'POST', '/containers/create?name=web', {
    body: JSON.stringify({ Image: 'busybox', Cmd: ['sh'], HostConfig: { NetworkMode: 'host' } }),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(ok.status, 201);
  const { Id, Warnings } = ok.json<{ Id: string; Warnings: string[] }>();
  assert.equal(Id.length, 64);
  assert.deepEqual(Warnings, []);
  assert.equal(backend.containers.get('web').hostConfig.NetworkMode, 'host');
});

test('container inspect and list shapes', async () => {
  const c = backend.containers.get('web');
  const missing = await request(api.sock, 'GET', '/containers/nothere/json');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json(), { message: 'No such container: nothere' });
  const body = (await request(api.sock, 'GET', '/containers/web/json?size=1')).json<Record<string, unknown>>();
  assert.equal(body.Id, c.id);
  assert.equal(body.Name, '/web');
  assert.equal(body.Driver, 'overlay2');
  assert.equal(body.SizeRw, 5);
  assert.deepEqual(body.Mounts, []);
  const gd = body.GraphDriver as { Name: string; Data: Record<string, string> };
  assert.equal(gd.Name, 'overlay2');
  assert.equal(gd.Data.LowerDir, '/layers/top:/layers/base');
  assert.equal(gd.Data.UpperDir, `/containers/${c.id}/upper`);
  const ns = body.NetworkSettings as { Networks: Record<string, unknown> };
  assert.deepEqual(Object.keys(ns.Networks), ['host']);
  const list = (await request(api.sock, 'GET', '/containers/json?all=1&size=true')).json<Array<Record<string, unknown>>>();
  const row = list.find((r) => r.Id === c.id);
  assert.ok(row);
  assert.deepEqual(row.Names, ['/web']);
  assert.equal(row.Image, 'busybox');
  assert.equal(row.Command, "sh -c 'echo hi there'");
  assert.equal(row.State, 'created');
  assert.equal(row.Status, 'Created');
  assert.equal(row.SizeRootFs, 1239);
  assert.equal((await request(api.sock, 'GET', '/containers/json?filters=%7Bbad')).status, 400);
});

test('start is 204 then 304 without a body; kill on a stopped container is 409', async () => {
  const first = await request(api.sock, 'POST', '/containers/web/start');
  assert.equal(first.status, 204);
  const again = await request(api.sock, 'POST', '/containers/web/start');
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal((await request(api.sock, 'POST', '/containers/web/stop?t=abc')).status, 400);
  assert.equal((await request(api.sock, 'POST', '/containers/web/stop?t=1')).status, 204);
  assert.equal((await request(api.sock, 'POST', '/containers/web/stop')).status, 304);
  const kill = await request(api.sock, 'POST', '/containers/web/kill');
  assert.equal(kill.status, 409);
  assert.match(kill.json<{ message: string }>().message, /is not running/);
});

test('wait: headers arrive before the exit, body after it', async () => {
  await request(api.sock, 'POST', '/containers/web/start');
  const bad = await request(api.sock, 'POST', '/containers/web/wait?condition=sometime');
  assert.equal(bad.status, 400);
  const res = await requestHead(api.sock, 'POST', '/containers/web/wait?condition=next-exit');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  const body = readAll(res);
  backend.containers.exit('web', 7);
  assert.deepEqual(JSON.parse((await body).toString()), { StatusCode: 7 });
  assert.equal((await request(api.sock, 'POST', '/containers/gone/wait')).status, 404);
});

test('logs: multiplexed frames, stream selection, timestamps in UTC nano', async () => {
  const none = await request(api.sock, 'GET', '/containers/web/logs');
  assert.equal(none.status, 400);
  assert.deepEqual(none.json(), { message: 'Bad parameters: you must choose at least one stream' });
  const both = await request(api.sock, 'GET', '/containers/web/logs?stdout=1&stderr=1');
  assert.equal(both.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  assert.deepEqual(demux(both.body), [[1, 'out\n'], [2, 'err\n']]);
  const errOnly = await request(api.sock, 'GET', '/v1.41/containers/web/logs?stderr=1&timestamps=1');
  assert.equal(errOnly.headers['content-type'], 'application/vnd.docker.raw-stream');
  assert.deepEqual(demux(errOnly.body), [[2, '2024-01-02T03:04:06.000000000Z err\n']]);
});

test('attach with Upgrade: 101 UPGRADED, log replay, live frames, stdin forwarded, close at exit', async () => {
  await request(api.sock, 'POST', '/containers/web/start');
  const { res, socket, head } = await upgrade(api.sock, '/v1.45/containers/web/attach?stream=1&stdout=1&stderr=1&logs=1&stdin=1');
  assert.equal(res.statusCode, 101);
  assert.equal(res.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  assert.equal(res.headers.upgrade, 'tcp');
  assert.equal(res.headers['api-version'], '1.45');
  socket.write('typed input\n');
  const chunks: Buffer[] = [head];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const closed = new Promise((resolve) => socket.on('close', resolve));
  await new Promise((r) => setTimeout(r, 50));
  backend.containers.emit({ stream: 'stdout', time: '2024-01-01T00:00:00Z', data: Buffer.from('live\n') });
  await new Promise((r) => setTimeout(r, 50));
  backend.containers.exit('web', 0);
  await closed;
  assert.deepEqual(demux(Buffer.concat(chunks)), [[1, 'out\n'], [2, 'err\n'], [1, 'live\n']]);
  assert.equal(Buffer.concat(backend.containers.stdinReceived).toString(), 'typed input\n');
  const missing = await request(api.sock, 'POST', '/containers/nope/attach?stream=1', { headers: { Connection: 'Upgrade', Upgrade: 'tcp' } }).catch(() => undefined);
  if (missing) assert.equal(missing.status, 404);
});

test('attach without Upgrade answers 200 and the raw stream', async () => {
  await request(api.sock, 'POST', '/containers/web/start');
  const res = await requestHead(api.sock, 'POST', '/containers/web/attach?stream=1&stdout=1');
  assert.equal(res.statusCode, 200);
  const body = readAll(res);
  await new Promise((r) => setTimeout(r, 30));
  backend.containers.emit({ stream: 'stdout', time: '2024-01-01T00:00:00Z', data: Buffer.from('hello\n') });
  await new Promise((r) => setTimeout(r, 30));
  backend.containers.exit('web', 0);
  assert.deepEqual(demux(await body), [[1, 'hello\n']]);
});

test('delete, prune and system df', async () => {
  assert.equal((await request(api.sock, 'DELETE', '/containers/web?link=1')).status, 400);
  assert.equal((await request(api.sock, 'DELETE', '/containers/web?force=1')).status, 204);
  assert.equal((await request(api.sock, 'DELETE', '/containers/web')).status, 404);
  assert.deepEqual((await request(api.sock, 'POST', '/containers/prune')).json(), { ContainersDeleted: null, SpaceReclaimed: 0 });
  assert.deepEqual((await request(api.sock, 'POST', '/images/prune')).json(), { ImagesDeleted: null, SpaceReclaimed: 0 });
  const df = (await request(api.sock, 'GET', '/system/df')).json<Record<string, unknown>>();
  assert.deepEqual(Object.keys(df).sort(), ['BuildCache', 'Containers', 'Images', 'LayersSize', 'Volumes']);
  assert.equal(df.LayersSize, 100);
  assert.equal((await request(api.sock, 'GET', '/system/df?type=volume')).json<Record<string, unknown>>().Images, undefined);
});
