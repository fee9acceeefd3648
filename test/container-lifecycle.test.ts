// Container service lifecycle against real runc/conmon/overlayfs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actions, collect, openHarness, run, text, type Harness } from './container-harness';
import { until } from './container-fixtures';

let h: Harness;
before(() => { h = openHarness('lifecycle'); });
after(async () => { await h?.close(); });

const logs = async (id: string) => text(await collect(h.service.logs(id, { stdout: true, stderr: true })));

test('run echo: output in the logs, exit code, state and events', async () => {
  const { id, code } = await run(h.service, ['echo', 'hello']);
  assert.equal(code, 0);
  assert.equal(await logs(id), 'hello\n');
  const c = h.service.get(id);
  assert.equal(c.state.Status, 'exited');
  assert.equal(c.state.Running, false);
  assert.equal(c.state.ExitCode, 0);
  assert.match(c.state.FinishedAt, /^\d{4}-\d\d-\d\dT[\d:]+\.\d{9}Z$/);
  assert.ok(c.state.FinishedAt >= c.state.StartedAt);
  assert.deepEqual(actions(h, id), ['create', 'start', 'die:0']);
  assert.equal(h.service.get(c.name).id, id);
  assert.equal(h.service.get(id.slice(0, 12)).id, id);
  assert.equal(h.service.get('/' + c.name).id, id);
  assert.equal(fs.existsSync(path.join(h.rootfsRoot, id, 'merged', 'bin')), false, 'rootfs unmounted after exit');
});

