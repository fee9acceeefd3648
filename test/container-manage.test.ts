// Names, wait conditions, removal, listing filters, logs/attach, prune, restart policies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actions, collect, openHarness, run, text, type Harness } from './container-harness';
import { until } from './container-fixtures';

let h: Harness;
before(() => { h = openHarness('manage'); });
after(async () => { await h?.close(); });

const create = async (cmd: string[], extra: { name?: string; config?: Record<string, unknown>; hostConfig?: Record<string, unknown> } = {}) =>
  (await h.service.create({ name: extra.name, config: { Image: 'busybox', Cmd: cmd, ...extra.config }, hostConfig: extra.hostConfig })).container;

test('names: validation, conflicts, rename', async () => {
  await assert.rejects(create(['true'], { name: 'bad name' }), { kind: 'invalid-argument', message: 'Invalid container name (bad name), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed' });
  const a = await create(['true'], { name: '/web' });
  assert.equal(a.name, 'web');
  await assert.rejects(create(['true'], { name: 'web' }), {
    kind: 'conflict',
    message: `Conflict. The container name "/web" is already in use by container "${a.id}". You have to remove (or rename) that container to be able to reuse that name.`,
  });
  await h.service.rename('web', 'web2');
  assert.equal(h.service.get(a.id).name, 'web2');
  const renamed = h.seen.filter((e) => e.Actor.ID === a.id && e.Action === 'rename')[0];
  assert.deepEqual({ old: renamed.Actor.Attributes.oldName, name: renamed.Actor.Attributes.name }, { old: '/web', name: 'web2' });
  assert.throws(() => h.service.get('web'), { kind: 'not-found', message: 'No such container: web' });
  const b = await create(['true'], { name: 'web' }); // the old name is free again
  await assert.rejects(h.service.rename(b.id, 'web2'), { kind: 'conflict' });
  await h.service.remove(a.id);
  await h.service.remove(b.id);
  await assert.rejects(h.service.create({ config: { Image: 'nosuchimage' } }), { kind: 'not-found', message: 'No such image: nosuchimage' });
  await assert.rejects(h.service.create({ config: { Image: 'busybox', Cmd: [], Entrypoint: [''] } }), { kind: 'invalid-argument', message: 'no command specified' });
});

test('image config merge: Entrypoint resets the image Cmd, env and labels merge', async () => {
  const c = await create([], { config: { Cmd: null, Entrypoint: ['echo', 'x'], Env: ['A=1'], Labels: { l: 'v' } } });
  assert.equal(c.path, 'echo');
  assert.deepEqual(c.args, ['x']);
  const d = await create([], { config: { Cmd: null } });
  assert.equal(d.path, 'sh');
  await h.service.remove(c.id);
  await h.service.remove(d.id);
});

test('wait: not-running on created returns at once; next-exit; removed with AutoRemove', async () => {
  const c = await create(['sh', '-c', 'exit 7'], { hostConfig: { AutoRemove: true } });
  assert.deepEqual(await h.service.wait(c.id, 'not-running'), { StatusCode: 0 });
  const nextExit = h.service.wait(c.id, 'next-exit');
  const removed = h.service.wait(c.id, 'removed');
  await h.service.start(c.id);
  assert.deepEqual(await nextExit, { StatusCode: 7 });
  assert.deepEqual(await removed, { StatusCode: 7 });
  assert.throws(() => h.service.get(c.id), { kind: 'not-found' });
  assert.deepEqual(actions(h, c.id), ['create', 'start', 'die:7', 'destroy']);
  assert.equal(fs.existsSync(path.join(h.roots.containersRoot, c.id)), false);
  assert.equal(fs.existsSync(path.join(h.rootfsRoot, c.id)), false);
  // Abort releases a waiter.
  const d = await create(['sleep', '100']);
  const ac = new AbortController();
  const w = h.service.wait(d.id, 'next-exit', ac.signal);
  ac.abort();
  await assert.rejects(w, { name: 'AbortError' });
  await h.service.remove(d.id);
});

test('remove --force kills a running container and deletes everything', async () => {
  const c = await create(['sleep', '100']);
  await h.service.start(c.id);
  const removed = h.service.wait(c.id, 'removed');
  await h.service.remove(c.id, { force: true });
  assert.deepEqual(await removed, { StatusCode: 137 });
  assert.throws(() => h.service.get(c.id), { kind: 'not-found' });
  assert.deepEqual(actions(h, c.id), ['create', 'start', 'kill:9', 'die:137', 'destroy']);
  assert.equal(fs.existsSync(path.join(h.roots.containersRoot, c.id)), false);
  assert.equal(fs.existsSync(path.join(h.roots.conmonRoot, 'persist', c.id)), false);
  assert.equal(fs.existsSync(path.join(h.roots.runtimeRoot, c.id)), false);
});

