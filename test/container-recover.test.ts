// Daemon restart: a new service on the same roots takes over containers started by the
// previous one, applies exits that happened while nobody watched, finishes interrupted
// removals and deletes orphaned directories.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openMetadataDb } from '../src/store';
import { newId } from '../src/util/ids';
import { actions, collect, crashService, openHarness, text, type Harness } from './container-harness';
import { until } from './container-fixtures';

let h: Harness;
before(() => { h = openHarness('recover'); });
after(async () => { await h?.close(); });

const create = async (name: string, cmd: string[], hostConfig?: Record<string, unknown>) =>
  (await h.service.create({ name, config: { Image: 'busybox', Cmd: cmd }, hostConfig })).container.id;

test('containers survive a daemon restart and stay manageable', async () => {
  const long = await create('long', ['sh', '-c', 'echo started; while true; do sleep 0.1; done']);
  const short = await create('short', ['sh', '-c', 'sleep 0.5; echo bye; exit 5']);
  const paused = await create('paused', ['sleep', '100']);
  const autorm = await create('autorm', ['sleep', '0.5'], { AutoRemove: true });
  const removing = await create('removing', ['true']);
  const never = await create('never', ['true']);
  for (const id of [long, short, paused, autorm]) await h.service.start(id);
  await h.service.pause(paused);
  const longPid = h.service.get(long).state.Pid;

  await crashService(h);
  // While no daemon runs: two containers exit, and a removal is "interrupted".
  await until(() => fs.existsSync(path.join(h.roots.conmonRoot, 'exits', short)) && fs.existsSync(path.join(h.roots.conmonRoot, 'exits', autorm)), 10000, 'exits while down');
  const exitMtime = fs.statSync(path.join(h.roots.conmonRoot, 'exits', short)).mtimeMs;
  const db = openMetadataDb(path.join(h.roots.base, 'berth.db'));
  db.prepare(`UPDATE container_states SET state = json_set(state, '$.Status', 'removing') WHERE id = ?`).run(removing);
  db.close();
  const orphan = newId();
  fs.mkdirSync(path.join(h.roots.containersRoot, orphan, 'bundle'), { recursive: true });
  fs.mkdirSync(path.join(h.rootfsRoot, orphan, 'upper'), { recursive: true });
  await new Promise((r) => setTimeout(r, 200));

  await h.reopen();

  const l = h.service.get(long);
  assert.equal(l.state.Status, 'running');
  assert.equal(l.state.Pid, longPid);
  const s = h.service.get(short);
  assert.equal(s.state.Status, 'exited');
  assert.equal(s.state.ExitCode, 5);
  assert.ok(Math.abs(Date.parse(s.state.FinishedAt) - exitMtime) < 2, `FinishedAt ${s.state.FinishedAt} vs exit file ${new Date(exitMtime).toISOString()}`);
  assert.equal(text(await collect(h.service.logs(short, { stdout: true, stderr: true }))), 'bye\n');
  assert.equal(h.service.get(paused).state.Status, 'paused');
  assert.throws(() => h.service.get(autorm), { kind: 'not-found' });
  assert.throws(() => h.service.get(removing), { kind: 'not-found' });
  assert.equal(h.service.get(never).state.Status, 'created');
  assert.equal(fs.existsSync(path.join(h.roots.containersRoot, orphan)), false);
  assert.equal(fs.existsSync(path.join(h.rootfsRoot, orphan)), false);
  assert.ok(actions(h, short).includes('die:5'));
  assert.ok(actions(h, autorm).includes('destroy'));

  // The adopted containers are fully manageable by the new daemon.
  assert.match(text(await collect(h.service.logs(long, { stdout: true, stderr: true }))), /^started\n/);
  await h.service.unpause(paused);
  await h.service.pause(long);
  await h.service.unpause(long);
  const waited = h.service.wait(long, 'not-running');
  await h.service.stop(long, { timeout: 1 });
  assert.deepEqual(await waited, { StatusCode: 137 });
  await h.service.kill(paused);
  await until(() => h.service.get(paused).state.Status === 'exited', 5000, 'paused container killed');
  assert.equal(fs.readFileSync('/proc/self/mounts', 'utf8').includes(h.rootfsRoot), false, 'no mounts left');
});

test('an exit that happens during the restart window is not lost', async () => {
  const id = await create('window', ['sh', '-c', 'sleep 0.3; exit 9']);
  await h.service.start(id);
  await crashService(h);
  await h.reopen(); // likely before the exit: the new watcher must catch it
  const r = await h.service.wait(id, 'not-running');
  assert.equal(r.StatusCode, 9);
  assert.equal(h.service.get(id).state.Status, 'exited');
});