test('exit code, stderr and the Docker-style defaults', async () => {
  const { id, code } = await run(h.service, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(code, 3);
  const recs = await collect(h.service.logs(id, { stdout: true, stderr: true }));
  assert.equal(text(recs, 'stdout'), 'out\n');
  assert.equal(text(recs, 'stderr'), 'err\n');
  assert.equal(text(await collect(h.service.logs(id, { stdout: false, stderr: true }))), 'err\n');
  const c = h.service.get(id);
  assert.equal(c.path, 'sh');
  assert.deepEqual(c.args, ['-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(c.config.Hostname, id.slice(0, 12));
  assert.match(c.name, /^[a-z]+_[a-z]+\d?$/);
  assert.equal(c.hostConfig.ShmSize, 64 * 1024 * 1024);
  assert.ok(Array.isArray(c.hostConfig.MaskedPaths));
});

test('isolation: pid 1, hostname, default caps, env, /etc files', async () => {
  const { id } = await run(h.service, ['sh', '-c', 'echo pid=$$; hostname; grep CapEff /proc/self/status; echo "path=$PATH"; cat /etc/hostname; cat /etc/hosts | head -1; mount | grep -c " /etc/resolv.conf "'], { config: { Env: ['FOO=bar'] } });
  const out = await logs(id);
  assert.match(out, /^pid=1$/m);
  assert.match(out, new RegExp(`^${id.slice(0, 12)}$`, 'm'));
  assert.match(out, /CapEff:\s+00000000a80425fb/);
  assert.match(out, /^path=\/usr\/local\/sbin:/m);
  assert.match(out, /^127\.0\.0\.1\tlocalhost$/m);
  assert.match(out, /^1$/m);
  assert.deepEqual(h.service.get(id).config.Env, ['FOO=bar', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
});

test('rootfs writes stay in the container', async () => {
  const a = await run(h.service, ['sh', '-c', 'echo secret > /etc/written; rm /bin/vi; cat /etc/written']);
  assert.equal(await logs(a.id), 'secret\n');
  const b = await run(h.service, ['sh', '-c', 'cat /etc/written 2>&1; ls /bin/vi']);
  assert.match(await logs(b.id), /No such file or directory\n\/bin\/vi\n/);
  assert.equal(fs.existsSync(path.join(h.lower, 'etc/written')), false);
  assert.equal(fs.existsSync(path.join(h.lower, 'bin/vi')), true);
  const sizes = await h.service.sizes(a.id);
  assert.ok(sizes.sizeRw > 0 && sizes.sizeRootFs === sizes.sizeRw + 1000);
});

test('user and working dir resolved in the rootfs', async () => {
  const { id } = await run(h.service, ['sh', '-c', 'id; pwd; ls -ld /data/work | cut -c1-30'], { config: { User: 'alice', WorkingDir: '/data/work' } });
  const out = await logs(id);
  assert.match(out, /^uid=1000\(alice\) gid=1000\(alice\)/m);
  assert.match(out, /^\/data\/work$/m);
  assert.match(out, /alice/);
});

test('transitions: start running → 304, stop stopped → 304, kill/pause/unpause 409s', async () => {
  // pid 1 ignores signals it has no handler for, so TERM needs a trap (as with Docker).
  const { container } = await h.service.create({ config: { Image: 'busybox', Cmd: ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 0.1; done'] } });
  const id = container.id;
  await assert.rejects(h.service.kill(id), { kind: 'conflict', message: `Cannot kill container: ${id}: Container ${id} is not running` });
  await assert.rejects(h.service.stop(id), { kind: 'not-modified' });
  await assert.rejects(h.service.pause(id), { kind: 'conflict', message: `Container ${id} is not running` });
  await h.service.start(id);
  await assert.rejects(h.service.start(id), { kind: 'not-modified' });
  await assert.rejects(h.service.unpause(id), { kind: 'conflict', message: `Container ${id} is not paused` });
  await h.service.pause(id);
  assert.equal(h.service.get(id).state.Status, 'paused');
  await assert.rejects(h.service.pause(id), { kind: 'conflict', message: `Container ${id} is already paused` });
  await assert.rejects(h.service.remove(id), { kind: 'conflict', message: `cannot remove container "/${container.name}": container is paused and must be unpaused first` });
  await h.service.unpause(id);
  assert.equal(h.service.get(id).state.Status, 'running');
  await assert.rejects(h.service.remove(id), { kind: 'conflict', message: `cannot remove container "/${container.name}": container is running: stop the container before removing or force remove` });
  await assert.rejects(h.service.kill(id, 'SIGNOPE'), { kind: 'invalid-argument' });
  await h.service.kill(id, 'TERM');
  await until(() => h.service.get(id).state.Status === 'exited', 5000, 'exit after TERM');
  assert.equal(h.service.get(id).state.ExitCode, 143);
  assert.deepEqual(actions(h, id), ['create', 'start', 'pause', 'unpause', 'kill:15', 'die:143']);
});

test('stop: SIGTERM ignored → SIGKILL after the timeout; events kill, kill, die, stop', async () => {
  const { container } = await h.service.create({ config: { Image: 'busybox', Cmd: ['sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 1; done'] } });
  const id = container.id;
  await h.service.start(id);
  await until(async () => (await logs(id)).includes('ready'), 5000, 'trap installed');
  const t0 = Date.now();
  await h.service.stop(id, { timeout: 1 });
  const took = Date.now() - t0;
  assert.ok(took >= 1000 && took < 4000, `stop took ${took} ms`);
  const c = h.service.get(id);
  assert.equal(c.state.Status, 'exited');
  assert.equal(c.state.ExitCode, 137);
  assert.deepEqual(actions(h, id), ['create', 'start', 'kill:15', 'kill:9', 'die:137', 'stop']);
});

test('stop of a paused container unfreezes it', async () => {
  const { container } = await h.service.create({ config: { Image: 'busybox', Cmd: ['sleep', '100'], StopSignal: 'SIGKILL' } });
  await h.service.start(container.id);
  await h.service.pause(container.id);
  await h.service.stop(container.id, { timeout: 5 });
  assert.equal(h.service.get(container.id).state.Status, 'exited');
  assert.equal(h.service.get(container.id).state.Paused, false);
  assert.deepEqual(actions(h, container.id), ['create', 'start', 'pause', 'kill:9', 'unpause', 'die:137', 'stop']);
});

test('restart: stop then start, events in order', async () => {
  const { container } = await h.service.create({ config: { Image: 'busybox', Cmd: ['sleep', '100'] } });
  await h.service.start(container.id);
  const first = h.service.get(container.id).state.StartedAt;
  await h.service.restart(container.id, { timeout: 0 });
  const c = h.service.get(container.id);
  assert.equal(c.state.Status, 'running');
  assert.ok(c.state.StartedAt > first);
  assert.deepEqual(actions(h, container.id), ['create', 'start', 'kill:15', 'kill:9', 'die:137', 'stop', 'start', 'restart']);
  await h.service.remove(container.id, { force: true });
});

test('executable not found: 400 with Docker\'s text, exit code 127, still created', async () => {
  const { container } = await h.service.create({ config: { Image: 'busybox', Cmd: ['nope'] } });
  await assert.rejects(h.service.start(container.id), (err: { kind: string; message: string }) => {
    assert.equal(err.kind, 'invalid-argument');
    assert.match(err.message, /exec: "nope": executable file not found in \$PATH/);
    return true;
  });
  const c = h.service.get(container.id);
  assert.equal(c.state.Status, 'created');
  assert.equal(c.state.ExitCode, 127);
  assert.match(c.state.Error, /executable file not found/);
  assert.equal(fs.readFileSync('/proc/self/mounts', 'utf8').includes(path.join(h.rootfsRoot, container.id)), false);
});

test('resources from HostConfig reach the cgroup', async () => {
  const { id, code } = await run(h.service, ['sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares; df -k /dev/shm | tail -1'],
    { hostConfig: { Memory: 64 * 1024 * 1024, PidsLimit: 50, NanoCpus: 5e8, CpuShares: 512, ShmSize: 8 * 1024 * 1024 } });
  assert.equal(code, 0);
  const lines = (await logs(id)).split('\n');
  assert.deepEqual(lines.slice(0, 4), [String(64 * 1024 * 1024), '50', '50000', '512']);
  assert.match(lines[4], /\s8192\s/);
  assert.equal(h.service.get(id).hostConfig.MemorySwap, 128 * 1024 * 1024);
  await assert.rejects(h.service.create({ config: { Image: 'busybox' }, hostConfig: { Memory: 1024 } }), { kind: 'invalid-argument', message: 'Minimum memory limit allowed is 6MB' });
});

test('NetworkMode host shares the host network and hostname; none has only loopback', async () => {
  const host = await run(h.service, ['sh', '-c', 'hostname; ls /sys/class/net | wc -l'], { hostConfig: { NetworkMode: 'host' } });
  const [hn, count] = (await logs(host.id)).trim().split('\n');
  assert.equal(hn, (await import('node:os')).hostname());
  assert.equal(Number(count), fs.readdirSync('/sys/class/net').length);
  const none = await run(h.service, ['sh', '-c', 'ls /sys/class/net'], { hostConfig: { NetworkMode: 'none' } });
  assert.equal((await logs(none.id)).trim(), 'lo');
  await assert.rejects(h.service.create({ config: { Image: 'busybox' }, hostConfig: { NetworkMode: 'nosuchnet' } }), { kind: 'not-found' });
});

test('privileged: all capabilities, no masked paths; cap-add/cap-drop', async () => {
  const p = await run(h.service, ['sh', '-c', 'grep CapEff /proc/self/status; echo masks=$(grep -c " /proc/keys " /proc/self/mounts)'], { hostConfig: { Privileged: true } });
  assert.equal(p.code, 0);
  const out = await logs(p.id);
  assert.match(out, /^masks=0$/m);
  const normal = await run(h.service, ['sh', '-c', 'echo masks=$(grep -c " /proc/keys " /proc/self/mounts)']);
  assert.match(await logs(normal.id), /^masks=1$/m);
  const full = /CapBnd:\s+([0-9a-f]+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
  assert.match(out, new RegExp(`CapEff:\\s+${full}`));
  const c = await run(h.service, ['sh', '-c', 'grep CapEff /proc/self/status'], { hostConfig: { CapAdd: ['NET_ADMIN'], CapDrop: ['CHOWN', 'cap_kill'] } });
  // default a80425fb + NET_ADMIN (bit 12) - CHOWN (bit 0) - KILL (bit 5)
  assert.match(await logs(c.id), new RegExp(`CapEff:\\s+0*${(0xa80425fb + 0x1000 - 0x1 - 0x20).toString(16)}`));
});
