// The conmon + runc driver against real conmon/runc on a plain busybox rootfs dir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRuntime, buildSpec, serializeSpec, isStartError, type ContainerRuntime, type RuntimeExit } from '../src/runtime';
import type { ContainerConfig, HostConfig } from '../src/container/types';
import { newId } from '../src/util/ids';
import { cleanupRoots, makeBusyboxRootfs, makeTempRoots, until, type TempRoots } from './container-fixtures';

let roots: TempRoots;
let runtime: ContainerRuntime;
let rootfs: string;
const exits = new Map<string, RuntimeExit>();

function config(cmd: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    Hostname: 'testhost', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
    Tty: false, OpenStdin: false, StdinOnce: false, Env: [], Cmd: cmd, Image: 'busybox', WorkingDir: '',
    Entrypoint: null, OnBuild: null, Labels: {}, ...extra,
  };
}

function hostConfig(extra: Partial<HostConfig> = {}): HostConfig {
  return {
    Binds: null, NetworkMode: 'none', PortBindings: null, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false,
    Privileged: false, ReadonlyRootfs: false, CapAdd: null, CapDrop: null, Dns: null, DnsOptions: null, DnsSearch: null,
    ExtraHosts: null, GroupAdd: null, IpcMode: 'private', PidMode: '', UTSMode: '', SecurityOpt: null, ShmSize: 0,
    LogConfig: { Type: 'k8s-file', Config: {} }, Memory: 0, MemorySwap: 0, MemoryReservation: 0, NanoCpus: 0, CpuShares: 0,
    CpuPeriod: 0, CpuQuota: 0, CpusetCpus: '', CpusetMems: '', PidsLimit: null, Ulimits: null, OomKillDisable: null,
    OomScoreAdj: 0, Devices: null, ...extra,
  };
}

/** Writes a bundle for `cmd` and starts it; returns the bundle dir and log path. */
async function startContainer(id: string, cmd: string[], c: Partial<ContainerConfig> = {}, hc: Partial<HostConfig> = {}) {
  const dir = path.join(roots.containersRoot, id);
  const bundle = path.join(dir, 'bundle');
  fs.mkdirSync(bundle, { recursive: true });
  for (const f of ['hosts', 'hostname', 'resolv.conf']) fs.writeFileSync(path.join(dir, f), f === 'hostname' ? 'testhost\n' : '127.0.0.1\tlocalhost\n');
  const { spec } = buildSpec({
    id, rootfs, path: cmd[0], args: cmd.slice(1), config: config(cmd, c), hostConfig: hostConfig(hc),
    hostsPath: path.join(dir, 'hosts'), hostnamePath: path.join(dir, 'hostname'), resolvConfPath: path.join(dir, 'resolv.conf'),
    cgroupParent: roots.cgroupParent,
  });
  fs.writeFileSync(path.join(bundle, 'config.json'), serializeSpec(spec));
  const logPath = path.join(dir, 'container.log');
  const started = await runtime.start({ id, bundleDir: bundle, logPath, tty: false, openStdin: false, leaveStdinOpen: false });
  return { bundle, logPath, ...started };
}

function logText(logPath: string): string {
  return fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').slice(3).join(' ')).join('\n');
}

before(() => {
  roots = makeTempRoots('runtime');
  rootfs = path.join(roots.base, 'rootfs');
  makeBusyboxRootfs(rootfs);
  runtime = createRuntime({ runtimePath: 'runc', runtimeRoot: roots.runtimeRoot, conmonRoot: roots.conmonRoot });
  runtime.onExit((id, exit) => exits.set(id, exit));
});

after(() => {
  runtime?.close();
  if (roots) cleanupRoots(roots);
});

