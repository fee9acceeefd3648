// berthd survives kill -9: containers keep running under conmon, the daemon reattaches on
// start, records exits that happened while it was down, and leaks no mounts or processes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { startDaemon, delay, waitFor, describe as show, type TestDaemon } from './helpers';

let d: TestDaemon;
before(async () => { d = await startDaemon(); });
after(async () => { await d?.cleanup(); });

const TICKER = 'trap "exit 0" TERM; while true; do echo tick; sleep 0.3; done';
const ids: Record<string, string> = {};
let killedAt = 0;

async function inspect(name: string, format: string): Promise<string> {
  return (await d.dockerOk(['inspect', '-f', format, name])).trim();
}

async function psAll(): Promise<Record<string, string>> {
  const out = await d.dockerOk(['ps', '-a', '--format', '{{.Names}} {{.State}}']);
  return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}

test('containers in every state before the crash', async () => {
  ids.long = (await d.dockerOk(['run', '-d', '--name', 'long', 'busybox', 'sh', '-c', TICKER])).trim();
  ids.paused = (await d.dockerOk(['run', '-d', '--name', 'paused', 'busybox', 'sleep', '1000'])).trim();
  await d.dockerOk(['pause', 'paused']);
  ids.created = (await d.dockerOk(['create', '--name', 'created', 'busybox'])).trim();
  ids.stopped = (await d.dockerOk(['run', '-d', '--name', 'stopped', 'busybox', 'sh', '-c', 'exit 9'])).trim();
  assert.equal(await d.dockerOk(['wait', 'stopped']), '9\n');
  ids.autoremove = (await d.dockerOk(['run', '-d', '--rm', '--name', 'autoremove', 'busybox', 'sleep', '2'])).trim();
  ids.exiting = (await d.dockerOk(['run', '-d', '--name', 'exiting', 'busybox', 'sh', '-c', 'sleep 2; exit 7'])).trim();
  assert.deepEqual(await psAll(), { long: 'running', paused: 'paused', created: 'created', stopped: 'exited', autoremove: 'running', exiting: 'running' });
  await waitFor('one conmon per live container', () => d.leftovers().conmons.length === 4);
});

test('kill -9 berthd: containers keep running without it', async () => {
  killedAt = Date.now();
  await d.kill9();
  assert.equal(d.pid, undefined);
  assert.equal(d.leftovers().conmons.length, 4, 'conmon outlives berthd');
  await delay(3000); // "exiting" and "autoremove" exit while berthd is down
  assert.equal(d.leftovers().conmons.length, 2, 'the conmons of exited containers are gone');
  const db = new Database(path.join(d.dataRoot, 'berth.db'), { fileMustExist: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
});

test('berthd starts again and reconciles', async () => {
  await d.restart();
  assert.deepEqual(await psAll(), { long: 'running', paused: 'paused', created: 'created', stopped: 'exited', exiting: 'exited' });
  assert.equal(await inspect('exiting', '{{.State.ExitCode}}'), '7');
  const finishedAt = Date.parse(await inspect('exiting', '{{.State.FinishedAt}}'));
  const startedAt = Date.parse(await inspect('exiting', '{{.State.StartedAt}}'));
  assert.ok(startedAt < killedAt, 'started before the crash');
  assert.ok(finishedAt > killedAt && finishedAt < Date.now(), `FinishedAt ${new Date(finishedAt).toISOString()} is after the kill at ${new Date(killedAt).toISOString()}`);
  assert.ok(finishedAt - startedAt >= 1900, 'FinishedAt is the real exit time, not the recovery time');
  assert.equal(await inspect('stopped', '{{.State.ExitCode}}'), '9');
  assert.equal(await d.dockerOk(['wait', 'exiting']), '7\n');
  assert.match((await d.dockerOk(['ps', '-a', '--filter', 'name=exiting', '--format', '{{.Status}}'])).trim(), /^Exited \(7\) /);
  const gone = await d.docker(['inspect', 'autoremove']);
  assert.equal(gone.code, 1, 'an AutoRemove container that exited while berthd was down is removed');

  const left = d.leftovers();
  assert.equal(left.conmons.length, 2, left.conmons.map((p) => p.args.join(' ')).join('\n'));
  assert.ok(left.conmons.every((p) => !p.args.join(' ').includes(ids.exiting)));
  assert.equal(left.mounts.length, 2, `overlay mounts only for the two live containers:\n${left.mounts.map((m) => m.target).join('\n')}`);
  assert.ok(left.mounts.every((m) => !m.target.includes(ids.exiting) && !m.options.includes(ids.exiting)));
});

test('the long-running container is fully manageable after the restart', async () => {
  const ticks = async (): Promise<number> => (await d.dockerOk(['logs', 'long'])).split('\n').filter((l) => l === 'tick').length;
  const before = await ticks();
  assert.ok(before > 5, `ticks logged across the crash: ${before}`);
  await waitFor('new log lines after the restart', async () => (await ticks()) > before + 2);

  assert.equal(await d.dockerOk(['pause', 'long']), 'long\n');
  assert.equal(await inspect('long', '{{.State.Status}}'), 'paused');
  assert.equal(await d.dockerOk(['unpause', 'long']), 'long\n');
  assert.equal(await inspect('long', '{{.State.Status}}'), 'running');

  const waiting = d.docker(['wait', 'long']);
  await delay(300);
  assert.equal(await d.dockerOk(['stop', 'long']), 'long\n');
  const waited = await waiting;
  assert.equal(waited.stdout, '0\n', show('docker', ['wait', 'long'], waited));
  assert.equal(await inspect('long', '{{.State.Status}} {{.State.ExitCode}}'), 'exited 0');
});

test('the paused container can be unpaused and killed', async () => {
  assert.equal(await d.dockerOk(['unpause', 'paused']), 'paused\n');
  assert.equal(await d.dockerOk(['kill', 'paused']), 'paused\n');
  assert.equal(await d.dockerOk(['wait', 'paused']), '137\n');
  assert.equal(await d.dockerOk(['start', '-a', 'created']), '');
  const left = d.leftovers();
  assert.deepEqual(left.conmons, []);
  assert.deepEqual(left.mounts, []);
});

test('a second crash with nothing running keeps the state', async () => {
  const beforeCrash = await psAll();
  await d.kill9();
  await d.restart();
  assert.deepEqual(await psAll(), beforeCrash);
  assert.equal(await d.dockerOk(['run', '--rm', 'busybox', 'echo', 'after']), 'after\n');
  await d.dockerOk(['start', 'exiting']);
  assert.equal(await d.dockerOk(['wait', 'exiting']), '7\n');
  assert.deepEqual(d.leftovers(), { mounts: [], conmons: [] });
});
