// The API server over a real unix socket with fake services: system, unsupported features, events, images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { startApiServer } from '../src/api';
import { request, requestHead, serveFakeBackend } from './api-client';

const api = serveFakeBackend();
const backend = api.backend;

test('socket mode 0660 and a second listener on the same socket is refused', async () => {
  assert.equal(fs.statSync(api.sock).mode & 0o777, 0o660);
  await assert.rejects(startApiServer(backend, [`unix://${api.sock}`]), /already listening/);
});

test('ping GET and HEAD carry the negotiation headers', async () => {
  const get = await request(api.sock, 'GET', '/_ping');
  assert.equal(get.status, 200);
  assert.equal(get.body.toString(), 'OK');
  assert.equal(get.headers['api-version'], '1.45');
  assert.equal(get.headers.ostype, 'linux');
  assert.match(String(get.headers.server), /^Berth\/0\.1\.0/);
  assert.equal(get.headers['builder-version'], '1');
  assert.equal(get.headers['docker-experimental'], 'false');
  assert.match(String(get.headers['cache-control']), /no-cache/);
  assert.equal(get.headers.pragma, 'no-cache');
  const head = await request(api.sock, 'HEAD', '/v1.24/_ping');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(head.headers['api-version'], '1.45');
});

test('version, info and versioned paths', async () => {
  const v = (await request(api.sock, 'GET', '/v1.41/version')).json<Record<string, unknown>>();
  assert.equal(v.ApiVersion, '1.45');
  assert.equal(v.MinAPIVersion, '1.24');
  assert.deepEqual(v.Platform, { Name: 'Berth' });
  assert.equal((v.Components as Array<{ Name: string }>)[0].Name, 'Engine');
  const info = (await request(api.sock, 'GET', '/info')).json<Record<string, unknown>>();
  assert.equal(info.Driver, 'overlayfs');
  assert.equal(info.CgroupVersion, '1');
  assert.deepEqual((info.Swarm as Record<string, unknown>).LocalNodeState, 'inactive');
  const tooNew = await request(api.sock, 'GET', '/v1.99/info');
  assert.equal(tooNew.status, 400);
  assert.deepEqual(tooNew.json(), { message: 'client version 1.99 is too new. Maximum supported API version is 1.45' });
});

test('unknown routes and wrong methods: 404 page not found', async () => {
  for (const [m, p] of [['GET', '/nope'], ['GET', '/containers/create'], ['PUT', '/info']]) {
    const r = await request(api.sock, m, p);
    assert.equal(r.status, 404, `${m} ${p}`);
    assert.deepEqual(r.json(), { message: 'page not found' });
  }
});

test('features not built yet: swarm 503, plugins and volumes empty, networks read-only, 501 elsewhere', async () => {
  const swarm = await request(api.sock, 'GET', '/v1.45/services');
  assert.equal(swarm.status, 503);
  assert.match(swarm.json<{ message: string }>().message, /^This node is not a swarm manager\./);
  assert.equal((await request(api.sock, 'GET', '/swarm')).status, 503);
  assert.deepEqual((await request(api.sock, 'GET', '/plugins')).json(), []);
  assert.deepEqual((await request(api.sock, 'GET', '/volumes')).json(), { Volumes: [], Warnings: null });
  const nets = (await request(api.sock, 'GET', '/networks')).json<Array<{ Name: string; Driver: string }>>();
  assert.deepEqual(nets.map((n) => [n.Name, n.Driver]), [['host', 'host'], ['none', 'null']]);
  assert.equal((await request(api.sock, 'GET', '/networks/host')).json<{ Name: string }>().Name, 'host');
  assert.equal((await request(api.sock, 'DELETE', '/networks/none')).status, 403);
  assert.equal((await request(api.sock, 'GET', '/networks/nope')).status, 404);
  for (const [m, p] of [['POST', '/containers/x/checkpoints'], ['GET', '/containers/x/attach/ws'], ['POST', '/build/cancel'], ['POST', '/networks/create'], ['POST', '/volumes/create'], ['GET', '/images/search?term=x']]) {
    const r = await request(api.sock, m, p);
    assert.equal(r.status, 501, `${m} ${p}`);
    assert.match(r.json<{ message: string }>().message, /not implemented in Berth yet/);
  }
});