test('runs a command: output in the k8s-file log, exit code recorded, exit watched', async () => {
  const id = newId();
  const r = await startContainer(id, ['sh', '-c', 'echo hello; echo oops >&2; exit 3']);
  assert.ok(r.pid > 0 && r.conmonPid > 0);
  await until(() => exits.has(id), 10000, 'exit event');
  assert.equal(exits.get(id)?.exitCode, 3);
  assert.match(exits.get(id)?.finishedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  assert.deepEqual(runtime.readExit(id), exits.get(id));
  const raw = fs.readFileSync(r.logPath, 'utf8');
  assert.match(raw, /^\S+ stdout F hello$/m);
  assert.match(raw, /^\S+ stderr F oops$/m);
  assert.equal((await runtime.state(id))?.status, 'stopped');
  await runtime.delete(id);
  assert.equal(await runtime.state(id), undefined);
  await runtime.delete(id); // idempotent
  runtime.clearExit(id);
  assert.equal(runtime.readExit(id), undefined);
});

test('pid 1 is the command, hostname, default capabilities, loopback up', async () => {
  const id = newId();
  const r = await startContainer(id, ['sh', '-c', 'echo pid=$$; hostname; grep CapEff /proc/self/status; ip link show lo; id']);
  await until(() => exits.has(id), 10000, 'exit');
  const out = logText(r.logPath);
  assert.match(out, /^pid=1$/m);
  assert.match(out, /^testhost$/m);
  assert.match(out, /CapEff:\s+00000000a80425fb/);
  assert.match(out, /lo: <LOOPBACK,UP,LOWER_UP>/);
  assert.match(out, /uid=0\(root\) gid=0\(root\) groups=0\(root\),10\(wheel\)/);
  await runtime.delete(id);
});

test('user resolution through the rootfs passwd/group', async () => {
  const id = newId();
  const r = await startContainer(id, ['sh', '-c', 'id; pwd; echo home=$HOME'], { User: 'alice', WorkingDir: '/tmp' });
  await until(() => exits.has(id), 10000, 'exit');
  const out = logText(r.logPath);
  assert.match(out, /uid=1000\(alice\) gid=1000\(alice\) groups=50\(staff\),1000\(alice\)/);
  assert.match(out, /^\/tmp$/m);
  assert.match(out, /^home=\/home\/alice$/m);
  await runtime.delete(id);
});

test('executable not found is a 400 with Docker\'s message and exit code 127', async () => {
  const id = newId();
  await assert.rejects(startContainer(id, ['nope']), (err: unknown) => {
    assert.ok(isStartError(err));
    assert.equal(err.kind, 'invalid-argument');
    assert.equal(err.exitCode, 127);
    assert.match(err.message, /^failed to create task for container: .*exec: "nope": executable file not found in \$PATH/);
    return true;
  });
  assert.equal(await runtime.state(id), undefined);
});

test('pause, resume, kill, state', async () => {
  const id = newId();
  const r = await startContainer(id, ['sleep', '100']);
  assert.deepEqual(await runtime.state(id), { status: 'running', pid: r.pid });
  assert.ok(runtime.isConmonAlive(r.conmonPid));
  await runtime.pause(id);
  assert.equal((await runtime.state(id))?.status, 'paused');
  await runtime.resume(id);
  assert.equal((await runtime.state(id))?.status, 'running');
  await runtime.kill(id, 'KILL');
  await until(() => exits.has(id), 10000, 'exit after kill');
  assert.equal(exits.get(id)?.exitCode, 137);
  await assert.rejects(runtime.kill(id, 'TERM'), (err: { kind?: string }) => err.kind === 'conflict');
  await runtime.delete(id);
  await until(() => !runtime.isConmonAlive(r.conmonPid), 5000, 'conmon exit');
  await assert.rejects(runtime.kill(id, 'TERM'), (err: { kind?: string }) => err.kind === 'not-found');
});

test('rlimits are capped at the host hard limit', async () => {
  const id = newId();
  const r = await startContainer(id, ['sh', '-c', 'ulimit -n; ulimit -Hn'], {}, { Ulimits: [{ Name: 'nofile', Soft: 1 << 30, Hard: 1 << 30 }] });
  await until(() => exits.has(id), 10000, 'exit');
  assert.equal(exits.get(id)?.exitCode, 0);
  const hard = /Max open files\s+\d+\s+(\d+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'))?.[1];
  assert.equal(logText(r.logPath), `${hard}\n${hard}`);
  await runtime.delete(id);
});