test('list: running only by default, all, filters, limit; invalid filters are 400s', async () => {
  const a = await run(h.service, ['sh', '-c', 'exit 2'], { name: 'lst-a', config: { Labels: { tier: 'db' } } });
  const b = await create(['sleep', '100'], { name: 'lst-b', config: { Labels: { tier: 'web', x: '1' } } });
  await h.service.start(b.id);
  const c = await create(['true'], { name: 'lst-c' });
  const ids = (opts: Parameters<typeof h.service.list>[0]) => h.service.list(opts).map((x) => x.name);
  assert.deepEqual(ids({}), ['lst-b']);
  assert.deepEqual(ids({ all: true, filters: { name: ['lst-'] } }), ['lst-c', 'lst-b', 'lst-a']);
  assert.deepEqual(ids({ filters: { status: ['exited'], name: ['lst-'] } }), ['lst-a']);
  assert.deepEqual(ids({ all: true, filters: { exited: ['2'] } }), ['lst-a']);
  assert.deepEqual(ids({ all: true, filters: { label: ['tier=web'] } }), ['lst-b']);
  assert.deepEqual(ids({ all: true, filters: { label: ['tier'], name: ['lst-'] } }), ['lst-b', 'lst-a']);
  assert.deepEqual(ids({ all: true, filters: { id: [a.id.slice(0, 10)] } }), ['lst-a']);
  assert.deepEqual(ids({ all: true, filters: { ancestor: ['busybox'], name: ['^/lst-c$'] } }), ['lst-c']);
  assert.deepEqual(ids({ all: true, filters: { before: ['lst-c'], name: ['lst-'] } }), ['lst-b', 'lst-a']);
  assert.deepEqual(ids({ all: true, filters: { since: ['lst-a'], name: ['lst-'] } }), ['lst-c', 'lst-b']);
  assert.deepEqual(ids({ limit: 1, filters: { name: ['lst-'] } }), ['lst-c']);
  assert.throws(() => h.service.list({ filters: { bogus: ['1'] } }), { kind: 'invalid-argument', message: "invalid filter 'bogus'" });
  assert.throws(() => h.service.list({ filters: { status: ['sleeping'] } }), { kind: 'invalid-argument' });
  assert.throws(() => h.service.list({ filters: { exited: ['x'] } }), { kind: 'invalid-argument' });
  assert.deepEqual(h.service.usingImage(h.service.get('lst-a').imageId).length >= 3, true);
  await h.service.remove(b.id, { force: true });
  await h.service.remove(a.id);
  await h.service.remove(c.id);
});

test('logs: partial lines joined, tail, since/until, follow ends at exit', async () => {
  const { id } = await run(h.service, ['sh', '-c', 'printf "par"; sleep 0.1; printf "tial\\n"; echo two; echo three; printf "no newline"']);
  const all = await collect(h.service.logs(id, { stdout: true, stderr: true }));
  assert.deepEqual(all.map((r) => r.data.toString()), ['partial\n', 'two\n', 'three\n', 'no newline']);
  assert.match(all[0].time, /^\d{4}-\d\d-\d\dT/);
  const tail = await collect(h.service.logs(id, { stdout: true, stderr: true, tail: 2 }));
  assert.deepEqual(tail.map((r) => r.data.toString()), ['three\n', 'no newline']);
  assert.equal((await collect(h.service.logs(id, { stdout: true, stderr: true, tail: 0 }))).length, 0);
  const future = Date.now() / 1000 + 60;
  assert.equal((await collect(h.service.logs(id, { stdout: true, stderr: true, since: future }))).length, 0);
  assert.equal((await collect(h.service.logs(id, { stdout: true, stderr: true, until: 1 }))).length, 0);

  const c = await create(['sh', '-c', 'for i in 1 2 3; do echo line$i; sleep 0.2; done']);
  await h.service.start(c.id);
  const followed = await collect(h.service.logs(c.id, { stdout: true, stderr: true, follow: true }));
  assert.equal(text(followed), 'line1\nline2\nline3\n');
  assert.equal(h.service.get(c.id).state.Status, 'exited');
});