test('events: since replays history, until in the past ends the stream, filters apply', async () => {
  const t0 = Date.now() / 1000 - 1;
  backend.events.publish('image', 'tag', 'sha256:1', { name: 'x:1' });
  backend.events.publish('container', 'start', 'cafe', { name: 'n', image: 'busybox' });
  const until = Date.now() / 1000 + 0.001;
  await new Promise((r) => setTimeout(r, 5));
  const r = await request(api.sock, 'GET', `/events?since=${t0}&until=${until}&filters=${encodeURIComponent('{"type":["container"]}')}`);
  assert.equal(r.status, 200);
  const lines = r.body.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(lines.length >= 1);
  assert.ok(lines.every((l) => l.Type === 'container'));
  const start = lines.find((l) => l.Action === 'start' && l.id === 'cafe');
  assert.equal(start?.status, 'start');
  assert.equal(start?.from, 'busybox');
  const bad = await request(api.sock, 'GET', '/events?filters=%7B%22what%22%3A%5B%22x%22%5D%7D');
  assert.equal(bad.status, 400);
  // Live: an event published after the request is streamed.
  const live = await requestHead(api.sock, 'GET', '/events?filters=' + encodeURIComponent('{"event":["die"]}'));
  const got = new Promise<string>((resolve) => live.once('data', (c: Buffer) => resolve(c.toString())));
  backend.events.publish('container', 'die', 'beef', { exitCode: '1' });
  assert.equal(JSON.parse(await got).Action, 'die');
  live.destroy();
});

test('images: list, inspect, history, tag, delete, import stream, load, save, pull', async () => {
  const list = (await request(api.sock, 'GET', '/images/json')).json<Array<Record<string, unknown>>>();
  assert.deepEqual(list[0].RepoTags, ['busybox:latest']);
  assert.equal(list[0].VirtualSize, undefined);
  assert.equal((await request(api.sock, 'GET', '/v1.43/images/json')).json<Array<Record<string, unknown>>>()[0].VirtualSize, 1234);
  const inspect = (await request(api.sock, 'GET', '/images/busybox/json')).json<Record<string, unknown>>();
  assert.equal(inspect.Id, 'sha256:' + 'a'.repeat(64));
  assert.deepEqual((inspect.Config as { Cmd: string[] }).Cmd, ['sh']);
  assert.deepEqual(inspect.RootFS, { Type: 'layers', Layers: ['sha256:' + 'b'.repeat(64)] });
  const missing = await request(api.sock, 'GET', '/images/nope/json');
  assert.deepEqual([missing.status, missing.json()], [404, { message: 'No such image: nope' }]);
  assert.equal((await request(api.sock, 'GET', '/images/busybox/history')).json<unknown[]>().length, 1);
  assert.equal((await request(api.sock, 'POST', '/images/busybox/tag?repo=mine&tag=1')).status, 201);
  assert.equal((await request(api.sock, 'POST', '/images/busybox/tag')).status, 400);
  assert.deepEqual((await request(api.sock, 'DELETE', '/images/busybox')).json(), [{ Untagged: 'busybox' }, { Deleted: 'sha256:' + 'a'.repeat(64) }]);
  const imp = await request(api.sock, 'POST', '/images/create?fromSrc=-&repo=imp&tag=v1&changes=CMD%20%5B%22sh%22%5D&changes=ENV%20A%3Db', { body: Buffer.alloc(1024, 1) });
  assert.equal(imp.status, 200);
  assert.deepEqual(JSON.parse(imp.body.toString().split('\r\n')[0]), { status: 'sha256:' + 'a'.repeat(64) });
  assert.deepEqual(backend.images.imported.at(-1), { bytes: 1024, reference: 'imp:v1', changes: ['CMD ["sh"]', 'ENV A=b'] });
  const load = await request(api.sock, 'POST', '/images/load?quiet=1', { body: 'tar' });
  assert.deepEqual(JSON.parse(load.body.toString().trim()), { stream: 'Loaded image: busybox:latest\n' });
  const save = await request(api.sock, 'GET', '/images/get?names=busybox&names=busybox:latest');
  assert.equal(save.headers['content-type'], 'application/x-tar');
  assert.equal(save.body.toString(), 'tar of busybox,busybox:latest');
  assert.equal((await request(api.sock, 'GET', '/images/nope/get')).status, 404);
  const pull = await request(api.sock, 'POST', '/images/create?fromImage=alpine&tag=3');
  assert.equal(pull.status, 501);
  assert.match(pull.json<{ message: string }>().message, /no registry client/);
});
