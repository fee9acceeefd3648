// `docker events` against berthd: the container lifecycle in Docker's order with its
// attributes, live streaming, image events, and the raw /events JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startDaemon, cleanEnv, writeBusyboxTar, waitFor, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

interface EventMessage { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; scope: string; time: number; timeNano: number; status?: string; id?: string; from?: string }

const SERVICE = 'trap "exit 0" TERM; sleep 1000 & wait';
const nowSeconds = (): number => Date.now() / 1000;

async function eventsBetween(since: number, until: number, filters: string[] = []): Promise<EventMessage[]> {
  const args = ['events', '--since', String(Math.floor(since)), '--until', String(Math.ceil(until)), '--format', '{{json .}}', ...filters];
  const out = await d.dockerOk(args, { timeoutMs: 30_000 });
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as EventMessage);
}

test('container lifecycle events come in Docker order', async () => {
  const since = nowSeconds() - 1;
  const id = (await d.dockerOk(['run', '-d', '--name', 'ev', 'busybox', 'sh', '-c', SERVICE])).trim();
  await d.dockerOk(['pause', 'ev']);
  await d.dockerOk(['unpause', 'ev']);
  await d.dockerOk(['stop', 'ev']);
  await d.dockerOk(['restart', 'ev']);
  await d.dockerOk(['rm', '-f', 'ev']);
  const until = nowSeconds() + 1;

  const events = (await eventsBetween(since, until, ['--filter', 'type=container'])).filter((e) => e.Actor.ID === id);
  assert.deepEqual(events.map((e) => e.Action), [
    'create', 'start', 'pause', 'unpause', 'kill', 'die', 'stop', 'start', 'restart', 'kill', 'die', 'destroy',
  ]);
  for (const e of events) {
    assert.equal(e.Type, 'container');
    assert.equal(e.scope, 'local');
    assert.equal(e.Actor.Attributes.name, 'ev');
    assert.equal(e.Actor.Attributes.image, 'busybox');
    assert.equal(Math.floor(e.timeNano / 1e9), e.time);
  }
  const times = events.map((e) => e.timeNano);
  assert.deepEqual([...times].sort((a, b) => a - b), times, 'events are in time order');
  const kills = events.filter((e) => e.Action === 'kill').map((e) => e.Actor.Attributes.signal);
  assert.deepEqual(kills, ['15', '9']);
  const dies = events.filter((e) => e.Action === 'die').map((e) => e.Actor.Attributes.exitCode);
  assert.deepEqual(dies, ['0', '137']);
});

test('the docker events --format text shows Type and Action', async () => {
  const since = nowSeconds() - 1;
  await d.dockerOk(['run', '--name', 'short', 'busybox', 'true']);
  await d.dockerOk(['rm', 'short']);
  const args = ['events', '--since', String(Math.floor(since)), '--until', String(Math.ceil(nowSeconds() + 1)), '--filter', 'container=short', '--format', '{{.Type}} {{.Action}}'];
  const out = await d.dockerOk(args);
  const actions = out.split('\n').filter(Boolean);
  for (const expected of ['container create', 'container start', 'container die', 'container destroy']) {
    assert.ok(actions.includes(expected), `${expected} in:\n${out}`);
  }
  assert.ok(actions.indexOf('container create') < actions.indexOf('container start'));
  assert.ok(actions.indexOf('container die') < actions.indexOf('container destroy'));
});

test('docker events streams live events', async () => {
  const child = spawn('docker', ['events', '--filter', 'type=container', '--format', '{{.Action}} {{.Actor.Attributes.name}}'], {
    env: cleanEnv({ DOCKER_HOST: d.dockerHost, DOCKER_CONFIG: path.join(d.tmpRoot, 'docker-config') }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  try {
    await new Promise((r) => setTimeout(r, 500)); // let the CLI subscribe first
    await d.dockerOk(['run', '--rm', '--name', 'live', 'busybox', 'true']);
    await waitFor('the destroy event on the live stream', () => out.includes('destroy live'), { timeoutMs: 10_000 });
    const lines = out.split('\n').filter(Boolean);
    assert.deepEqual(lines.filter((l) => l.endsWith(' live')).map((l) => l.split(' ')[0]), ['create', 'attach', 'start', 'die', 'destroy']);
  } finally {
    child.kill('SIGKILL');
  }
});

test('image events: import, tag, untag, delete, save, load', async () => {
  const since = nowSeconds() - 1;
  const file = path.join(d.tmpRoot, 'rootfs.tar');
  await writeBusyboxTar(file);
  const id = (await d.dockerOk(['import', file, 'evimage:1'])).trim();
  await d.dockerOk(['tag', 'evimage:1', 'evimage:2']);
  await d.dockerOk(['rmi', 'evimage:2']);
  const saved = path.join(d.tmpRoot, 'evimage.tar');
  await d.dockerOk(['save', '-o', saved, 'evimage:1']);
  await d.dockerOk(['rmi', 'evimage:1']);
  await d.dockerOk(['load', '-i', saved]);
  const events = await eventsBetween(since, nowSeconds() + 1, ['--filter', 'type=image']);
  const actions = events.filter((e) => e.Actor.ID === id || e.Actor.ID.startsWith('evimage')).map((e) => e.Action);
  for (const expected of ['import', 'tag', 'untag', 'save', 'delete', 'load']) assert.ok(actions.includes(expected), `${expected} in ${actions.join(',')}`);
  assert.ok(actions.indexOf('import') < actions.indexOf('tag'));
  assert.ok(actions.indexOf('tag') < actions.indexOf('untag'));
  assert.ok(actions.lastIndexOf('delete') < actions.lastIndexOf('load'));
});

test('GET /events returns Docker JSON messages and honours filters', async () => {
  const since = Math.floor(nowSeconds() - 1);
  await d.dockerOk(['create', '--name', 'raw', '--label', 'team=e2e', 'busybox']);
  const until = Math.ceil(nowSeconds() + 1);
  const filters = encodeURIComponent(JSON.stringify({ type: ['container'], label: ['team=e2e'] }));
  const res = await d.api('GET', `/v1.45/events?since=${since}&until=${until}&filters=${filters}`);
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const events = res.text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as EventMessage);
  assert.equal(events.length, 1, res.text);
  const [e] = events;
  assert.equal(e.Type, 'container');
  assert.equal(e.Action, 'create');
  assert.equal(e.status, 'create');
  assert.equal(e.id, e.Actor.ID);
  assert.equal(e.from, 'busybox');
  assert.equal(e.Actor.Attributes.team, 'e2e');
  const bad = await d.api('GET', `/events?since=${until}&until=${since}`);
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json, { message: `\`since\` time (${until}) cannot be after \`until\` time (${since})` });
  await d.dockerOk(['rm', 'raw']);
});