test('attach before start receives everything and ends at exit', async () => {
  const c = await create(['sh', '-c', 'echo one; echo two >&2; sleep 0.2; echo three']);
  const session = await h.service.attach(c.id, { stdin: false, stdout: true, stderr: true });
  const attached = collect(session.output);
  await h.service.start(c.id);
  const recs = await attached;
  assert.equal(text(recs, 'stdout'), 'one\nthree\n');
  assert.equal(text(recs, 'stderr'), 'two\n');
  await h.service.wait(c.id);
  // A second run of the same container: attach sees only the new output.
  const again = collect((await h.service.attach(c.id, { stdin: false, stdout: true, stderr: false })).output);
  await h.service.start(c.id);
  const second = await again;
  assert.equal(text(second, 'stdout'), 'one\nthree\n');
  assert.equal(text(second, 'stderr'), '');
});

test('attach with stdin feeds the process and a half-close ends its input', async () => {
  const c = await create(['sh', '-c', 'wc -c; echo done >&2'], { config: { OpenStdin: true, StdinOnce: true, AttachStdin: true } });
  const session = await h.service.attach(c.id, { stdin: true, stdout: true, stderr: true });
  const attached = collect(session.output);
  await h.service.start(c.id);
  const payload = Buffer.alloc(3 * 1024 * 1024, 0x61);
  session.stdin!.end(payload);
  const recs = await attached;
  assert.equal(text(recs, 'stdout').trim(), String(payload.length));
  assert.equal(text(recs, 'stderr'), 'done\n');
});

test('exec runs in a running container with its exit code, and is refused when not running', async () => {
  const c = await create(['sleep', '100']);
  await h.service.start(c.id);
  const id = h.service.exec.create(c.id, { Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'], AttachStdout: true, AttachStderr: true });
  const att = await h.service.exec.startAttached(id);
  const recs = await collect(att.output);
  assert.equal(await att.done, 7);
  assert.equal(text(recs, 'stdout'), 'out\n');
  assert.equal(text(recs, 'stderr'), 'err\n');
  const info = h.service.exec.inspect(id);
  assert.equal(info.ExitCode, 7);
  assert.equal(info.Running, false);
  await assert.rejects(h.service.exec.startAttached(id), /has already run/);
  const bad = h.service.exec.create(c.id, { Cmd: ['/no/such/binary'], AttachStdout: true });
  await assert.rejects(h.service.exec.startDetached(bad), /OCI runtime exec failed/);
  assert.equal(h.service.exec.inspect(bad).ExitCode, 126);
  await h.service.pause(c.id);
  assert.throws(() => h.service.exec.create(c.id, { Cmd: ['true'] }), /is paused/);
  await h.service.unpause(c.id);
  await h.service.kill(c.id);
  await h.service.wait(c.id);
  assert.throws(() => h.service.exec.create(c.id, { Cmd: ['true'] }), /is not running/);
});

test('prune removes stopped containers matching the filters', async () => {
  const keep = await create(['sleep', '100'], { config: { Labels: { keep: 'yes' } } });
  await h.service.start(keep.id);
  const old = await run(h.service, ['true'], { config: { Labels: { keep: 'no' } } });
  const labelled = await create(['true'], { config: { Labels: { keep: 'yes' } } });
  await assert.rejects(h.service.prune({ bogus: ['x'] }), { kind: 'invalid-argument' });
  const r1 = await h.service.prune({ label: ['keep=yes'], until: ['1h'] });
  assert.deepEqual(r1.deleted, []);
  const r2 = await h.service.prune({ 'label!': ['keep=yes'] });
  assert.ok(r2.deleted.includes(old.id) && !r2.deleted.includes(labelled.id) && !r2.deleted.includes(keep.id));
  const r3 = await h.service.prune();
  assert.ok(r3.deleted.includes(labelled.id));
  assert.equal(h.service.get(keep.id).state.Status, 'running');
  await h.service.remove(keep.id, { force: true });
});

test('restart policy on-failure:2 restarts twice, then stays exited', async () => {
  const c = await create(['sh', '-c', 'echo run; exit 1'], { hostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } } });
  await h.service.start(c.id);
  await until(() => h.service.get(c.id).restartCount === 2 && h.service.get(c.id).state.Status === 'exited', 10000, 'two restarts');
  await new Promise((r) => setTimeout(r, 500));
  const after = h.service.get(c.id);
  assert.equal(after.restartCount, 2);
  assert.equal(after.state.ExitCode, 1);
  assert.equal(text(await collect(h.service.logs(c.id, { stdout: true, stderr: true }))), 'run\nrun\nrun\n');
  await assert.rejects(create(['true'], { hostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } } }), { kind: 'invalid-argument' });
  await h.service.remove(c.id);
});
